"""The council's own risk scheme: risks are written in its terms (numbers multiplied, a letter
and number matrix such as "D2", or RAG), checked against it, and published as the council
publishes them, with the scheme's key, highest band first.

risks.yml declares the scheme once under `scheme:`; without one, likelihood 1-5 x impact 1-5
(models.DEFAULT_RISK_SCHEME) applies, so older files keep working. Validation runs while the
file is loaded (load.load_year), so `check` and `build` stop on the same problems.
"""
from __future__ import annotations

from dataclasses import dataclass

from .i18n import Worded
from .models import Risk, Risks, RiskScheme
from .problems import Finding, field_path
from .unknown import NotRecorded
from .yamlfile import LineMap

AXES = ("likelihood", "impact")


@dataclass
class RiskRow:
    risk: Risk
    likelihood: str          # as written, with its label where the scheme has one
    impact: str
    rating: str              # as the council publishes it: "16", "D2", "Red"
    band: str                # the band's name, capitalised ("High", "Red"), or "" if unknown
    rank: int                # the band's place in the scheme (0 = the first, most serious)
    score: int | None = None


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _numeric(scheme: RiskScheme, axis: str) -> list[int] | None:
    """The levels of a scale made only of whole numbers, in order, or None."""
    levels = list(getattr(scheme, axis))
    return sorted(int(v) for v in levels) if levels and all(v.lstrip("-").isdigit() for v in levels) else None


def _level(scheme: RiskScheme, axis: str, value) -> str | None:
    """The scale's own spelling of a level the risk names ('d' -> 'D', 3 -> '3'), or None."""
    if value is None or isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        return None
    text = str(int(value)) if isinstance(value, float) else str(value).strip()
    return next((level for level in getattr(scheme, axis) if level.lower() == text.lower()), None)


def _scale_words(scheme: RiskScheme, axis: str) -> str:
    """'a whole number from 1 (rare) to 5 (almost certain)' or 'one of A (very high), B (high) ...'."""
    scale = getattr(scheme, axis)
    numbers = _numeric(scheme, axis) if scheme.kind == "product" else None
    if numbers:
        low, high = str(numbers[0]), str(numbers[-1])
        return f"a whole number from {low} ({scale[low]}) to {high} ({scale[high]})"
    return "one of " + ", ".join(f"{k} ({v})" if v else k for k, v in scale.items())


def _example(scheme: RiskScheme, axis: str) -> str:
    levels = list(getattr(scheme, axis))
    numbers = _numeric(scheme, axis)
    if numbers and scheme.kind == "product":
        return str((numbers[0] + numbers[-1]) // 2)
    return levels[len(levels) // 2] if levels else ""


def matrix_ratings(scheme: RiskScheme) -> list[str]:
    return [f"{l}{i}" for l in scheme.likelihood for i in scheme.impact]


def _band_of_product(scheme: RiskScheme, score: int) -> tuple[str, int]:
    for rank, (band, lowest) in enumerate(scheme.bands.items()):
        if isinstance(lowest, int) and score >= lowest:
            return band, rank
    return (list(scheme.bands)[-1], len(scheme.bands) - 1) if scheme.bands else ("", 0)


def _band_of_rating(scheme: RiskScheme, rating: str) -> tuple[str, int]:
    for rank, (band, ratings) in enumerate(scheme.bands.items()):
        if isinstance(ratings, list) and rating.lower() in (r.lower() for r in ratings):
            return band, rank
    return "", len(scheme.bands)


def _split_matrix(scheme: RiskScheme, rating: str) -> tuple[str, str] | None:
    """'d2' -> ('D', '2') when D is a likelihood level and 2 an impact level."""
    for likelihood in scheme.likelihood:
        if rating.lower().startswith(likelihood.lower()):
            impact = _level(scheme, "impact", rating[len(likelihood):])
            if impact is not None:
                return likelihood, impact
    return None


def _shown(scheme: RiskScheme, axis: str, level: str | None, written) -> str:
    if level is None:
        return "" if written is None else str(written)
    label = getattr(scheme, axis).get(level, "")
    return f"{level} ({label})" if label and scheme.kind != "product" else level


def row(scheme: RiskScheme, risk: Risk) -> RiskRow:
    """One risk as the council publishes it. Tolerates values the scheme does not know (a draft
    is still rendered with its errors): they are shown as written, in no band."""
    likelihood, impact = _level(scheme, "likelihood", risk.likelihood), _level(scheme, "impact", risk.impact)
    if isinstance(risk.rating, NotRecorded) or (risk.rating is None and unknown_axis(risk)):
        # Shown as "not recorded"; a rating worked out from it is "not available"; listed last.
        return RiskRow(risk, _shown(scheme, "likelihood", likelihood, risk.likelihood),
                       _shown(scheme, "impact", impact, risk.impact),
                       str(risk.rating) if isinstance(risk.rating, NotRecorded) else "not available", "",
                       len(scheme.bands))
    if scheme.kind == "product":
        if likelihood is None or impact is None:
            return RiskRow(risk, _shown(scheme, "likelihood", likelihood, risk.likelihood),
                           _shown(scheme, "impact", impact, risk.impact), "", "", len(scheme.bands))
        score = int(likelihood) * int(impact)
        band, rank = _band_of_product(scheme, score)
        return RiskRow(risk, likelihood, impact, str(score), band.capitalize(), rank, score)
    if scheme.kind == "matrix":
        if risk.rating is not None and (parts := _split_matrix(scheme, str(risk.rating).strip())):
            likelihood, impact = parts
        rating = f"{likelihood}{impact}" if likelihood is not None and impact is not None else str(risk.rating or "")
        band, rank = _band_of_rating(scheme, rating)
        return RiskRow(risk, _shown(scheme, "likelihood", likelihood, risk.likelihood),
                       _shown(scheme, "impact", impact, risk.impact), rating, band.capitalize(), rank)
    colour = next((b for b in scheme.bands if b.lower() == str(risk.rating or "").strip().lower()), None)
    rank = list(scheme.bands).index(colour) if colour else len(scheme.bands)
    return RiskRow(risk, _shown(scheme, "likelihood", likelihood, risk.likelihood),
                   _shown(scheme, "impact", impact, risk.impact), (colour or str(risk.rating or "")).capitalize(),
                   (colour or "").capitalize(), rank)


def unknown_axis(risk: Risk) -> bool:
    return any(isinstance(getattr(risk, axis), NotRecorded) for axis in AXES)


def rows(risks: Risks) -> list[RiskRow]:
    """Every risk, highest band first; within a band, the highest score first, else as written."""
    scheme = risks.active_scheme
    shown = [row(scheme, r) for r in risks.risks]
    return sorted(shown, key=lambda r: (r.rank, -(r.score or 0)))


def _ends(scale: dict) -> str:
    """'1 rare to 5 almost certain': a scale's first and last levels, each word said in the page's
    language (i18n.Worded: the English reads as it always has)."""
    def level(name) -> str:
        return Worded("%(level)s %(label)s", level=name, label=scale[name]) if str(scale[name]).strip() else str(name)
    names = list(scale)
    return Worded("%(lowest)s to %(highest)s", lowest=level(names[0]), highest=level(names[-1]))


def key(risks: Risks) -> dict:
    """The scheme's key, for the table's side: scales with labels, and what each band holds."""
    scheme = risks.active_scheme
    bands = []
    for band, value in scheme.bands.items():
        if scheme.kind == "product" and isinstance(value, int):
            bands.append((band.capitalize(), Worded("a score of %(value)s or more", value=value) if value > 0
                          else Worded("any lower score")))
        elif isinstance(value, list):
            bands.append((band.capitalize(), ", ".join(value)))
        else:
            bands.append((band.capitalize(), str(value)))
    ends = {axis: _ends(getattr(scheme, axis)) for axis in AXES if getattr(scheme, axis)}
    return {"kind": scheme.kind, "likelihood": scheme.likelihood, "impact": scheme.impact, "bands": bands,
            "ends": ends}


# --- validation ----------------------------------------------------------------------------------

def validate(risks: Risks, lines: LineMap, shown: str) -> list[Finding]:
    """The scheme itself, then every risk against it: each problem names the file, line, field
    and the values the scheme allows."""
    scheme = risks.active_scheme
    findings = _scheme_problems(scheme, lines, shown) if risks.scheme is not None else []
    if findings:
        return findings      # risks cannot be judged against a broken scheme
    for index, risk in enumerate(risks.risks):
        findings += _risk_problems(scheme, risk, index, lines, shown)
    return findings


def _at(lines: LineMap, shown: str, location: tuple, rule: str, message: str, fix: str) -> Finding:
    return Finding(rule, message, fix=fix, file=shown, line=lines.line_of(location), field=field_path(location))


def _scheme_problems(scheme: RiskScheme, lines: LineMap, shown: str) -> list[Finding]:
    found = []
    needs_scales = scheme.kind in ("product", "matrix")
    for axis in AXES:
        if needs_scales and not getattr(scheme, axis):
            found.append(_at(lines, shown, ("scheme", axis), "risks.scheme",
                             f"the {scheme.kind} risk scheme has no {axis} scale",
                             f"list the scale's levels with their labels, e.g. {axis}: "
                             + ("{1: Rare, 2: Unlikely, 3: Possible, 4: Likely, 5: Almost certain}"
                                if scheme.kind == "product" else "{A: Very high, B: High, C: Significant, D: Low}")))
        elif scheme.kind == "product" and getattr(scheme, axis) and _numeric(scheme, axis) is None:
            found.append(_at(lines, shown, ("scheme", axis), "risks.scheme",
                             f"the {axis} scale of a product scheme must be numbers, so that they can be multiplied",
                             "use numbers (1, 2, 3 ...) as the levels, or 'kind: matrix' for letters such as A-F"))
    if not scheme.bands:
        found.append(_at(lines, shown, ("scheme", "bands"), "risks.scheme", "the risk scheme has no bands",
                         "add bands, e.g. bands: {high: 15, medium: 8, low: 0} (product), "
                         "{high: [A1, A2], medium: [...], low: [...]} (matrix) or {red: ..., amber: ..., green: ...} (rag)"))
    for band, value in scheme.bands.items():
        where = ("scheme", "bands", band)
        if scheme.kind == "product" and not isinstance(value, int):
            found.append(_at(lines, shown, where, "risks.scheme",
                             f"the band '{band}' of a product scheme must be the lowest score in it, not {value!r}",
                             f"write a whole number, e.g. {band}: 8"))
        if scheme.kind == "matrix":
            allowed = matrix_ratings(scheme)
            wrong = [r for r in (value if isinstance(value, list) else [value])
                     if str(r).lower() not in (a.lower() for a in allowed)]
            if wrong or not isinstance(value, list):
                found.append(_at(lines, shown, where, "risks.scheme",
                                 f"the band '{band}' lists {', '.join(map(str, wrong)) or repr(value)}, "
                                 "which are not ratings of this scheme",
                                 f"list ratings made of a likelihood and an impact level: {', '.join(allowed)}"))
    if scheme.kind == "matrix" and not found:
        banded = {str(r).lower() for v in scheme.bands.values() for r in v}
        missing = [r for r in matrix_ratings(scheme) if r.lower() not in banded]
        if missing:
            found.append(_at(lines, shown, ("scheme", "bands"), "risks.scheme",
                             f"the ratings {', '.join(missing)} are in none of the scheme's bands",
                             "add each of them to the band the council's scheme puts it in"))
    return found


def _risk_problems(scheme: RiskScheme, risk: Risk, index: int, lines: LineMap, shown: str) -> list[Finding]:
    where = f" (in the {_ordinal(index + 1)} risk, '{risk.risk}')"
    found = []
    if scheme.kind == "product":
        if risk.rating is not None:
            found.append(_at(lines, shown, ("risks", index, "rating"), "risks.rating",
                             f"'rating' is written, but this plan's scheme computes it (likelihood x impact){where}",
                             "delete the 'rating:' line, or declare the council's own scheme under 'scheme:' "
                             "(content/README.md shows a matrix scheme with ratings such as D2)"))
        for axis in AXES:
            found += _axis_problem(scheme, risk, index, axis, where, lines, shown)
    elif scheme.kind == "matrix":
        if isinstance(risk.rating, NotRecorded):
            pass            # published as "not recorded"
        elif risk.rating is not None:
            if _split_matrix(scheme, str(risk.rating).strip()) is None:
                found.append(_at(lines, shown, ("risks", index, "rating"), "risks.rating",
                                 f"'rating' is {risk.rating!r}, which is not a rating in this plan's risk scheme{where}",
                                 f"use a likelihood ({', '.join(scheme.likelihood)}) followed by an impact "
                                 f"({', '.join(scheme.impact)}), e.g. rating: {matrix_ratings(scheme)[len(matrix_ratings(scheme)) // 2]}"))
            elif risk.likelihood is not None or risk.impact is not None:
                found.append(_at(lines, shown, ("risks", index, "rating"), "risks.rating",
                                 f"the risk has both a 'rating' and a likelihood or impact{where}: they could disagree",
                                 "keep either 'rating:' (e.g. D2) or 'likelihood:' and 'impact:', not both"))
        else:
            for axis in AXES:
                found += _axis_problem(scheme, risk, index, axis, where, lines, shown)
    else:
        colours = list(scheme.bands)
        if isinstance(risk.rating, NotRecorded):
            pass
        elif risk.rating is None or not any(c.lower() == str(risk.rating).strip().lower() for c in colours):
            subject = "'rating' is missing" if risk.rating is None else f"'rating' is {risk.rating!r}, which is not a rating in this plan's risk scheme"
            found.append(_at(lines, shown, ("risks", index, "rating") if risk.rating is not None else ("risks", index),
                             "risks.rating", subject + where, f"use one of: {', '.join(colours)}, e.g. rating: {colours[0]}"))
        for axis in AXES:
            if getattr(risk, axis) is not None and getattr(scheme, axis):
                found += _axis_problem(scheme, risk, index, axis, where, lines, shown)
    return found


def _axis_problem(scheme: RiskScheme, risk: Risk, index: int, axis: str, where: str, lines: LineMap,
                  shown: str) -> list[Finding]:
    value = getattr(risk, axis)
    if isinstance(value, NotRecorded):
        return []           # published as "not recorded", its rating "not available"
    location = ("risks", index, axis)
    wanted, example = _scale_words(scheme, axis), _example(scheme, axis)
    if value is None:
        return [_at(lines, shown, ("risks", index), "risks.missing", f"'{axis}' is missing{where}",
                    f"add '{axis}:' with {wanted}, e.g. {axis}: {example}")]
    if _level(scheme, axis, value) is not None:
        return []
    numbers = _numeric(scheme, axis) if scheme.kind == "product" else None
    if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        return [_at(lines, shown, location, "risks.scale", f"'{axis}' is {value!r}, but it must be {wanted}{where}",
                    f"correct the value, e.g. {axis}: {example}")]
    if numbers:
        return [_at(lines, shown, location, "risks.scale", f"'{axis}' must be {wanted}, not {value!r}{where}",
                    f"write it in digits, without £, commas or words, e.g. {axis}: {example} "
                    "(or declare the council's own scheme under 'scheme:', see content/README.md)")]
    return [_at(lines, shown, location, "risks.scale",
                f"'{axis}' is {value!r}, which is not a level of this plan's risk scheme{where}",
                f"use {wanted}, e.g. {axis}: {example}")]
