"""The theory as typed records, loaded from the data package.

Small frozen dataclasses sit between the CSV files and everything built from them (the causal
web, the simulator's fidelity table, the CLI and the widgets). Loading uses only the standard
library, so ``import iockit`` stays light; schema validation lives in :mod:`iockit.validate`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ._data import read_rows, resolve_package_dir, split_list
from .errors import DataPackageError, Problem

ROLES = ("context", "mechanism", "outcome")
_LINK = re.compile(r"^([a-z][a-z0-9_]*)->([a-z][a-z0-9_]*):([+-])$")


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
class Theory:
    """The whole theory: every table of the data package, keyed for lookup."""

    path: Path
    factors: dict[str, Factor]
    cmocs: dict[str, CMOC]
    references: dict[int, Reference]
    studies: dict[int, Study]
    entry_points: dict[str, EntryPoint]
    lifecycle: tuple[Phase, ...]
    practice: tuple[Practice, ...]
    loops: dict[str, NamedLoop]
    _by_factor: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    @property
    def links(self) -> list[Link]:
        return [link for c in self.cmocs.values() for link in c.links]

    def cmocs_for(self, factor: str) -> list[CMOC]:
        """Every CMOC that names ``factor`` in its context, mechanism or outcome."""
        from .lookup import check_factor

        key = check_factor(self, factor)
        return [c for c in self.cmocs.values() if key in c.factors]


class _Parser:
    """Turns cells into typed values, recording where a cell could not be read."""

    def __init__(self, file: str) -> None:
        self.file = file

    def int_(self, row: int, field_name: str, cell: str, optional: bool = False) -> int | None:
        if cell == "" and optional:
            return None
        try:
            return int(cell)
        except ValueError:
            raise DataPackageError(
                self.file, [Problem(self.file, row, field_name, f"{cell!r} is not a whole number")]
            ) from None

    def ints(self, row: int, field_name: str, cell: str) -> tuple[int, ...]:
        return tuple(self.int_(row, field_name, part) or 0 for part in split_list(cell))

    def links(self, row: int, cmoc: str, cell: str) -> tuple[Link, ...]:
        out = []
        for part in split_list(cell):
            m = _LINK.match(part)
            if not m:
                raise DataPackageError(
                    self.file,
                    [Problem(self.file, row, "links", f"{part!r} is not 'source->target:+' or ':-'")],
                )
            out.append(Link(cmoc, m[1], m[2], 1 if m[3] == "+" else -1))
        return tuple(out)


def _rows(base: Path, name: str) -> list[tuple[int, dict[str, str]]]:
    _, rows = read_rows(base / f"{name}.csv")
    return list(enumerate(rows, start=2))  # row 1 is the header


def load_theory(path: str | Path | None = None) -> Theory:
    """Load the theory from a data package directory (default: the one shipped with iockit)."""
    base = resolve_package_dir(path)
    if path is None:
        return _load_default(str(base))
    return _load(base)


@lru_cache(maxsize=1)
def _load_default(base: str) -> Theory:
    return _load(Path(base))


def _load(base: Path) -> Theory:
    p = _Parser("factors.csv")
    factors = {
        r["key"]: Factor(r["key"], r["label"], r["category"], tuple(split_list(r["roles"])),
                         r["definition"], p.ints(n, "references", r["references"]), r["definition_source"])
        for n, r in _rows(base, "factors")
    }
    p = _Parser("cmocs.csv")
    cmocs = {}
    for n, r in _rows(base, "cmocs"):
        cmocs[r["id"]] = CMOC(
            id=r["id"], source=r["source"], group=r["group"], heading=r["heading"],
            context=r["context"], mechanism=r["mechanism"], outcome=r["outcome"],
            context_factors=tuple(split_list(r["context_factors"])),
            mechanism_factors=tuple(split_list(r["mechanism_factors"])),
            outcome_factors=tuple(split_list(r["outcome_factors"])),
            links=p.links(n, r["id"], r["links"]),
            references=p.ints(n, "references", r["references"]),
            quote=r["quote"], quote_source=r["quote_source"], section=r["section"],
            table_row=p.int_(n, "table_row", r["table_row"], optional=True),
            seed_line=p.int_(n, "seed_line", r["seed_line"]) or 0,
            same_as=tuple(split_list(r["same_as"])), related=tuple(split_list(r["related"])),
            notes=r["notes"],
        )
    p = _Parser("references.csv")
    references = {}
    for n, r in _rows(base, "references"):
        number = p.int_(n, "number", r["number"]) or 0
        references[number] = Reference(number, r["citation"], r["doi"], r["url"],
                                       p.int_(n, "year", r["year"], optional=True))
    p = _Parser("studies.csv")
    studies = {}
    for n, r in _rows(base, "studies"):
        ref = p.int_(n, "reference", r["reference"]) or 0
        studies[ref] = Study(ref, r["study"], r["collaboration_type"], r["research_type"])
    p = _Parser("entry_points.csv")
    entry_points = {
        r["key"]: EntryPoint(p.int_(n, "number", r["number"]) or 0, r["key"], r["entry_point"],
                             r["explanation"], r["sources"], p.ints(n, "references", r["references"]),
                             r["effect_on_initial_trust"], r["trust_note"],
                             tuple(split_list(r.get("starting_contexts", ""))), r.get("starting_note", ""))
        for n, r in _rows(base, "entry_points")
    }
    p = _Parser("lifecycle.csv")
    lifecycle = tuple(sorted(
        (Phase(p.int_(n, "order", r["order"]) or 0, r["key"], r["phase"], r["description"], r["evidence"])
         for n, r in _rows(base, "lifecycle")), key=lambda ph: ph.order))
    practice = tuple(Practice(r["id"], r["kind"], r["item"], tuple(split_list(r["factors"])), r["source"])
                     for _, r in _rows(base, "practice"))
    p = _Parser("loops.csv")
    loops = {
        r["key"]: NamedLoop(r["key"], r["label"], tuple(split_list(r["factors"])), r["description"],
                            p.ints(n, "references", r["references"]), r["source"])
        for n, r in _rows(base, "loops")
    }
    return Theory(base, factors, cmocs, references, studies, entry_points, lifecycle, practice, loops)
