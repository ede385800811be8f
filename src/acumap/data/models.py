"""Typed shapes of the data files. Pydantic checks each entry; loading.py checks across files."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator

MAX_QUOTE_WORDS = 20
LANGS = ("en", "ru")  # the languages prose in data/ may be written in; English is always there


def _in_language(value: Any, info: ValidationInfo) -> Any:
    """Prose in a data file is either one English text or a table of texts by language
    (`{ en = "...", ru = "..." }`). The loader asks for one language (validation context "lang")
    and gets that text; where a file has no text in it yet, the English one."""
    if not isinstance(value, dict):
        return value
    unknown = [key for key in value if key not in LANGS]
    if unknown:
        raise ValueError(f"unknown language {unknown[0]!r} (known: {', '.join(LANGS)})")
    if "en" not in value:
        raise ValueError("the English text ('en') is missing")
    lang = (info.context or {}).get("lang", "en")
    return value.get(lang, value["en"])


# A text for people to read, kept per language beside the fact it explains.
Prose = Annotated[str, BeforeValidator(_in_language)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(Strict):
    """A short verbatim quote from one line of one article, with our Russian rendering of it."""

    source: str
    line: int = Field(gt=0)
    quote: str = Field(min_length=1)  # the article's English words: the text checked against its line
    # Our translation of the English quote, shown on the Russian page marked as ours, never as the
    # article's own words.
    quote_ru: str = Field(min_length=1)
    note: Prose | None = None

    @model_validator(mode="after")
    def _short_quote(self) -> Evidence:
        words = len(self.quote.split())
        if words > MAX_QUOTE_WORDS:
            raise ValueError(f"quote has {words} words; at most {MAX_QUOTE_WORDS} are allowed")
        return self


class Source(Strict):
    title: Prose
    first_line: int = Field(gt=0)
    last_line: int = Field(gt=0)
    # The regions an article writes about, where it writes of no other (C: the neck throughout).
    # Its statements apply only there; its stage descriptions elsewhere are marked as our reading.
    only_regions: tuple[str, ...] | None = None


Severity = Literal["early", "advanced"]


class Claim(Evidence):
    """One article's statement of a quantity, in the unit the article uses."""

    unit: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    # The region(s) the sentence was written of, or "every" where it names none. It is used there and
    # nowhere else (one rule for every statement; docs/data.md, "How to add or correct a fact").
    regions: tuple[str, ...] | Literal["every"]
    methods: tuple[str, ...] | None = None
    severity: Severity | None = None
    about: bool = False  # the sentence gives its number as approximate ("about five")
    wording: Prose | None = None  # shown instead of the number where the sentence words it ("daily")
    # What the sentence makes the value depend on ("if necessary, treatment can be resumed after a
    # two-week break"): shown after the value wherever it is shown, so it never reads as a rule.
    condition: Prose | None = None
    # True where applying the statement as the data does (to a method or a stage the sentence does
    # not name) is our reading; `note` says how. Never a region: `regions` settles that.
    reading: bool = False

    def written_of(self, region: str) -> bool:
        return self.regions == "every" or region in self.regions

    @model_validator(mode="after")
    def _range(self) -> Claim:
        if self.value is not None:
            if self.min is not None or self.max is not None:
                raise ValueError("give either value or min/max, not both")
            object.__setattr__(self, "min", self.value)
            object.__setattr__(self, "max", self.value)
        if self.min is None and self.max is None:
            raise ValueError("needs value, or min and/or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is greater than max {self.max:g}")
        return self


class Caveat(Evidence):
    """An article's warning that belongs beside one quantity ("frequent sessions lower the effect")."""

    quantity: str


class Stage(Strict):
    summary: Prose
    matches: tuple[Severity, ...] = Field(min_length=1)
    interpretation: Prose
    evidence: tuple[Evidence, ...] = Field(min_length=1)


class Method(Strict):
    also_called: Prose
    summary: Prose
    evidence: tuple[Evidence, ...] = Field(min_length=1)
    combines: tuple[str, ...] = ()
    default: bool = False  # the method the page opens with (exactly one)
    caveat: Prose | None = None  # what limits the method, said wherever it is chosen


class Zone(Strict):
    from_: str = Field(alias="from")
    to: str
    lateral: tuple[float, float]

    @model_validator(mode="after")
    def _band(self) -> Zone:
        if not 0 <= self.lateral[0] < self.lateral[1]:
            raise ValueError("lateral must be [inner, outer] with 0 <= inner < outer")
        return self


class Spot(Strict):
    level: str
    x: float


class Region(Strict):
    spine: tuple[str, str]
    placement: tuple[Evidence, ...] = Field(min_length=1)
    zone: Zone
    zone_reading: Prose
    marker_reading: Prose | None = None  # which placement the markers show, where the words allow two
    markers: tuple[Spot, ...] = Field(min_length=1)


class CautionItem(Strict):
    id: str
    statements: tuple[Evidence, ...] = Field(min_length=1)
    note: Prose | None = None
    disputed_by: tuple[Evidence, ...] = ()  # say the opposite of this item, on the same subject
    remarks: tuple[Evidence, ...] = ()  # on a neighbouring subject: a separate note, never a dispute

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({s.source for s in self.statements}))


class Landmark(Strict):
    level: str | None = None
    drop: float | None = None
    x: float
    source: str
    describe: Prose

    @model_validator(mode="after")
    def _placed(self) -> Landmark:
        if (self.level is None) == (self.drop is None):
            raise ValueError("give exactly one of level or drop")
        return self


class Vertebra(Strict):
    name: str
    drop: float


class Outline(Strict):
    head_centre_drop: float
    head_half_width: float = Field(gt=0)
    head_half_height: float = Field(gt=0)
    body: tuple[tuple[float, float], ...] = Field(min_length=3)
    iliac_crest: tuple[tuple[float, float], ...] = Field(min_length=2)
    scapula: tuple[tuple[float, float], ...] = Field(min_length=3)
    scapular_spine: tuple[tuple[float, float], ...] = Field(min_length=2)


class Anatomy(Strict):
    sources: dict[str, Prose]
    builds: dict[str, float] = Field(min_length=1)
    vertebrae: tuple[Vertebra, ...] = Field(min_length=2)
    landmarks: dict[str, Landmark]
    outline: Outline


class StandardPoint(Strict):
    """A standard acupuncture point (or, with `levels`, a series of them under one code)."""

    code: str
    pinyin: str
    english: Prose
    level: str | None = None
    levels: tuple[str, ...] | None = None
    between: tuple[str, str] | None = None
    offset: float | None = Field(default=None, ge=0)
    bilateral: bool
    approximate: bool = False
    location: Prose
    depth_cun: tuple[float, float]
    depth_how: Prose
    depth_source: str
    caution: Prose | None = None
    # The id of a data/safety.toml warning with a depth that this caution says again: a needle hover that
    # shows that warning leaves the caution out, so the hazard is said once there.
    caution_restates: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _placed(self) -> StandardPoint:
        given = [name for name in ("level", "levels", "between") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of level, levels or between")
        if self.between is None and self.offset is None:
            raise ValueError("offset is needed with level or levels")
        if self.depth_cun[0] > self.depth_cun[1]:
            raise ValueError("depth_cun must be [min, max]")
        if self.caution_restates is not None and self.caution is None:
            raise ValueError("caution_restates is given, but no caution")
        return self


class DangerDepth(Strict):
    """A measured mean depth to the tissue at risk under one point. A zone's depth view shows the
    ones whose point lies inside the zone, and no other."""

    point: str
    tissue: Prose
    mean_mm: float = Field(gt=0)
    source: str


class CunRule(Strict):
    """How a depth in cun is shown in mm: an approximate, sourced factor, never a measurement."""

    mm_per_cun: float = Field(gt=0)
    source: str
    note: Prose


class SafetyWarning(Strict):
    id: str
    # Where the tissue at risk lies, as levels and a band either side of the midline: a zone that
    # shares a spot with it carries the warning, and so does a needle drawn inside it (when the
    # warning gives a depth). Never a list of regions, so a changed zone cannot lose its warning.
    covers: Zone
    short: Prose  # one sentence for the top of the page
    text: Prose
    sources: tuple[str, ...] = Field(min_length=1)
    # `depth_cun` is the depth of the tissue at risk (drawn in the depth view, and named in the hover of
    # every needle drawn inside `covers`).
    depth_cun: tuple[float, float] | None = None
    tissue: Prose | None = None

    @model_validator(mode="after")
    def _depth(self) -> SafetyWarning:
        if self.depth_cun is not None and (self.tissue is None or self.depth_cun[0] > self.depth_cun[1]):
            raise ValueError("depth_cun needs [min, max] and a tissue")
        return self


class Variability(Strict):
    text: Prose
    source: str


class Safety(Strict):
    sources: dict[str, Prose]
    danger_depths: tuple[DangerDepth, ...] = ()
    warnings: tuple[SafetyWarning, ...] = ()
    variability: Variability
