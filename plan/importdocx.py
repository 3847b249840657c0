"""`yjplan import-docx FILE.docx YEAR`: start a plan year from a council's Word plan.

mammoth turns the Word document into clean HTML by its styles (Word's Heading 1-3 become
h1-h3; tables and images are kept), which is what a plan's structure lives in; pandoc (the
pypandoc-binary wheel) turns each section's HTML into Markdown. The document is split at its
headings, and each heading is matched to a heading of the plan's guidance edition; its tables
are recognised by their header rows (plan/rules/import-docx.yml) and drafted as the YAML files
content/README.md describes. Everything is written to a hidden folder beside the year folders
and renamed into place at the end, so a failure leaves content/ as it was; the year folder must
be new. The result is a draft for `yjplan check` to read: what the import could not place or
had to guess is listed in its report, never dropped silently.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import yaml

from . import privacy, rules
from .load import is_plan_year, plan_years
from .problems import Finding, PlanError

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")   # an encrypted .docx, or an old .doc

# Word's built-in heading and title styles, mapped explicitly so a document whose headings
# were made with "Title" or "Heading 4" still splits; everything else keeps mammoth's defaults.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Heading 1'] => h1:fresh
p[style-name='Heading 2'] => h2:fresh
p[style-name='Heading 3'] => h3:fresh
p[style-name='Heading 4'] => h3:fresh
"""

# A Word heading matches a guidance heading when, after the numbering is taken off, either the
# whole titles are alike (difflib ratio) or the words are (Dice overlap of the meaningful
# words, or every word of a short heading in the guidance's): 0.75 accepts "Governance and
# leadership" for "Governance, leadership and partnership arrangements" and "Child-first
# practice" for "Child First", and refuses "Local priorities" for "Priorities" only when the
# words differ too much. Tested on the sample's headings (tests/test_import_docx.py).
MATCH_THRESHOLD = 0.75
NUMBERING = re.compile(
    r"^\s*(?:(?:section|part|chapter|appendix|annex|adran|rhan|pennod|atodiad)\s+)?(?:\d+(?:\.\d+)*\.?|[ivx]+[.)]|[a-z][.)])?(?=[\s:.\-–—]|$)"
    r"[\s:.\-–—)]*", re.I)
STOPWORDS = {"and", "the", "of", "for", "on", "in", "a", "an", "to", "our", "this", "year", "plan", "s",
             # Welsh, for a Welsh plan's headings (import-docx --welsh): and, the, of, in, for, on, to
             "ac", "y", "yr", "o", "yn", "ar", "gyfer", "i", "ein", "cynllun"}


@dataclass
class Report:
    """What the user must review, in the order the import found it."""
    matched: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    guessed: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    personal: list[str] = field(default_factory=list)
    welsh: list[str] = field(default_factory=list)      # --welsh: how the Welsh plan's sections were paired

    def text(self, shown: str) -> str:
        parts = [f"Imported into {shown}/ as a draft. To review:"]
        for title, items in (("Personal data (remove it from the plan and keep the Word file private)", self.personal),
                             ("Headings matched", self.matched), ("Headings not matched", self.unmatched),
                             ("Tables drafted as YAML", self.tables), ("Tables not recognised (kept in the narrative)",
                                                                      self.unrecognised),
                             ("Guessed", self.guessed), ("The Welsh plan", self.welsh),
                             ("Images: write each one's text alternative", self.images),
                             ("To do", self.todo)):
            if items:
                parts.append(f"\n{title}:")
                parts += [f"  - {item}" for item in items]
        parts.append(f"\nNext: run 'yjplan check {Path(shown).name}': it lists everything else to fill in.")
        return "\n".join(parts)


def _error(rule: str, message: str, fix: str, file: str = "") -> PlanError:
    return PlanError([Finding("import-docx." + rule, message, fix=fix, file=file)])


@cache
def table_rules() -> dict:
    return yaml.safe_load((rules.RULES_DIR / "import-docx.yml").read_text(encoding="utf-8"))


# --- reading the Word document ----------------------------------------------------------------

def read_docx(path: Path, images: dict[str, bytes]) -> str:
    """The document as HTML, its images collected into `images` (file name -> bytes). Anything
    that is not a readable Word document is one plain error."""
    shown = str(path)
    if not path.is_file():
        raise _error("file", "this file does not exist", "check the path of the Word document", shown)
    head = path.open("rb").read(8)
    if not head:
        raise _error("empty", "the file is empty (0 bytes)", "save the plan again from Word as a .docx", shown)
    if head == OLE_SIGNATURE:
        raise _error("protected", "this is not a .docx that can be read: it is password-protected (or an old "
                     "Word 97-2003 .doc)", "remove the password (File > Info > Protect Document) or save it as "
                     "a Word Document (.docx), then import that copy", shown)
    if not zipfile.is_zipfile(path) or "word/document.xml" not in zipfile.ZipFile(path).namelist():
        raise _error("not-docx", "this is not a Word document (.docx)", "save the plan from Word as a Word "
                     "Document (.docx) and import that file", shown)
    import mammoth

    def keep_image(image):
        name = f"image{len(images) + 1}.{image.content_type.split('/')[-1].replace('jpeg', 'jpg').split('+')[0]}"
        with image.open() as data:
            images[name] = data.read()
        return {"src": f"../images/{name}", "alt": (image.alt_text or "").strip()}
    try:
        with path.open("rb") as file:
            result = mammoth.convert_to_html(file, style_map=STYLE_MAP,
                                             convert_image=mammoth.images.img_element(keep_image))
    except Exception as exc:      # noqa: BLE001: a damaged document is a message, not a traceback
        raise _error("not-docx", f"this Word document could not be read ({type(exc).__name__}: {exc})",
                     "open it in Word, save it again as a .docx, and import that copy", shown) from None
    return result.value


def _elements(html: str) -> list:
    import lxml.html
    return list(lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div"))


def _text(element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


# --- headings ----------------------------------------------------------------------------------

def _words(title: str) -> list[str]:
    plain = NUMBERING.sub("", title).lower().replace("&", " and ")
    return [w for w in re.findall(r"[a-z0-9]+", plain) if w not in STOPWORDS]


def similarity(word_title: str, guidance_title: str) -> float:
    """How alike a Word heading and a guidance heading are, 0..1, ignoring numbering and case."""
    mine, theirs = _words(word_title), _words(guidance_title)
    if not mine or not theirs:
        return 0.0
    ratio = difflib.SequenceMatcher(None, " ".join(mine), " ".join(theirs)).ratio()
    a, b = set(mine), set(theirs)
    dice = 2 * len(a & b) / (len(a) + len(b))
    within = 1.0 if len(a) >= 2 and a <= b else 0.0      # "Governance and leadership" in the longer title
    return max(ratio, dice, within)


def match_heading(title: str, guidance, taken: set[str]):
    """The guidance heading a Word heading stands for (by title or id), or None."""
    best, score = None, 0.0
    for heading in guidance.headings:
        if heading.id in taken:
            continue
        value = max(similarity(title, heading.title), similarity(title, heading.id.replace("-", " ")))
        if value > score:
            best, score = heading, value
    return best if score >= MATCH_THRESHOLD else None


# --- tables ------------------------------------------------------------------------------------

def _rows(table) -> list[list[str]]:
    return [[_text(cell) for cell in row.xpath("./td|./th")] for row in table.iter("tr")]


def _column(headers: list[str], words: list[str], used: set[int]) -> int | None:
    for index, header in enumerate(headers):
        if index not in used and any(w in header for w in words):
            return index
    return None


def recognise(rows: list[list[str]]) -> tuple[str, dict[str, int]] | None:
    """The kind of plan table (board, contributions ...) and the column of each field, or None."""
    if len(rows) < 2:
        return None
    headers = [h.lower().replace("&", "and") for h in rows[0]]
    for kind, spec in table_rules()["tables"].items():
        if not all(any(any(w in h for w in group) for h in headers) for group in spec["needs"]):
            continue
        columns, used = {}, set()
        for name, words in spec["columns"].items():
            if (index := _column(headers, words, used)) is not None:
                columns[name] = index
                used.add(index)
        return kind, columns
    return None


def partner_of(name: str) -> str | None:
    lower = name.lower()
    for partner, words in table_rules()["partners"].items():
        if any(w in lower for w in words):
            return partner
    return None


AMOUNT = re.compile(r"^\(?£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?\)?$")


def amount(text: str) -> int | str | None:
    """Whole pounds from '£1,180,000'; None for an empty cell or a dash; the text itself when it
    is not a number ('£1,2O0'), so the check refuses it at its line and it cannot be missed."""
    plain = text.replace(" ", "").replace("\u00a3", "£")
    if plain in ("", "-", "–", "—", "£0", "nil", "Nil"):
        return None if plain in ("", "-", "–", "—") else 0
    match = AMOUNT.match(plain)
    return int(match.group(1).replace(",", "")) if match else text


class TableDrafts:
    """The YAML the recognised tables become, file by file, with what was guessed or left to do."""

    def __init__(self, report: Report):
        self.report = report
        self.data: dict[str, dict] = {}

    def add(self, kind: str, columns: dict[str, int], rows: list[list[str]], where: str) -> None:
        cell = lambda row, name: row[columns[name]].strip() if name in columns and columns[name] < len(row) else ""  # noqa: E731
        entries = [entry for row in rows[1:] if any(c.strip() for c in row)
                   if (entry := getattr(self, "_" + kind)(lambda name, r=row: cell(r, name), where)) is not None]
        if kind == "contributions":
            self._compare_budget_total(entries, where)
        file = table_rules()["tables"][kind]["file"]
        self.report.tables.append(f"{kind.replace('_', ' ')} table ({len(entries)} row(s)) {where} -> {file}")
        self._staff_privacy(kind, columns, where)
        target = self.data.setdefault(file, {})
        key = {"board": "members", "contributions": "contributions", "grant_allocation": "grant_allocation",
               "staffing": "posts", "champions": "champions", "glossary": "terms", "risks": "risks",
               "priorities": "priorities"}[kind]
        if kind == "priorities":
            for entry in entries:                   # actions grouped under their priority's title
                found = next((p for p in target.setdefault(key, []) if p["title"] == entry["title"]), None)
                if found is None:
                    target[key].append(found := {"title": entry["title"], "actions": []})
                found["actions"].append(entry["action"])
        else:
            target.setdefault(key, []).extend(entries)

    def _compare_budget_total(self, rows: list[dict], where: str) -> None:
        """The Word table's own Total row has no place in finance.yml (the budget's total is
        computed), so a total that disagrees with its rows is reported here instead."""
        typed, self.typed_budget_total = getattr(self, "typed_budget_total", None), None
        parts = [row.get(name, 0) for row in rows for name in ("staffing", "in_kind", "other")]
        if isinstance(typed, int) and all(isinstance(p, int) for p in parts) and typed != sum(parts):
            self.report.todo.append(f"the budget table's Total row {where} says £{typed:,}, but its rows add up "
                                    f"to £{sum(parts):,}: the plan will show £{sum(parts):,}")

    def _staff_privacy(self, kind: str, columns: dict, where: str) -> None:
        if kind == "staffing" and ("ethnicity" in columns or "sex" in columns):
            self.report.personal.append(
                f"the staffing table {where} lists staff post by post with their "
                f"{' and '.join(c for c in ('ethnicity', 'sex') if c in columns)}: staffing.yml keeps it, and the "
                "plan publishes only counts, but the Word plan published it as it is")

    def _guess_partner(self, name: str, where: str) -> str:
        partner = partner_of(name)
        self.report.guessed.append(f"'{name}' {where}: partner '{partner or 'other'}'")
        return partner or "other"

    def _number(self, text: str, what: str, where: str):
        value = amount(text)
        if isinstance(value, str):
            self.report.todo.append(f"{what} {where}: '{text}' is not a number in whole pounds; "
                                    "it is copied as written, so 'yjplan check' names its line")
        return value

    def _board(self, cell, where):
        name, role = cell("name"), cell("role") or "TODO: the member's role"
        organisation = cell("organisation") or "TODO: the member's organisation"
        member = {"name": name} if name and name.lower() != "vacant" else {"vacant": True}
        member.update(role=role, organisation=organisation,
                      partner=self._guess_partner(organisation, f"(board member {name or role})"))
        if re.search(r"\bvice[- ]?chair", role, re.I):
            member["position"] = "vice-chair"
        elif re.search(r"\bchair", role, re.I):
            member["position"] = "chair"
        if (attended := re.match(r"\s*(\d+)", cell("attended"))) and "vacant" not in member:
            member["attended"] = int(attended.group(1))
        return {"name": member.pop("name")} | member if "name" in member else member

    def _contributions(self, cell, where):
        agency = cell("agency")
        if not agency or agency.lower().startswith("total"):
            if agency:
                self.report.guessed.append(f"the budget table's '{agency}' row {where} was left out: yjplan "
                                           "computes the budget's total from the rows")
                self.typed_budget_total = amount(cell("total"))
            return None
        row = {"agency": agency, "partner": self._guess_partner(agency, f"(budget row {agency})")}
        for name in ("staffing", "in_kind", "other", "total"):
            value = self._number(cell(name), f"the {agency} row's {name.replace('_', ' ')}", where)
            if value is not None:
                row[name] = value
        return row

    def _grant_allocation(self, cell, where):
        area = cell("area")
        if area.lower().startswith("total"):
            return None
        return {"area": area, "activity": cell("activity") or area,
                "cost": self._number(cell("cost"), f"the grant allocation to '{area}'", where) or 0}

    def _staffing(self, cell, where):
        post = {"post": cell("post")}
        fte = cell("fte")
        try:
            post["fte"] = float(fte)
        except ValueError:
            post["fte"] = "not recorded"
            self.report.todo.append(f"FTE of '{post['post']}' {where}: '{fte}' is not a number")
        post["contract"] = self._choice(cell("contract").lower(), ["permanent", "fixed term", "agency", "secondee",
                                                                  "sessional", "volunteer"], "permanent", post, where)
        post["sex"] = self._choice(cell("sex").lower(), ["female", "male", "not known"], "not known", post, where)
        post["ethnicity"] = self._choice(cell("ethnicity"), ["Asian", "Black", "Mixed", "White", "Other", "Not known"],
                                         "Not known", post, where)
        return post

    def _choice(self, text: str, allowed: list[str], default: str, post: dict, where: str) -> str:
        found = next((a for a in allowed if text.lower().startswith(a.lower())), None)
        if found is None or found.lower() != text.lower():
            self.report.guessed.append(f"'{post['post']}' {where}: '{text}' read as '{found or default}'")
        return found or default

    def _champions(self, cell, where):
        return {"area": cell("area") or cell("role"), "role": cell("role") or "TODO: the champion's role",
                "meetings": cell("meetings"), "expectations": cell("expectations") or "TODO: what is expected"}

    def _glossary(self, cell, where):
        return {"term": cell("term"), "meaning": cell("meaning")} if cell("term") else None

    def _risks(self, cell, where):
        risk = {"risk": cell("risk"), "description": cell("description") or "TODO: describe the risk",
                "mitigation": cell("mitigation") or "TODO: the mitigation"}
        for name in ("likelihood", "impact"):
            if cell(name):
                risk[name] = int(cell(name)) if cell(name).isdigit() else cell(name)
        if cell("rating") and "likelihood" not in risk:
            risk["rating"] = cell("rating").lower()
        return risk

    def _priorities(self, cell, where):
        due = _date(cell("due"))
        if not isinstance(due, dt.date):
            self.report.todo.append(f"due date of '{cell('action')}' {where}: '{cell('due')}' is not a date")
        status = cell("status").lower()
        if status not in ("complete", "on track", "at risk", "off track", "not started"):
            self.report.guessed.append(f"status of '{cell('action')}' {where}: '{cell('status')}' read as "
                                       "'not started'")
            status = "not started"
        return {"title": cell("title"), "action": {"action": cell("action"), "owner": cell("owner") or "TODO",
                                                  "due": due, "status": status}}


def _date(text: str):
    for form in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%B %Y"):
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    return text or "TODO: YYYY-MM-DD"


def markdown_table(rows: list[list[str]]) -> str:
    """A table as Markdown, its first row the header (the check asks every table for one)."""
    width = max(len(r) for r in rows)
    cells = [[c.replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in rows]
    cells[0] = [c or f"Column {i + 1}" for i, c in enumerate(cells[0])]
    lines = ["| " + " | ".join(r) + " |" for r in cells]
    return "\n".join([lines[0], "|" + "---|" * width, *lines[1:]])


# --- the narrative -----------------------------------------------------------------------------

def to_markdown(html: str) -> str:
    import pypandoc
    text = pypandoc.convert_text(html, "gfm", format="html", extra_args=["--wrap=none"]).strip()
    return literal_braces(text)


def literal_braces(text: str) -> str:
    """Word text that happens to hold "{{", "{%" or "{#" is kept as text: narrative is a
    template, so each opener is written as a string the template prints."""
    return re.sub(r"\{[{%#]", lambda m: '{{ "' + m.group(0) + '" }}', text)


@dataclass
class Section:
    heading_id: str
    title: str
    parts: list[str] = field(default_factory=list)    # HTML, or ("md", text) for tables


def split(elements: list, guidance, report: Report, drafts: TableDrafts | None) -> list[Section]:
    """The document cut at its headings; each piece becomes one narrative file."""
    sections: list[Section] = []
    before: list = []                                 # text above the first matched heading
    taken: set[str] = set()
    pending: list[tuple[str, int]] = []               # unmatched headings not yet placed
    import lxml.html
    for element in elements:
        tag = element.tag.lower()
        current = sections[-1] if sections else None
        target = current.parts if current else before
        if tag in ("h1", "h2", "h3"):
            title = _text(element)
            if not title:
                continue
            heading = match_heading(title, guidance, taken)
            if heading is not None:
                taken.add(heading.id)
                sections.append(Section(heading.id, heading.title))
                report.matched.append(f"'{title}' -> {heading.id} ({heading.title})")
                while target and isinstance(target[-1], tuple) and target[-1][0] == "heading":
                    target.pop()                      # a wrapper heading with no text of its own
                _place(pending, report, f"left out: it has no text of its own (above '{title}')")
                pending = []
                continue
            pending.append((title, len(report.unmatched)))
            report.unmatched.append(title)
            target.append(("heading", title, tag))
            continue
        if tag == "table":
            rows = _rows(element)
            where = f"under '{current.title if current else 'the start of the document'}'"
            found = recognise(rows) if drafts is not None else None     # None: every table stays in the text
            if found:
                drafts.add(found[0], found[1], rows, where)
            elif rows:
                target.append(("md", markdown_table(rows)))
                report.unrecognised.append(f"table with columns {', '.join(rows[0])} {where}: kept as a Markdown "
                                           "table in the narrative")
            continue
        if _text(element) or element.xpath(".//img"):
            where = current.heading_id if current else None
            _place(pending, report, where and f"a '##' sub-heading in the narrative file for {where}")
            pending = []
            target.append(lxml.html.tostring(element, encoding="unicode"))
    if not sections:
        raise _error("no-headings", "the document has no headings yjplan could match, so it cannot be split "
                     "into the plan's sections", "give each section title Word's Heading 1 or Heading 2 style "
                     "(Home > Styles), then import again")
    if before:
        sections[0].parts[:0] = before
        _place(pending, report, f"the narrative file for {sections[0].heading_id}")
    _place(pending, report, f"a '##' sub-heading in the narrative file for {sections[-1].heading_id}")
    return sections


def _place(pending: list[tuple[str, int]], report: Report, where: str | None) -> None:
    """Say where each unmatched heading went."""
    for title, index in pending:
        report.unmatched[index] = f"'{title}' -> {where or 'the narrative file of the first matched heading'}"


def section_markdown(section: Section) -> str:
    chunks, html = [], []

    def flush():
        if html:
            chunks.append(to_markdown("".join(html)))
            html.clear()
    for part in section.parts:
        if isinstance(part, tuple):
            flush()
            chunks.append(part[1] if part[0] == "md" else f"{'###' if part[2] == 'h3' else '##'} {part[1]}")
        else:
            html.append(part)
    flush()
    return "\n\n".join(c for c in chunks if c)


# --- plan.yml and the other drafts -------------------------------------------------------------

def _free_year(root: Path) -> str:
    """The year after the latest plan year: a folder --into can name."""
    from .newyear import next_year
    years = plan_years(root)
    return next_year(years[-1]) if years else "2026-27"


def _previous_plan(root: Path) -> dict:
    years = plan_years(root)
    if not years:
        return {}
    try:
        return yaml.safe_load((root / "content" / years[-1] / "plan.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}


def choose_edition(root: Path, given: str | None, start: dt.date):
    if given:
        if (guidance := rules.guidance(given)) is None:
            raise _error("guidance", f"'{given}' is not a guidance edition yjplan knows",
                         f"use one of: {', '.join(rules.guidance_editions())}")
        return guidance
    edition = _previous_plan(root).get("guidance") or rules.edition_for(start) or rules.guidance_editions()[-1]
    return rules.guidance(edition) or rules.guidance(rules.edition_for(start))


def plan_yml(root: Path, year: str, edition: str, report: Report) -> dict:
    """A draft plan.yml: the council, service and contact of the latest plan year (the same
    council's plan), the dates of the new year, and placeholders for what only the new plan says."""
    previous = _previous_plan(root)
    start = dt.date(int(year[:4]), 4, 1)
    placeholder = "TODO: from the Word plan"
    report.todo.append("plan.yml: sign-off, approvals, figures date and contact are placeholders or carried "
                       "from the latest plan year: check each")
    return {
        "authority": previous.get("authority", placeholder), "service": previous.get("service", placeholder),
        "guidance": edition, "nation": previous.get("nation", "england"), "status": "draft",
        "period": {"start": start, "end": dt.date(start.year + 1, 3, 31)},
        "figures_date": dt.date(start.year, 5, 31), "language": previous.get("language", "en-GB"),
        "sign_off": {"name": "TODO: the chair of the management board", "role": "TODO: the chair's role"},
        "approvals": [],
        "contact": previous.get("contact") or {"team": placeholder, "email": "TODO@example.gov.uk"},
        "comparators": previous.get("comparators") or {"service": "TODO", "family": "TODO", "region": "TODO",
                                                       "national": "england"},
    }


EMPTY_DRAFTS = {
    "governance.yml": {"meetings_held": "not recorded", "meeting_frequency": "TODO: how often the board meets",
                       "members": []},
    "finance.yml": {"contributions": []},
    "staffing.yml": {"posts": []},
    "champions.yml": {"champions": []},
    "priorities.yml": {"priorities": []},
    "risks.yml": {"risks": []},
    "glossary.yml": {"terms": []},
}


def _dump(path: Path, data: dict, note: str) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
    path.write_text(f"# {note}\n" + text, encoding="utf-8")


# --- personal data -----------------------------------------------------------------------------

def _privacy_context(root: Path) -> privacy.Context:
    try:
        site = yaml.safe_load((root / "content" / "site.yml").read_text(encoding="utf-8")) or {}
        authority = site.get("authority", "")
        names = [authority] if isinstance(authority, str) else [str(name) for name in authority]
        settings = SimpleNamespace(address=site["address"], email_domains=site.get("email_domains", []),
                                   authority_names=names)
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        settings = None
    return privacy.Context.build(settings, [])


def personal_data(text: str, context: privacy.Context, where: str) -> list[str]:
    return [f"{issue.message} ({where})" for issue in privacy.contact_issues(text, context)
            if issue.rule in ("privacy.contact", "privacy.email-domain")]


# --- the whole import --------------------------------------------------------------------------

def import_docx(root: Path, source: Path, year: str, into: str | None = None, edition: str | None = None,
                announce=None, welsh: Path | None = None) -> tuple[Path, Report]:
    """Write content/<into or year>/ from the Word plan `source`. Returns the folder and the report.
    `announce` is called with each personal-data finding as soon as it is found. `welsh`: the
    same plan in Welsh, whose sections become each narrative file's Welsh counterpart
    (<name>.cy.md), making the draft a plan in English and Welsh."""
    target_year = into or year
    for name in filter(None, (year, into)):
        if not is_plan_year(name):
            raise _error("year", f"'{name}' is not a plan year", "write it like 2026-27")
    target = root / "content" / target_year
    if target.exists():
        free = _free_year(root)
        fix = (f"name a new year folder with --into, e.g. --into {free}" if not into
               else f"choose a year folder that does not exist yet, e.g. {free}")
        raise _error("exists", f"content/{target_year}/ already exists; nothing was written", fix,
                     f"content/{target_year}/")
    report = Report()
    images: dict[str, bytes] = {}
    elements = _elements(read_docx(source, images))
    if not any(_text(e) or e.xpath(".//img") for e in elements):
        raise _error("empty", "the document has no text", "import the Word file that holds the plan", str(source))
    guidance = choose_edition(root, edition, dt.date(int(target_year[:4]), 4, 1))
    drafts = TableDrafts(report)
    sections = split(elements, guidance, report, drafts)
    welsh_sections = welsh_split(welsh, guidance, images, report, sections) if welsh else None
    context = _privacy_context(root)
    staging = root / "content" / f".{target_year}.import-docx"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _write(staging, root, source, year, target_year, guidance, sections, drafts, images, report, context,
               welsh_sections)
        for item in report.personal:
            if announce:
                announce(item)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)      # a failure or Ctrl-C leaves content/ as it was
        raise
    return target, report


def welsh_split(source: Path, guidance, images: dict[str, bytes], report: Report,
                english: list[Section]) -> list[Section]:
    """The Welsh plan cut at its headings, matched to the guidance headings' Welsh titles (the
    catalogue's); only a section whose heading the English plan also has is kept (a narrative
    file's counterpart), the rest are reported. Its tables stay in its text: the YAML is the
    English plan's, whose free-text fields the author then gives in Welsh."""
    from . import i18n
    welsh = guidance.model_copy(update={"headings": [h.model_copy(update={"title": i18n.gettext(h.title, "cy-GB")})
                                                     for h in guidance.headings]})
    found = Report()
    try:
        sections = split(_elements(read_docx(source, images)), welsh, found, None)
    except PlanError as error:
        if error.findings[0].rule != "import-docx.no-headings":
            raise
        raise _error("no-headings", "the Welsh plan has no headings yjplan could match to the guidance's headings "
                     "in Welsh, so its sections cannot be paired with the English plan's",
                     "give each section title Word's Heading 1 or Heading 2 style, worded as the guidance's "
                     "heading in Welsh (e.g. 'Cyd-destun lleol'), then import again", str(source)) from None
    kept = {s.heading_id for s in english}
    report.welsh += [f"Welsh heading {line}" for line in found.matched]
    report.welsh += [f"Welsh heading not matched: {line}" for line in found.unmatched]
    report.welsh += [f"no English section for the Welsh section {s.heading_id} ('{s.title}'): left out"
                     for s in sections if s.heading_id not in kept]
    report.welsh += [f"no Welsh section for {s.heading_id}: write narrative/<its file>.cy.md (the check lists it)"
                     for s in english if s.heading_id not in {w.heading_id for w in sections}]
    return [s for s in sections if s.heading_id in kept]


def _write(staging: Path, root: Path, source: Path, year: str, target_year: str, guidance, sections, drafts,
           images, report: Report, context, welsh_sections: list[Section] | None = None) -> None:
    shown = f"content/{target_year}"
    (staging / "narrative").mkdir(parents=True)
    order = [h.id for h in guidance.headings]
    for section in [*sections, *(welsh_sections or [])]:
        name = f"{order.index(section.heading_id) + 1:02d}-{section.heading_id}{'.cy' if section in (welsh_sections or []) else ''}.md"
        body = section_markdown(section)
        report.personal += personal_data(body, context, f"{shown}/narrative/{name}")
        for number, line in enumerate(body.splitlines(), 4):
            if re.search(r"!\[\s*\]\(", line):
                report.images.append(f"{shown}/narrative/{name}, line {number}: an image with no text "
                                     "alternative (write it between the square brackets)")
        (staging / "narrative" / name).write_text(f"---\nheading: {section.heading_id}\n---\n{body}\n",
                                                  encoding="utf-8")
    if images:
        (staging / "images").mkdir()
        for name, data in images.items():
            (staging / "images" / name).write_bytes(data)
    note = f"Drafted by 'yjplan import-docx' from {source.name} ({year}): check every value."
    for name, data in drafts.data.items():
        for value in _strings(data):
            report.personal += personal_data(value, context, f"{shown}/{name}")
    meta = plan_yml(root, target_year, guidance.edition, report)
    if welsh_sections is not None:
        meta["languages"] = ["en-GB", "cy-GB"]
    _dump(staging / "plan.yml", meta, note)
    for name, empty in EMPTY_DRAFTS.items():
        data = {**empty, **drafts.data.get(name, {})} if name in ("governance.yml", "finance.yml") else \
            drafts.data.get(name, empty)
        if name not in drafts.data:
            report.todo.append(f"{name}: no table for it was found in the Word plan; an empty draft was written")
        _dump(staging / name, data, note)


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value
