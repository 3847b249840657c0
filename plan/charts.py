"""Charts of the headline indicators, made with Altair.

Each chart is one Vega-Lite spec used two ways: as a static SVG (vl-convert, offline) for
print and for readers without JavaScript, and interactively on the site through vega-embed,
whose JavaScript is served from the site itself. Every chart has alt text and its data table
beside it, in the indicators block template.
"""
from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import altair as alt
import pandas as pd

from . import i18n
from .derive import Indicator, figure_value

AREA_STYLES = {  # colour-blind-safe colours, and a dash pattern so lines differ without colour
    "service": ("#0b4f9c", []),
    "family": ("#b35806", [6, 3]),
    "region": ("#1b7837", [2, 2]),
    "national": ("#595959", [8, 3, 2, 3]),
    "authority": ("#762a83", [1, 3]),   # a joint service's first authority (plan/joint.py)
}
# A joint service's further authorities: each its own colour and dash, so no two lines of the
# chart look alike and the legend tells them apart (colour-blind-safe, distinct from the above).
AUTHORITY_STYLES = [AREA_STYLES["authority"], ("#c51b7d", [4, 2, 1, 2]), ("#01665e", [10, 2]),
                    ("#8c510a", [3, 1]), ("#4d4d4d", [1, 1])]


def area_styles(indicator: Indicator) -> tuple[list[str], list[list[int]]]:
    """The colour and dash of each area's line: by kind, and the authorities one style each."""
    colours, dashes, authorities = [], [], 0
    for s in indicator.series:
        if s.kind == "authority":
            colour, dash = AUTHORITY_STYLES[authorities % len(AUTHORITY_STYLES)]
            authorities += 1
        else:
            colour, dash = AREA_STYLES[s.kind]
        colours.append(colour)
        dashes.append(dash)
    return colours, dashes


@dataclass
class Chart:
    id: str
    spec_json: str              # Vega-Lite spec for vega-embed on the site
    svg_data_uri: str           # the same chart as static SVG
    alt: str                    # text alternative, said in words


def describe(indicator: Indicator, language: str | None = None) -> str:
    """The chart in words: what it shows and the latest value of each area, in the page's
    language (the English is the catalogue's message id, so it reads as it always has)."""
    unit = indicator.definition.unit
    parts = []
    for series in indicator.series:
        if series.latest:
            parts.append(f"{series.name} {figure_value(indicator, series.latest)}")
    span = (i18n.gettext("from %(first)s to %(last)s", language) % {"first": indicator.periods[0],
                                                                 "last": indicator.periods[-1]}
            if indicator.periods else "")
    return i18n.gettext("Line chart of %(title)s (%(unit)s) %(span)s, for the service and its comparators. Latest "
                        "period: %(latest)s. The figures are in the table that follows.", language) % {
        "title": indicator.definition.title.lower(), "unit": unit, "span": span, "latest": "; ".join(parts)}


def spec(indicator: Indicator, language: str | None = None) -> alt.Chart:
    rows = [{"Period": f.period, "Area": s.name, "Value": round(f.value, indicator.definition.decimals + 1)}
            for s in indicator.series for f in s.figures]
    names = [s.name for s in indicator.series]
    colours, dashes = area_styles(indicator)
    y_title = f"{indicator.definition.short} ({indicator.definition.unit})"
    return (
        alt.Chart(pd.DataFrame(rows), title=indicator.definition.title,
                  description=describe(indicator, language), width=520, height=260)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("Period:O", sort=indicator.periods, title=i18n.gettext("Period", language),
                    axis=alt.Axis(labelAngle=0)),
            y=alt.Y("Value:Q", title=y_title, scale=alt.Scale(zero=True)),
            color=alt.Color("Area:N", sort=names, scale=alt.Scale(domain=names, range=colours),
                            legend=alt.Legend(orient="bottom", title=None)),
            strokeDash=alt.StrokeDash("Area:N", sort=names, scale=alt.Scale(domain=names, range=dashes),
                                      legend=alt.Legend(orient="bottom", title=None)),
            tooltip=_tooltips(language, y_title))
        .configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#222", titleColor="#222")
        .configure_legend(labelFontSize=12, labelColor="#222", symbolStrokeWidth=3)
        .configure_title(fontSize=14, color="#111", anchor="start")
    )


def _tooltips(language: str | None, y_title: str) -> list:
    """What a reader hovering on a point sees: the field names in English as before; in another
    language each named from the catalogue."""
    if i18n.is_source(language):
        return ["Area:N", "Period:O", alt.Tooltip("Value:Q", title=y_title)]
    return [alt.Tooltip("Area:N", title=i18n.gettext("Area", language)),
            alt.Tooltip("Period:O", title=i18n.gettext("Period", language)), alt.Tooltip("Value:Q", title=y_title)]


def start_engine() -> None:
    """Start vl-convert's JavaScript engine in the background. Its first drawing takes about
    half a second to start the engine; the engine releases the GIL, so this overlaps with
    loading and checking the plan instead of adding to the build."""
    import threading

    import vl_convert as vlc
    threading.Thread(target=vlc.vegalite_to_svg, args=({"mark": "point"},), daemon=True).start()


@cache
def _svg(spec_json: str) -> str:
    import vl_convert as vlc
    return vlc.vegalite_to_svg(json.loads(spec_json))


_drawn: dict[str, Chart] = {}


def chart(indicator: Indicator, language: str | None = None) -> Chart:
    """The indicator's chart; the same figures give the same chart, drawn once per process
    (the preview renders every page on each save)."""
    figures = [[s.name, s.kind, [[f.period, f.value, f.published] for f in s.figures]] for s in indicator.series]
    key = json.dumps([repr(indicator.definition), indicator.periods, figures, language])
    if key not in _drawn:
        _drawn[key] = _draw(indicator, language)
    return _drawn[key]


def _draw(indicator: Indicator, language: str | None = None) -> Chart:
    spec_json = json.dumps(spec(indicator, language).to_dict(), sort_keys=True)
    svg = _svg(spec_json)
    return Chart(indicator.definition.id, spec_json.replace("</", "<\\/"),   # safe inside <script>
                 "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(), describe(indicator, language))


@cache
def javascript_bundle() -> str:
    """vega-embed, Vega-Lite and Vega in one file, made offline: the site loads nothing from
    elsewhere. Making the bundle takes seconds, so it is kept in the user's cache folder,
    named after the vl-convert version that made it."""
    import vl_convert as vlc

    ours = (Path(__file__).parent / "charts.js").read_text(encoding="utf-8")
    cache_dir = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "yjplan"
    cached = cache_dir / f"vega-bundle-{vlc.__version__}-{vlc.get_vega_embed_version()}.js"
    if not cached.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(vlc.javascript_bundle(), encoding="utf-8")
        partial.replace(cached)          # whole file or nothing, even with two builds at once
    return cached.read_text(encoding="utf-8") + "\n" + ours
