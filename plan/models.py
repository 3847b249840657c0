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

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, PositiveFloat, field_validator
from pydantic_core import PydanticCustomError


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
    body: str
    date: dt.date
    decision: str


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


class PlanMeta(Content):
    authority: str | list[str]
    service: str
    guidance: str
    nation: Literal["england", "wales"] = "england"   # dates the health body's name (plan/rules/labels.yml)
    status: Status
    period: Period
    figures_date: dt.date
    submission_due: dt.date | None = None
    language: str = "en-GB"
    sign_off: SignOff
    approvals: list[Approval] = []
    contact: Contact
    comparators: Comparators
    logo: str = ""

    @property
    def authorities(self) -> list[str]:
        return [self.authority] if isinstance(self.authority, str) else list(self.authority)

    @property
    def authority_name(self) -> str:
        return " and ".join(self.authorities)

    @property
    def is_draft(self) -> bool:
        return self.status is Status.DRAFT


# --- governance.yml ---------------------------------------------------------------------------

class BoardMember(Content):
    name: str
    role: str
    organisation: str
    partner: Partner
    position: Literal["chair", "vice-chair", "member"] = "member"
    attended: NonNegativeInt


class ReportingLine(Content):
    body: str
    how: str


class SubGroup(Content):
    name: str
    purpose: str
    chair: str = ""


class Governance(Content):
    meetings_held: NonNegativeInt
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
    fte: PositiveFloat = Field(le=1.0)
    contract: Literal["permanent", "fixed term", "agency", "secondee", "sessional", "volunteer"]
    seconded_from: Partner | None = None
    role: StatutoryRole | None = None
    sex: Literal["female", "male", "not known"]
    ethnicity: Literal["Asian", "Black", "Mixed", "White", "Other", "Not known"]


class Staffing(Content):
    posts: list[Post]
    vacancies: float = Field(default=0, ge=0)


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
    status: ActionStatus
    progress: str


class Priorities(Content):
    priorities: list[Priority]
    previous_plan: list[PreviousPriority] = []


# --- risks.yml --------------------------------------------------------------------------------

class Risk(Content):
    risk: str
    description: str
    mitigation: str
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        return "High" if self.score >= 15 else "Medium" if self.score >= 8 else "Low"


class Risks(Content):
    risks: list[Risk]


# --- inspection.yml ---------------------------------------------------------------------------

Rating = Literal["Outstanding", "Good", "Requires improvement", "Inadequate"]


class StandardRating(Content):
    domain: str
    standard: str
    rating: Rating


class Score(Content):
    area: str
    score: float = Field(ge=0, le=100)
    national_lowest: float = Field(ge=0, le=100)
    national_highest: float = Field(ge=0, le=100)
    national_average: float = Field(ge=0, le=100)


class Recommendation(Content):
    recommendation: str
    addressed_to: str
    action: str
    owner: str
    due: dt.date
    status: ActionStatus
    evidence: str = ""


class Inspection(Content):
    inspectorate: str
    published: dt.date
    overall: Rating | None = None
    ratings: list[StandardRating] = []
    scores: list[Score] = []
    improvement_plan: list[Recommendation] = []


# --- glossary.yml -----------------------------------------------------------------------------

class Term(Content):
    term: str
    meaning: str


class Glossary(Content):
    terms: list[Term]


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


class SiteSettings(Content):
    address: str                      # where the site is published, e.g. https://youthjustice.example.gov.uk/
    authority: str                    # who publishes the site: shown in the header and footer
    logo: str = ""                    # an SVG or PNG file in content/, shown in the header
    colours: Colours
    accessibility: AccessibilitySettings
    # Partners' e-mail domains the plan may publish addresses at, e.g. castlebridgeyouth.org
    # (public bodies' domains and the authority's own are known: plan/rules/publication.yml).
    email_domains: list[str] = []

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
    def path(self) -> str:
        """The path part of the address, e.g. '/' or '/youth-justice-plan/'."""
        return "/" + self.address.split("/", 3)[3]


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
    "glossary.yml": (Glossary, True),
}
