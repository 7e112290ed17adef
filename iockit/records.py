"""The theory's records: small frozen dataclasses between the data package's CSV files and
everything built from them (the causal web, the simulator's inputs and fidelity table, the CLI, the
widgets). One record type per table; :mod:`iockit.theory` loads them with one row-numbered parser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ._numbers import parse_decimal
from .errors import IockitError
from .lookup import check_name

ROLES = ("context", "mechanism", "outcome")


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    category: str
    roles: tuple[str, ...]
    definition: str
    references: tuple[int, ...]
    definition_source: str


    def as_record(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "category": self.category, "roles": list(self.roles),
                "definition": self.definition, "references": list(self.references),
                "definition_source": self.definition_source}


@dataclass(frozen=True)
class Link:
    """A signed causal link stated by one CMOC: more ``source`` gives more (+1) or less (-1) ``target``."""

    cmoc: str
    source: str
    target: str
    sign: int

    @property
    def symbol(self) -> str:
        return "+" if self.sign > 0 else "-"


@dataclass(frozen=True)
class CMOC:
    id: str
    source: str
    group: str
    heading: str
    context: str
    mechanism: str
    outcome: str
    context_factors: tuple[str, ...]
    mechanism_factors: tuple[str, ...]
    outcome_factors: tuple[str, ...]
    links: tuple[Link, ...]
    references: tuple[int, ...]
    quote: str
    quote_source: str
    section: str
    table_row: int | None
    seed_line: int
    same_as: tuple[str, ...]
    related: tuple[str, ...]
    notes: str

    @property
    def factors(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for key in self.context_factors + self.mechanism_factors + self.outcome_factors:
            seen.setdefault(key, None)
        return tuple(seen)

    @property
    def provenance(self) -> str:
        """Where the review states it, in words a reader can find."""
        if self.source == "table_3":
            return f"Table 3, row {self.table_row} ({self.heading})"
        return f"text, section '{self.section}'"

    def as_record(self) -> dict[str, object]:
        """Plain values, as the CLI prints them (JSON keeps lists)."""
        return {
            "id": self.id, "context": self.context, "mechanism": self.mechanism, "outcome": self.outcome,
            "links": [f"{ln.source}->{ln.target}:{ln.symbol}" for ln in self.links],
            "references": list(self.references), "provenance": self.provenance, "source": self.source,
            "group": self.group, "heading": self.heading,
            "context_factors": list(self.context_factors), "mechanism_factors": list(self.mechanism_factors),
            "outcome_factors": list(self.outcome_factors), "quote": self.quote, "quote_source": self.quote_source,
            "same_as": list(self.same_as), "related": list(self.related), "notes": self.notes,
        }

    def cites(self) -> str:
        """Reference numbers in the review's bracket style, or the provenance when there are none."""
        if self.references:
            return "[" + ", ".join(str(n) for n in self.references) + "]"
        return "no reference numbers given"


@dataclass(frozen=True)
class Reference:
    number: int
    citation: str
    doi: str
    url: str
    year: int | None


@dataclass(frozen=True)
class Study:
    reference: int
    study: str
    collaboration_type: str
    research_type: str


@dataclass(frozen=True)
class EntryPoint:
    number: int
    key: str
    entry_point: str
    explanation: str
    sources: str
    references: tuple[int, ...]
    effect_on_initial_trust: str
    trust_note: str
    starting_contexts: tuple[str, ...] = ()
    starting_note: str = ""


@dataclass(frozen=True)
class Phase:
    order: int
    key: str
    phase: str
    description: str
    evidence: str


@dataclass(frozen=True)
class Practice:
    id: str
    kind: str
    item: str
    factors: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class NamedLoop:
    key: str
    label: str
    factors: tuple[str, ...]
    description: str
    references: tuple[int, ...]
    source: str


@dataclass(frozen=True)
class Context:
    """One of the simulator's inputs (``contexts.csv``): its range, default, the words for each end,
    and whether a partner can override it; ``choices`` for a choice (the entry point)."""

    key: str
    label: str
    group: str
    kind: str  # "number" or "choice"
    minimum: float
    maximum: float
    default: float | str
    low_label: str
    high_label: str
    partner_level: bool
    description: str
    references: tuple[int, ...]
    choices: tuple[str, ...] = ()

    @property
    def allowed(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        return f"a number from {self.minimum:g} ({self.low_label}) to {self.maximum:g} ({self.high_label})"

    def check(self, value: object, field: str | None = None) -> float | str:
        """The value, checked: never clamped, never silently converted. Text must be a plain ASCII
        decimal (the one number rule of every way in: --set, scenario files, share links, widgets)."""
        field = field or self.key
        if self.kind == "choice":
            if not isinstance(value, str):
                raise IockitError(field, value, self.allowed)
            return check_name(field, value, self.choices, "entry points")
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise IockitError(field, value, self.allowed)
        number = parse_decimal(field, value, self.allowed) if isinstance(value, str) else float(value)
        if not math.isfinite(number) or not self.minimum <= number <= self.maximum:
            raise IockitError(field, value, self.allowed)
        return number


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    order: int


@dataclass(frozen=True)
class Encoding:
    """How the model encodes one CMOC (``encoding.csv``) and the fidelity check that tests it."""

    cmoc: str
    encoded: bool
    model_terms: tuple[str, ...]
    check_context: str
    check_low: float | None
    check_high: float | None
    check_base: dict[str, float]
    mechanism_variable: str
    mechanism_effect: str
    outcome_variable: str
    outcome_effect: str
    note: str
