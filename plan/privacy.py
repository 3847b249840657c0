"""Personal data and look-alike text: what must not reach a public agenda.

A plan is published (site, PDF, committee pack) even as a draft, so anything personal in it is
published too. This module finds, in every text the plan publishes:

- personal contact details: addresses at webmail and ISP domains, UK mobile and personal
  numbers (rule `privacy.contact`), and addresses at a domain that is not known to belong to an
  organisation (`privacy.email-domain`): organisational domains are an allow-list
  (`plan/rules/publication.yml` plus `email_domains` in content/site.yml), not a guess from a
  domain's shape;
- a named person's mailbox or direct line where a team's should be (`privacy.named-contact`, a
  warning);
- characters that make text look like something it is not: a Cyrillic or Greek letter inside a
  Latin word (`text.mixed-script`) and invisible characters (`text.invisible`).

Detection reads text the way a reader (or a mail client) will: Unicode NFKC, invisible
characters removed, HTML entities decoded, "[at]"/"(at)" and "[dot]"/"(dot)" read as "@" and
".", and phone numbers read as their digits whatever brackets, spaces, dots or dashes split them.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pydantic import BaseModel

from .problems import Finding, Severity, field_path

SITE_FILE = "content/site.yml"

# --- reading text as it will be read ---------------------------------------------------------

# Zero-width and other characters that print as nothing.
ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
# Characters that change the direction text is shown in, so what is seen is not what is stored.
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}
INVISIBLE = ZERO_WIDTH | BIDI_CONTROLS
# Removed before looking for contacts (a soft hyphen is invisible except at a line break).
HIDDEN = INVISIBLE | {"\u00ad"}

_OBFUSCATED_AT = re.compile(r"\s*[\[\(\{]\s*at\s*[\]\)\}]\s*", re.IGNORECASE)
_OBFUSCATED_DOT = re.compile(r"\s*[\[\(\{]\s*dot\s*[\]\)\}]\s*", re.IGNORECASE)


def normalise(text: str) -> str:
    """Text as a reader or a mail client takes it: what is hidden or encoded, made plain."""
    text = html.unescape(text) if "&" in text else text     # &#64; &commat; &period; ...
    if not text.isascii():
        text = "".join(c for c in text if c not in HIDDEN)
    text = unicodedata.normalize("NFKC", text)      # full-width ＠, ligatures, ...
    text = _OBFUSCATED_AT.sub("@", text)
    return _OBFUSCATED_DOT.sub(".", text)


# --- characters that are not what they look like --------------------------------------------

# Cyrillic and Greek letters a reader takes for Latin ones (the common confusables).
LOOK_ALIKES = {
    # Cyrillic capitals and small letters
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԛ": "Q", "Ԝ": "W",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y",
    # Greek capitals and small letters
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v", "ι": "i", "ρ": "p",
    "α": "a", "κ": "k", "υ": "u",
}
_WORD = re.compile(r"[^\W\d_]+")          # a run of letters, in any script
_FOREIGN = ("CYRILLIC", "GREEK")


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ")[0]


def describe(char: str) -> str:
    """'the Cyrillic capital letter М, U+041C (it looks like a Latin M)'."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    if not name:
        return f"the character {code}"
    words = name.split(" ")
    if words[0] in _FOREIGN and "LETTER" in words:
        kind = " ".join(w.lower() for w in words[1:words.index("LETTER")])
        text = f"the {words[0].title()} {kind + ' ' if kind else ''}letter {char}, {code}"
        return text + (f" (it looks like a Latin {LOOK_ALIKES[char]})" if char in LOOK_ALIKES else "")
    return f"the invisible character {name.lower()}, {code}"


def lookalike_letters(text: str) -> list[tuple[str, str]]:
    """(letter, word) for each Cyrillic or Greek letter that passes for a Latin one: inside a
    Latin word, or in a whole word of three or more letters that are all look-alikes (MAPPA
    typed in Cyrillic). A real Greek or Cyrillic word is left alone."""
    if text.isascii():       # most text: nothing from another alphabet (and the preview checks on every save)
        return []
    found: list[tuple[str, str]] = []
    for word in _WORD.findall(text):
        foreign = [c for c in word if _script(c) in _FOREIGN]
        if not foreign:
            continue
        disguised = len(word) >= 3 and all(c in LOOK_ALIKES for c in word)
        if any(_script(c) == "LATIN" for c in word) or disguised:
            found += [(c, word) for c in dict.fromkeys(foreign) if (c, word) not in found]
    return found


def invisible_characters(text: str) -> list[tuple[str, str]]:
    """(character, the text just before it) for zero-width characters and direction controls,
    except the zero-width joiner inside an emoji sequence (where it belongs)."""
    if text.isascii():       # every invisible character is outside ASCII
        return []
    found: list[tuple[str, str]] = []
    for index, char in enumerate(text):
        if char not in INVISIBLE or char in {c for c, _ in found}:
            continue
        if char == "\u200d" and 0 < index < len(text) - 1 and \
                unicodedata.category(text[index - 1]) == "So" and unicodedata.category(text[index + 1]) == "So":
            continue
        before = "".join(c for c in text[:index] if c not in HIDDEN).split()[-1:] or [""]
        found.append((char, before[0][-20:]))
    return found


def lookalike_hint(given: object) -> str:
    """For a value that failed validation: what in it is not what it looks like ('' if nothing)."""
    if not isinstance(given, str):
        return ""
    odd = [c for c, _ in lookalike_letters(given)] + [c for c, _ in invisible_characters(given)]
    return "; ".join(f"it contains {describe(c)}" for c in odd)


# --- findings, without a place yet ---------------------------------------------------------

@dataclass(frozen=True)
class Issue:
    rule: str
    message: str
    fix: str
    severity: Severity = Severity.ERROR


RETYPE = "retype the word (text copied from elsewhere can bring in a letter from another alphabet)"


def text_issues(text: str) -> list[Issue]:
    words: dict[str, list[str]] = {}
    for char, word in lookalike_letters(text):
        words.setdefault(word, []).append(describe(char))
    issues = [Issue("text.mixed-script", f"'{word}' contains " + " and ".join(letters), RETYPE)
              for word, letters in words.items()]
    issues += [Issue("text.invisible", f"the text contains {describe(c)}, which cannot be seen"
                     + (f", after '{before}'" if before else ""),
                     "delete the character: retype the text around it, or paste it as plain text")
               for c, before in invisible_characters(text)]
    return issues


# --- contact details -------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+'-]+@([\w-]+(?:\.[\w-]+)+)")
_PHONE_RUN = re.compile(r"\+?\(?\d[\d ().\-\u2013]*\d\)?")
_DIGITS = re.compile(r"\+?\d+")
_DIRECT = re.compile(r"\b(direct(\s+(line|dial|number))?|ddi|ext(ension)?\.?)\s*:?\s*$", re.IGNORECASE)
_EXTENSION = re.compile(r"^\s*,?\s*(ext(ension)?\.?|x)\s*\d", re.IGNORECASE)


def _rules() -> dict:
    from .derive import publication_rules     # derive imports load, which imports this module
    return publication_rules()


def registrable(domain: str) -> str:
    """The part of a domain an organisation registers: castlebridge.gov.uk for
    youthjustice.castlebridge.gov.uk, example.org for www.example.org. Second-level suffixes
    such as co.uk or gov.uk are recognised by their shape (a short label before a country code)."""
    labels = domain.lower().strip(".").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


def _under(domain: str, suffix: str) -> bool:
    return domain == suffix or domain.endswith("." + suffix)


@dataclass
class Context:
    """What the checks know about who publishes the plan and who is named in it."""
    allowed: list[str]                             # organisational e-mail domains
    people: list[str] = field(default_factory=list)  # names of people the plan names
    shared_words: set[str] = field(default_factory=set)  # words of a team's mailbox name
    public: list[str] = field(default_factory=list)  # public bodies' and the authority's own domains

    @classmethod
    def build(cls, site, people: Iterable[str], names: Iterable[str] = ()) -> Context:
        safety = _rules()
        public = [d.lower() for d in safety["organisational_email_domains"]]
        partners: list[str] = []
        words = {w.lower() for w in safety["shared_mailbox_words"]}
        if site is not None:
            host = site.address.split("/")[2].split(":")[0].lower()
            public += [host, registrable(host)]
            partners = [d.lower() for d in site.email_domains]
            names = [*names, *site.authority_names]
        for name in names:
            words |= {w.lower() for w in re.findall(r"[^\W\d_]{2,}", name)}
        return cls(public + partners, [p for p in people if p], words, public)

    def personal_domain(self, domain: str) -> bool:
        """Webmail and ISP domains: listed as a whole domain (sky.com), or as the name a
        provider registers under any suffix (hotmail: hotmail.com, hotmail.co.uk). A public
        body's domain never is (live.example.nhs.uk); a partner listed in site.yml can be."""
        domain = domain.lower()
        if any(_under(domain, d) for d in self.public):
            return False
        for entry in _rules()["personal_email_domains"]:
            if ("." in entry and _under(domain, entry)) or \
                    ("." not in entry and registrable(domain).split(".")[0] == entry):
                return True
        return False

    def organisational(self, domain: str) -> bool:
        return any(_under(domain.lower(), d) for d in self.allowed)

    def names_a_person(self, local: str) -> bool:
        """Whether a mailbox name looks like one person's: a name the plan mentions
        (helen.okafor, hokafor, h.okafor, okafor.helen), or the shape of one (firstname.lastname,
        j.smith) with no word of a team's mailbox in it."""
        local = re.sub(r"\d+$", "", local.lower())
        parts = [p for p in re.split(r"[._-]", local) if p]
        if not parts or any(p in self.shared_words for p in parts):
            return False
        for person in self.people:
            words = [w.lower() for w in re.findall(r"[^\W\d_]+", person)]
            words = [w for w in words if w not in PERSON_TITLES]
            if len(words) < 2:
                continue
            first, last = words[0], words[-1]
            forms = {f"{first}{sep}{last}" for sep in ("", ".", "_", "-")} | \
                    {f"{first[0]}{sep}{last}" for sep in ("", ".", "_", "-")} | {f"{last}.{first}", f"{last}{first}"}
            if local in forms:
                return True
        return 2 <= len(parts) <= 3 and all(p.isalpha() for p in parts) and len(parts[-1]) >= 2


PERSON_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "cllr", "councillor", "sir",
                 "dame", "lord", "lady", "rev", "revd", "ch", "supt", "superintendent", "chief", "inspector",
                 "di", "dci", "dcs", "insp", "sgt", "pc", "cc"}


def emails(text: str) -> Iterator[tuple[str, str, str]]:
    """(address, mailbox name, domain) of every e-mail address in the text, read plainly."""
    for match in EMAIL.finditer(normalise(text)):
        address = match.group(0).strip(".-'")
        yield address, address.split("@")[0], match.group(1).lower()


def _national(digits: str) -> str:
    """+44 (0)7700 900123 and 0044 7700 900123 as 07700900123."""
    for prefix in ("+44", "0044"):
        if digits.startswith(prefix):
            rest = digits[len(prefix):]
            return "0" + (rest[1:] if rest.startswith("0") else rest)
    return digits


def phones(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(as written, national digits, start, end) of every UK phone number in the text, however
    it is split by spaces, dots, dashes or brackets: '(07700) 900 123' is 07700900123."""
    for run in _PHONE_RUN.finditer(text):
        groups = list(_DIGITS.finditer(run.group(0)))
        start = 0
        while start < len(groups):
            joined, end = "", None
            for index in range(start, len(groups)):
                joined += groups[index].group(0)
                number = _national(joined)
                if re.fullmatch(r"0\d{9,10}", number):
                    end = index
                    if len(number) == 11:
                        break
                if len(joined.lstrip("+")) > 14:
                    break
            if end is None:
                start += 1
                continue
            first, last = run.start() + groups[start].start(), run.start() + groups[end].end()
            if first > 0 and text[first - 1] == "(":       # '(07700) 900 123' keeps its bracket
                first -= 1
            yield text[first:last], _national("".join(g.group(0) for g in groups[start:end + 1])), first, last
            start = end + 1


def personal_number(number: str) -> bool:
    return re.fullmatch(_rules()["personal_phone_digits"], number) is not None


def contact_issues(text: str, context: Context, contact_field: bool = False) -> list[Issue]:
    """Personal and named contact details in one text. `contact_field`: the text is the phone
    of a contact that names a person, so any number in it is that person's direct line."""
    issues = []
    for address, local, domain in emails(text):
        if context.personal_domain(domain):
            issues.append(Issue("privacy.contact", f"'{address}' is a personal e-mail address (at {domain}, a "
                                "webmail or internet provider's domain)", FIX_PERSONAL))
        elif not context.organisational(domain):
            issues.append(Issue(
                "privacy.email-domain", f"'{address}' is at {domain}, which yjplan does not know as an "
                "organisation's domain, so it may be a personal address",
                f"if {domain} belongs to an organisation (a partner or charity), add it to 'email_domains' in "
                f"{SITE_FILE}; otherwise {FIX_PERSONAL}"))
        elif context.names_a_person(local):
            issues.append(Issue("privacy.named-contact", f"'{address}' looks like a named person's mailbox",
                                FIX_NAMED, Severity.WARNING))
    plain = normalise(text)
    for written, number, start, end in phones(plain):
        if personal_number(number):
            issues.append(Issue("privacy.contact", f"'{written}' looks like a mobile or personal phone number",
                                FIX_PERSONAL))
        elif contact_field or _DIRECT.search(plain[:start]) or _EXTENSION.match(plain[end:]):
            issues.append(Issue("privacy.named-contact", f"'{written}' looks like a named person's direct line",
                                "publish the team's or the service's main number instead", Severity.WARNING))
    return issues


FIX_PERSONAL = "publish an organisational mailbox or switchboard number instead, or remove it"
FIX_NAMED = ("publish the team's shared mailbox instead: a person's own address outlives their job in the "
             "published plan and brings the public to one officer")


# --- walking what is published ---------------------------------------------------------------

def strings(value, location: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every text value in a model, with its location."""
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, location + (index,))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings(getattr(value, name), location + (name,))


def _named_contacts(value, context: Context, location: tuple = ()) -> set[tuple]:
    """Locations of the phone fields of contacts that name a person: by their mailbox, or by a
    'team' that is a person the plan names."""
    found: set[tuple] = set()
    if isinstance(value, list):
        for index, item in enumerate(value):
            found |= _named_contacts(item, context, location + (index,))
    elif isinstance(value, BaseModel):
        fields = type(value).model_fields
        if "phone" in fields and getattr(value, "phone", ""):
            mailbox = [local for _, local, _ in emails(getattr(value, "email", "") or "")]
            team = (getattr(value, "team", "") or "").strip().lower()
            people = {p.lower() for p in context.people}
            if any(context.names_a_person(m) for m in mailbox) or (team and team in people):
                found.add(location + ("phone",))
        for name in fields:
            found |= _named_contacts(getattr(value, name), context, location + (name,))
    return found


# A YAML field is plain text: the site's theme shows some of them (the service's name, the
# statement's contact) as written, so markup there could run in a reader's browser.
MARKUP = re.compile(r"<\s*[A-Za-z!/?]")


def markup_issues(text: str) -> list[Issue]:
    if match := MARKUP.search(text):
        return [Issue("security.markup", f"the text contains HTML markup ('{text[match.start():match.start() + 12]}...'), "
                      "which is not allowed in a YAML field", "write plain text: remove the '<...>' tags "
                      "(yjplan lays out every table and heading itself)")]
    return []


def model_issues(model, context: Context) -> Iterator[tuple[tuple, Issue]]:
    named = _named_contacts(model, context)
    for location, text in strings(model):
        for issue in (contact_issues(text, context, contact_field=location in named) + text_issues(text)
                      + markup_issues(text)):
            yield location, issue


# --- hooks for plan/check.py -----------------------------------------------------------------

PLAN_FILES = {"plan.yml": "meta", "governance.yml": "governance", "finance.yml": "finance",
              "staffing.yml": "staffing", "champions.yml": "champions", "priorities.yml": "priorities",
              "risks.yml": "risks", "inspection.yml": "inspection", "glossary.yml": "glossary"}


def people_of(plan) -> list[str]:
    """Everyone the plan names: the board, its sub-group chairs, the person who signs it off."""
    names = [n for m in plan.governance.members for n in m.people] + [g.chair for g in plan.governance.subgroups]
    return names + [plan.meta.sign_off.name]


def plan_context(plan) -> Context:
    return Context.build(getattr(plan, "site", None), people_of(plan),
                         [*plan.meta.authorities, plan.meta.service])


def plan_findings(plan) -> Iterator[Finding]:
    """Personal contacts and look-alike text in every YAML text field and narrative of a plan."""
    context = plan_context(plan)
    for name, attribute in PLAN_FILES.items():
        model = getattr(plan, attribute)
        if model is None:
            continue
        lines = plan.lines.get(name)
        for location, issue in model_issues(model, context):
            yield Finding(issue.rule, issue.message, fix=issue.fix, file=plan.shown(name),
                          line=lines.line_of(location) if lines else None, field=field_path(location),
                          severity=issue.severity)
    for narrative in plan.narratives:
        for offset, line in enumerate(narrative.body.splitlines()):
            for issue in contact_issues(line, context) + text_issues(line):
                yield Finding(issue.rule, issue.message, fix=issue.fix, file=narrative.file,
                              line=narrative.body_line + offset, severity=issue.severity)


def site_findings(project) -> list[Finding]:
    """The same for content/site.yml, which every year's site publishes (its accessibility
    statement's contact); and no webmail domain in its allow-list."""
    site = project.site
    if site is None:
        return []
    people = [p for plan in project.years for p in people_of(plan)]
    context = Context.build(site, people, [n for plan in project.years for n in (*plan.meta.authorities,
                                                                                   plan.meta.service)])
    lines = getattr(project, "site_lines", None)
    found = []
    for index, domain in enumerate(site.email_domains):
        if context.personal_domain(domain):
            found.append(Finding("privacy.email-domain", f"'{domain}' is a webmail or internet provider's domain: "
                                 "addresses there are personal, whoever uses them",
                                 fix="remove it from email_domains, and publish an organisational mailbox",
                                 file=SITE_FILE, line=lines.line_of(("email_domains", index)) if lines else None,
                                 field=f"email_domains[{index}]"))
    for location, issue in model_issues(site, context):
        if location[:1] == ("email_domains",) and issue.rule.startswith("privacy."):
            continue
        found.append(Finding(issue.rule, issue.message, fix=issue.fix, file=SITE_FILE,
                             line=lines.line_of(location) if lines else None, field=field_path(location),
                             severity=issue.severity))
    return found
