"""The content of a plan year as typed objects: the contract between every pipeline stage.

Field names are the keys a Head of Service writes in YAML (content/README.md documents them).
Models forbid unknown keys, so a typo is an error rather than a silently missing fact.
Computed values (totals, ratings) are properties: they are never read from the files.
"""
from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Literal

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, PositiveFloat, field_validator
from pydantic_core import PydanticCustomError

from .unknown import NOT_RECORDED, TO_FOLLOW, OneOrMore, Recorded, Unknowable, known


class Content(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Partner(str, Enum):
    LOCAL_AUTHORITY = "local-authority"
    SOCIAL_CARE = "social-care"
    EDUCATION = "education"
    POLICE = "police"
    PROBATION = "probation"
    HEALTH = "health"
    PCC = "pcc"
    YJB = "yjb"
    COURTS = "courts"
    HOUSING = "housing"
    COMMUNITY_SAFETY = "community-safety"
    VOLUNTARY = "voluntary"
    YJS = "yjs"
    OTHER = "other"


PARTNER_NAMES = {
    Partner.LOCAL_AUTHORITY: "Local authority",
    Partner.SOCIAL_CARE: "Children's social care",
    Partner.EDUCATION: "Education",
    Partner.POLICE: "Police",
    Partner.PROBATION: "Probation",
    Partner.HEALTH: "Health",
    Partner.PCC: "Police and crime commissioner",
    Partner.YJB: "Youth Justice Board",
    Partner.COURTS: "Courts",
    Partner.HOUSING: "Housing",
    Partner.COMMUNITY_SAFETY: "Community safety",
    Partner.VOLUNTARY: "Voluntary sector",
    Partner.YJS: "Youth justice service",
    Partner.OTHER: "Other",
}


# --- plan.yml ---------------------------------------------------------------------------------

class Status(str, Enum):
    DRAFT = "draft"
    BOARD_APPROVED = "board approved"
    SUBMITTED = "submitted"
    COUNCIL_APPROVED = "council approved"


class Period(Content):
    start: dt.date
    end: dt.date


class SignOff(Content):
    name: str
    role: str
    date: dt.date | None = None


class Approval(Content):
    """A step of the approval route: its date, or `date: to follow` with the date it is expected."""
    body: str
    authority: str = ""       # joint plans: whose cabinet, committee or council this is (plan/joint.py)
    date: Annotated[dt.date, Unknowable(TO_FOLLOW)]
    expected: dt.date | None = None
    decision: str = Field(default="", validate_default=True)

    @field_validator("decision")
    @classmethod
    def _decided_when_dated(cls, value: str, info):
        if not value and known(info.data.get("date")):
            raise _problem("approval_decision", "the approval dated {date} has no decision",
                           "add what was decided, e.g. decision: approved (or write date: to follow, "
                           "expected: YYYY-MM-DD for a step still to come)", date=str(info.data.get("date")))
        return value

    @property
    def to_follow(self) -> bool:
        return not known(self.date)


class Contact(Content):
    team: str
    email: str
    phone: str = ""
    address: str = ""


class Comparators(Content):
    service: str
    family: str
    region: str
    national: str


class Authority(Content):
    """One authority of the plan: its name and (optional) its area code in data/areas.csv, for its
    own indicator figures beside the service's (plan/joint.py)."""
    name: str
    area: str = ""


def and_join(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C': how a joint service's authorities are named in print (a
    page in Welsh says 'A a B' from the catalogue: i18n.Worded)."""
    from .i18n import Worded
    if len(names) < 2:
        return names[0] if names else ""
    return Worded("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])


# --- plan.yml: the council's own titles, numbers, sections and appendices (#14 item 7, outline.py)

class Retitle(Content):
    """An edition heading or appendix as the council titles and numbers it (its id stays)."""
    title: str = ""
    number: str | int = ""             # "2", or an appendix's "3" / "C"


class LocalPart(Content):
    """A section or appendix the plan adds to its edition's: published in order, not required."""
    id: str
    title: str
    number: str | int = ""
    after: str = ""                    # the id it follows (default: the end)


class PlanMeta(Content):
    authority: str | list[str | Authority]      # one name, or each authority of a joint service
    service: str
    guidance: str
    nation: Literal["england", "wales"] = "england"   # dates the health body's name (plan/rules/labels.yml)
    status: Status
    period: Period
    figures_date: dt.date
    submission_due: dt.date | None = None
    language: str = "en-GB"      # the primary language; once loaded, the language this copy is in
    languages: list[str] = []    # a bilingual plan's languages (plan/bilingual.py: primary first once loaded)
    sign_off: SignOff
    approvals: list[Approval] = []
    contact: Contact
    comparators: Comparators
    logo: str = ""
    # yjplan #14 item 7 (plan/outline.py): retitled headings and appendices, local ones added.
    headings: dict[str, Retitle] = {}
    sections: list[LocalPart] = []
    appendices: list[LocalPart] = []

    @property
    def authority_entries(self) -> list[Authority]:
        """Every authority as name and area: a single-authority plan is one entry."""
        items = [self.authority] if isinstance(self.authority, str) else list(self.authority)
        return [Authority(name=i) if isinstance(i, str) else i for i in items]

    @property
    def authorities(self) -> list[str]:
        return [a.name for a in self.authority_entries]

    @property
    def joint(self) -> bool:
        return len(self.authority_entries) > 1

    @property
    def authority_name(self) -> str:
        return and_join(self.authorities)

    @property
    def is_draft(self) -> bool:
        return self.status is Status.DRAFT


# --- governance.yml ---------------------------------------------------------------------------

class BoardMember(Content):
    """A seat on the board: a named member, a vacant seat (`vacant: true`, nomination awaited), a
    seat shared by organisations (lists), or one a named deputy fills (`deputy:`)."""
    name: str = ""
    role: str
    organisation: Annotated[str, OneOrMore()]          # or a list, for a shared seat
    partner: Annotated[Partner, OneOrMore()]
    position: Literal["chair", "vice-chair", "member"] = "member"
    vacant: bool = Field(default=False, validate_default=True)
    deputy: str = ""                      # who attends in the member's place, or for a vacant seat
    attended: Recorded[NonNegativeInt] = NOT_RECORDED

    @field_validator("vacant")
    @classmethod
    def _named_or_vacant(cls, value: bool, info):
        name, position = info.data.get("name"), info.data.get("position")
        if value and position == "chair":
            raise _problem("chair_vacant", "the chair's seat cannot be vacant",
                           "name the chair (name: ...), or the acting chair, and delete 'vacant: true'")
        if value and name:
            raise _problem("vacant_named", "the seat is marked vacant but names {name}",
                           "delete 'vacant: true' if {name} holds the seat, or delete the name", name=name)
        if not value and not name:
            raise _problem("seat_unnamed", "the seat has no name",
                           "add 'name:' with the member's name, or write 'vacant: true' for a seat whose "
                           "nomination is awaited")
        return value

    @property
    def organisations(self) -> list[str]:
        return [self.organisation] if isinstance(self.organisation, str) else list(self.organisation)

    @property
    def organisation_names(self) -> str:
        """A shared seat's organisations as "A, B and C"."""
        return and_join(self.organisations)

    @property
    def partners(self) -> list[Partner]:
        return [self.partner] if isinstance(self.partner, Partner) else list(self.partner)

    @property
    def people(self) -> list[str]:
        """The names the seat publishes (member and deputy)."""
        return [n for n in (self.name, self.deputy) if n]


class ReportingLine(Content):
    body: str
    how: str


class SubGroup(Content):
    name: str
    purpose: str
    chair: str = ""


class Governance(Content):
    meetings_held: Recorded[NonNegativeInt]
    meeting_frequency: str
    reports_to: list[ReportingLine] = []
    members: list[BoardMember]
    subgroups: list[SubGroup] = []

    @property
    def chair(self) -> BoardMember | None:
        return next((m for m in self.members if m.position == "chair"), None)


# --- finance.yml ------------------------------------------------------------------------------

class Contribution(Content):
    agency: str
    partner: Partner
    authority: str = ""          # joint plans: the council whose contribution this is (plan/joint.py)
    staffing: NonNegativeInt = 0
    in_kind: NonNegativeInt = 0
    in_kind_posts: str = ""
    other: NonNegativeInt = 0
    total: NonNegativeInt | None = None          # optional claim, checked against the sum
    previous_total: NonNegativeInt | None = None

    @property
    def computed_total(self) -> int:
        return self.staffing + self.in_kind + self.other


class GrantLine(Content):
    area: str
    activity: str
    cost: NonNegativeInt


class Finance(Content):
    contributions: list[Contribution]
    grant_allocation: list[GrantLine] = []


# --- staffing.yml -----------------------------------------------------------------------------

class StatutoryRole(str, Enum):
    """The s.39(5) Crime and Disorder Act 1998 members of a youth offending team."""
    PROBATION_OFFICER = "probation-officer"
    SOCIAL_WORKER = "social-worker"
    POLICE_OFFICER = "police-officer"
    HEALTH = "health"
    EDUCATION = "education"


class Post(Content):
    post: str
    fte: Recorded[PositiveFloat] = Field(le=1.0)
    contract: Literal["permanent", "fixed term", "agency", "secondee", "sessional", "volunteer"]
    seconded_from: Partner | None = None
    role: StatutoryRole | None = None
    sex: Literal["female", "male", "not known"]
    ethnicity: Literal["Asian", "Black", "Mixed", "White", "Other", "Not known"]


class Staffing(Content):
    posts: list[Post]
    vacancies: Recorded[float] = Field(default=0, ge=0)


# --- champions.yml ----------------------------------------------------------------------------

class Champion(Content):
    area: str
    role: str
    meetings: str = ""
    expectations: str


class Champions(Content):
    champions: list[Champion]


# --- priorities.yml ---------------------------------------------------------------------------

ActionStatus = Literal["complete", "on track", "at risk", "off track", "not started"]


class Action(Content):
    action: str
    owner: str
    due: dt.date
    status: ActionStatus
    progress: str = ""


class Priority(Content):
    title: str
    why: str = ""
    national_area: str = ""
    actions: list[Action]


class PreviousPriority(Content):
    title: str
    status: Recorded[ActionStatus]
    progress: str


class Priorities(Content):
    priorities: list[Priority]
    previous_plan: list[PreviousPriority] = []


# --- risks.yml --------------------------------------------------------------------------------

def _scale_keys(value):
    """Scale levels keyed as written: 1: Rare and "1": Rare are the same level."""
    return {str(k).strip(): v for k, v in value.items()} if isinstance(value, dict) else value


class RiskScheme(Content):
    """The council's own risk scheme, declared once in risks.yml (plan/riskscheme.py applies it).

    product: likelihood and impact are numbers on 1..n scales; the rating is their product, and
    `bands` gives each band's lowest score ({high: 15, medium: 8}; below the last is low).
    matrix:  likelihood and impact are levels (A-F, 1-4); the rating is the two together ("D2"),
             and `bands` lists the ratings in each band ({high: [A1, A2, B1], ...}).
    rag:     the rating is one of the bands' names ({red: ..., amber: ..., green: ...} labels).
    """
    kind: Literal["product", "matrix", "rag"] = "product"
    likelihood: dict[str, str] = {}       # level -> its label, most likely first or last as published
    impact: dict[str, str] = {}
    bands: dict[str, int | list[str] | str] = {}   # band -> lowest score, ratings in it, or (rag) its meaning

    @field_validator("likelihood", "impact", "bands", mode="before")
    @classmethod
    def _keys(cls, value):
        return _scale_keys(value)


# Used when risks.yml declares no scheme: likelihood 1-5 x impact 1-5, banded by the product.
DEFAULT_RISK_SCHEME = RiskScheme(
    kind="product",
    likelihood={"1": "rare", "2": "unlikely", "3": "possible", "4": "likely", "5": "almost certain"},
    impact={"1": "negligible", "2": "minor", "3": "moderate", "4": "major", "5": "severe"},
    bands={"high": 15, "medium": 8, "low": 0})


class Risk(Content):
    risk: str
    description: str
    mitigation: str
    # In the scheme's own terms: numbers (product), letters or numbers (matrix); riskscheme.py
    # checks them against the scheme, so a wrong value is named with the scheme's allowed ones.
    # `not recorded` is read before the scheme sees the value (plan/unknown.py).
    likelihood: Recorded[int | float | str | None] = None
    impact: Recorded[int | float | str | None] = None
    rating: Recorded[str | int | None] = None       # a matrix rating as published ("D2"), or a RAG colour

    @property
    def score(self) -> int | None:
        """likelihood x impact, for numeric scales (None otherwise)."""
        if isinstance(self.likelihood, int) and isinstance(self.impact, int):
            return self.likelihood * self.impact
        return None

    @property
    def band(self) -> str:
        """The band under the default scheme (kept for callers that know only numeric risks)."""
        score = self.score or 0
        return "High" if score >= 15 else "Medium" if score >= 8 else "Low"


class Risks(Content):
    scheme: RiskScheme | None = None
    risks: list[Risk]

    @property
    def active_scheme(self) -> RiskScheme:
        return self.scheme or DEFAULT_RISK_SCHEME

    @property
    def rows(self) -> list:
        """The risks as the council publishes them, highest band first (plan/riskscheme.py)."""
        from .riskscheme import rows
        return rows(self)


# --- inspection.yml ---------------------------------------------------------------------------

Rating = Literal["Outstanding", "Good", "Requires improvement", "Inadequate"]


class StandardRating(Content):
    domain: str
    standard: str
    rating: Rating


class DomainRating(Content):
    """HMIP's rating of a whole domain (e.g. Organisational delivery)."""
    domain: str
    rating: Rating


class Score(Content):
    """An older inspection's share of cases done well enough; the national range is optional."""
    area: str
    score: float = Field(ge=0, le=100)
    national_lowest: float | None = Field(default=None, ge=0, le=100)
    national_highest: float | None = Field(default=None, ge=0, le=100)
    national_average: float | None = Field(default=None, ge=0, le=100)


class ScreeningResult(Content):
    """A Short Quality Screening result: 'met' of 'of' cases ("32 of 33 cases")."""
    theme: str
    met: NonNegativeInt
    of: int = Field(ge=1)

    @field_validator("of")
    @classmethod
    def _not_fewer_than_met(cls, value: int, info):
        met = info.data.get("met")
        if isinstance(met, int) and met > value:
            raise _problem("screening_count", "{met} cases met the standard, but only {of} were looked at",
                           "write 'of:' as the number of cases the inspectors looked at, and 'met:' as how many "
                           "of them met it, e.g. met: 32, of: 33", met=met, of=value)
        return value

    @property
    def share(self) -> float:
        return 100 * self.met / self.of


class InspectionRecommendation(Content):
    """A recommendation as the report words it; the improvement plan's actions name its id."""
    id: str
    recommendation: str
    addressed_to: str = ""


class Recommendation(Content):
    """One action of the improvement plan. With a 'recommendations:' list, 'recommendation' is
    the id of the one it answers (R1); without it, the recommendation's own words."""
    recommendation: str
    addressed_to: str = ""
    action: str
    owner: str
    due: dt.date
    status: ActionStatus
    evidence: str = ""


NationalStandard = Literal["out-of-court", "at-court", "in-the-community", "in-secure-settings",
                           "transition-and-resettlement"]

# The Standards for children in the youth justice system (2019): five standards.
NATIONAL_STANDARDS = {
    "out-of-court": "Out-of-court disposals",
    "at-court": "At court",
    "in-the-community": "In the community (court disposals)",
    "in-secure-settings": "In secure settings",
    "transition-and-resettlement": "On transition and resettlement",
}


class SelfAssessment(Content):
    """A self-assessment round against one of the 2019 national standards."""
    standard: NationalStandard
    date: dt.date
    result: str
    actions: list[Action] = []

    @property
    def standard_name(self) -> str:
        return NATIONAL_STANDARDS[self.standard]


class Inspection(Content):
    inspectorate: str
    published: dt.date
    overall: Rating | None = None
    domains: list[DomainRating] = []
    ratings: list[StandardRating] = []
    scores: list[Score] = []
    quality_screening: list[ScreeningResult] = []
    recommendations: list[InspectionRecommendation] = []
    improvement_plan: list[Recommendation] = []
    self_assessment: list[SelfAssessment] = []

    @property
    def plan_rows(self) -> list[tuple[str, str, Recommendation]]:
        """(recommendation's words, addressed to, action) for each action, in the order of the
        recommendations they answer."""
        if not self.recommendations:
            return [(a.recommendation, a.addressed_to, a) for a in self.improvement_plan]
        rows = []
        for rec in self.recommendations:
            for action in self.improvement_plan:
                if action.recommendation.strip().lower() in (rec.id.strip().lower(), rec.recommendation.strip().lower()):
                    rows.append((f"{rec.id}: {rec.recommendation}", action.addressed_to or rec.addressed_to, action))
        return rows

    @property
    def national_range(self) -> bool:
        """Whether any score gives the national range (the table's columns show only then)."""
        return any(s.national_lowest is not None or s.national_highest is not None
                   or s.national_average is not None for s in self.scores)


# --- glossary.yml -----------------------------------------------------------------------------

class Term(Content):
    term: str
    meaning: str


class Glossary(Content):
    terms: list[Term]


# --- voice.yml: the voice of the child (plan/childvoice.py checks it) --------------------------

class Consent(Content):
    recorded: dt.date                 # the day consent to publish was recorded
    by: str                           # who gave it, e.g. "the young person and their parent"


class Quote(Content):
    text: str
    said_by: str                      # a role, never a name: "a young person on a referral order"
    date: dt.date
    consent: Consent | None = None    # required: a quote without it is an error (child.consent)


class CaseStudy(Content):
    title: str
    text: str
    date: dt.date | None = None
    consent: Consent | None = None    # required, as for quotes


class Voice(Content):
    introduction: str = ""            # a sentence before the quotes: how children were asked
    quotes: list[Quote] = []
    case_studies: list[CaseStudy] = []


# --- narrative/*.md ---------------------------------------------------------------------------

class NarrativeFront(Content):
    heading: str
    title: str = ""          # optional override of the guidance heading's title


# --- content/site.yml: the website, shared by every plan year -------------------------------

WHITE = "#ffffff"


def contrast(first: str, second: str) -> float:
    """WCAG 2.2 contrast ratio of two #rrggbb colours, from 1 to 21."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _problem(kind: str, message: str, fix: str, **values) -> PydanticCustomError:
    """A validation error whose message and fix load.py shows as they are."""
    return PydanticCustomError(kind, message, {**values, "fix": fix})


class Colours(Content):
    primary: str                      # header, footer and buttons, with white text on it
    links: str = ""                   # links on the white page (default: primary)

    @field_validator("primary", "links")
    @classmethod
    def _readable_on_white(cls, value: str) -> str:
        if value == "":
            return value
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise _problem("colour_format", "'{colour}' is not a colour yjplan can read",
                           "write the colour as # and six hex digits, in quotes, e.g. \"#1d4f91\"", colour=value)
        # WCAG 2.2 SC 1.4.3: white text on the primary colour, and links on white, need 4.5:1.
        if (ratio := contrast(value, WHITE)) < 4.5:
            raise _problem("colour_contrast",
                           "the colour {colour} has a contrast of only {ratio}:1 with white; text needs at least 4.5:1",
                           "choose a darker shade of the colour", colour=value, ratio=f"{ratio:.1f}")
        return value.lower()

    @property
    def link(self) -> str:
        return self.links or self.primary


class AccessibilityContact(Content):
    email: str
    phone: str = ""
    team: str = ""


class KnownIssue(Content):
    issue: str                        # what does not work, and for whom, in plain words
    criterion: str = ""               # the WCAG 2.2 success criterion it fails, e.g. "2.1.1 Keyboard"
    fix_by: dt.date | None = None     # when it will be fixed, if known


class AccessibilitySettings(Content):
    contact: AccessibilityContact
    response_days: int = Field(default=10, ge=1)
    prepared: dt.date                 # when the statement was first prepared
    reviewed: dt.date                 # when it was last reviewed
    tested: dt.date                   # when the site was last tested
    tested_by: str
    known_issues: list[KnownIssue] = []

    @property
    def fully_compliant(self) -> bool:
        return not any(issue.criterion for issue in self.known_issues)


class ReadingTarget(Content):
    """A page is harder to read than the plan wants when its Flesch reading ease is below
    `reading_ease` or its reading age (Flesch-Kincaid grade + 5) is above `reading_age`."""
    reading_ease: float | None = Field(None, ge=0, le=100)
    reading_age: float | None = Field(None, ge=5, le=25)


class Readability(Content):
    plan: ReadingTarget = ReadingTarget()
    child_friendly: ReadingTarget = ReadingTarget()


class SiteSettings(Content):
    address: str                      # where the site is published, e.g. https://youthjustice.example.gov.uk/
    authority: str | list[str]        # who publishes the site (each council of a joint service): header, footer
    logo: str = ""                    # an SVG or PNG file in content/, shown in the header
    colours: Colours
    accessibility: AccessibilitySettings
    # Partners' e-mail domains the plan may publish addresses at, e.g. castlebridgeyouth.org
    # (public bodies' domains and the authority's own are known: plan/rules/publication.yml).
    email_domains: list[str] = []
    # true: `yjplan build` also writes each year's plan as a Word document (plan/word.py)
    word: bool = False
    readability: Readability = Readability()   # reading targets (defaults: plan/rules/child-identifiers.yml)

    @field_validator("email_domains")
    @classmethod
    def _bare_domains(cls, value: list[str]) -> list[str]:
        for domain in value:
            if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain.strip().lower()):
                raise _problem("email_domain", "'{domain}' is not an e-mail domain",
                               "write only the part after the @, e.g. castlebridgeyouth.org", domain=domain)
        return [d.strip().lower() for d in value]

    @field_validator("address")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not re.fullmatch(r"https://[^/\s]+/(\S*/)?", value):
            raise _problem("site_address", "'{address}' is not the web address of a site",
                           "write the full address the site is published at, starting https:// and ending /, "
                           "e.g. https://youthjustice.example.gov.uk/", address=value)
        return value

    @property
    def authority_names(self) -> list[str]:
        return [self.authority] if isinstance(self.authority, str) else list(self.authority)

    @property
    def authority_name(self) -> str:
        """'A, B and C' for a joint service's councils."""
        return and_join(self.authority_names)

    @property
    def path(self) -> str:
        """The path part of the address, e.g. '/' or '/youth-justice-plan/'."""
        return "/" + self.address.split("/", 3)[3]


# --- services.yml -----------------------------------------------------------------------------

class ServiceProvision(Content):
    """How one youth justice service of s.38(4) is provided: the plan's evidence for s.40(1)(a),
    checked by plan/services.py against the list in plan/rules/statutory.yml."""
    service: str                           # a key of statutory.yml s38_services, e.g. bail-support
    provider: str | list[str]              # a partner key (yjs, social-care ...) or an organisation's name
    commissioned: bool = False             # the provider is commissioned by the service or the council
    how: str                               # how it is provided, in a sentence or two
    funded_by: str | list[str]             # partner keys of finance.yml (local-authority, yjb ...) or budgets
    where: str                             # the heading or appendix id that describes it

    @property
    def providers(self) -> list[str]:
        return [self.provider] if isinstance(self.provider, str) else list(self.provider)

    @property
    def funders(self) -> list[str]:
        return [self.funded_by] if isinstance(self.funded_by, str) else list(self.funded_by)


class Services(Content):
    services: list[ServiceProvision]

    def table(self, plan) -> list[dict]:
        """The rows of templates/blocks/services.md, in the order of the Act (plan/services.py)."""
        from .services import table
        return table(plan)


# Which YAML file holds which model; a missing optional file loads as None.
STRUCTURED_FILES: dict[str, tuple[type[Content], bool]] = {
    "plan.yml": (PlanMeta, True),
    "governance.yml": (Governance, True),
    "finance.yml": (Finance, True),
    "staffing.yml": (Staffing, True),
    "champions.yml": (Champions, True),
    "priorities.yml": (Priorities, True),
    "risks.yml": (Risks, True),
    "inspection.yml": (Inspection, False),
    "services.yml": (Services, False),
    "glossary.yml": (Glossary, True),
    "voice.yml": (Voice, False),
}
