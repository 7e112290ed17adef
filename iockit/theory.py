"""The theory, loaded in one place: every table of the data package (CMOCs, factors, studies,
references, entry points, lifecycle, practice, loops, and the simulator's contexts, context groups
and encoding table) becomes typed records (:mod:`iockit.records`) through one row-numbered parser,
so a bad cell is a problem naming its file, row and field. Loading uses only the standard library,
so ``import iockit`` stays light; schema validation lives in :mod:`iockit.validate`.

``load_theory()`` with no path reads the package named by the environment variable ``IOCKIT_DATA``
if set (how ``iockit dashboard --data DIR`` reaches the dashboards' kernels), else the shipped one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ._data import read_rows, resolve_package_dir, split_list
from .errors import DataPackageError, Problem
from .lookup import check_name
from .records import (  # noqa: F401  (re-exported: the records were defined here before)
    CMOC,
    ROLES,
    Context,
    Encoding,
    EntryPoint,
    Factor,
    Group,
    Link,
    NamedLoop,
    Phase,
    Practice,
    Reference,
    Study,
)

_LINK = re.compile(r"^([a-z][a-z0-9_]*)->([a-z][a-z0-9_]*):([+-])$")


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
    contexts: dict[str, Context] = field(default_factory=dict)
    context_groups: tuple[Group, ...] = ()
    encoding: dict[str, Encoding] = field(default_factory=dict)

    @property
    def links(self) -> list[Link]:
        return [link for c in self.cmocs.values() for link in c.links]

    def cmocs_for(self, factor: str) -> list[CMOC]:
        """Every CMOC that names ``factor`` in its context, mechanism or outcome."""
        key = check_name("factor", factor, self.factors, "factors")
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

    def float_(self, row: int, field_name: str, cell: str, optional: bool = False) -> float | None:
        if cell == "" and optional:
            return None
        try:
            return float(cell)
        except ValueError:
            raise DataPackageError(
                self.file, [Problem(self.file, row, field_name, f"{cell!r} is not a number")]
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


class _Row(dict):
    """A CSV row; a column the file lacks is a problem naming the file and the column, not a KeyError."""

    file = ""

    def __missing__(self, key: str) -> str:
        raise DataPackageError(self.file, [Problem(self.file, 1, key, "the column is missing")])


def _rows(base: Path, name: str) -> list[tuple[int, dict[str, str]]]:
    _, rows = read_rows(base / f"{name}.csv")
    row_type = type("_Row", (_Row,), {"file": f"{name}.csv"})
    return [(n, row_type(r)) for n, r in enumerate(rows, start=2)]  # row 1 is the header


def load_theory(path: str | Path | None = None) -> Theory:
    """Load the theory from a data package directory (default: ``IOCKIT_DATA``, else the shipped one)."""
    if path is None and os.environ.get("IOCKIT_DATA"):
        path = os.environ["IOCKIT_DATA"]
    base = resolve_package_dir(path)
    if path is None:
        return _load_default(str(base))
    return _load(base)


@lru_cache(maxsize=1)
def _load_default(base: str) -> Theory:
    return _load(Path(base))


def _load(base: Path) -> Theory:
    entry_points = _entry_points(base)
    return Theory(base, _factors(base), _cmocs(base), _references(base), _studies(base), entry_points,
                  _lifecycle(base), _practice(base), _loops(base), _contexts(base, tuple(entry_points)),
                  _groups(base), _encoding(base))


def _factors(base: Path) -> dict[str, Factor]:
    p = _Parser("factors.csv")
    return {r["key"]: Factor(r["key"], r["label"], r["category"], tuple(split_list(r["roles"])),
                             r["definition"], p.ints(n, "references", r["references"]), r["definition_source"])
            for n, r in _rows(base, "factors")}


def _cmocs(base: Path) -> dict[str, CMOC]:
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
    return cmocs


def _references(base: Path) -> dict[int, Reference]:
    p = _Parser("references.csv")
    references = {}
    for n, r in _rows(base, "references"):
        number = p.int_(n, "number", r["number"]) or 0
        references[number] = Reference(number, r["citation"], r["doi"], r["url"],
                                       p.int_(n, "year", r["year"], optional=True))
    return references


def _studies(base: Path) -> dict[int, Study]:
    p = _Parser("studies.csv")
    studies = {}
    for n, r in _rows(base, "studies"):
        ref = p.int_(n, "reference", r["reference"]) or 0
        studies[ref] = Study(ref, r["study"], r["collaboration_type"], r["research_type"])
    return studies


def _entry_points(base: Path) -> dict[str, EntryPoint]:
    p = _Parser("entry_points.csv")
    return {r["key"]: EntryPoint(p.int_(n, "number", r["number"]) or 0, r["key"], r["entry_point"],
                                 r["explanation"], r["sources"], p.ints(n, "references", r["references"]),
                                 r["effect_on_initial_trust"], r["trust_note"],
                                 tuple(split_list(r.get("starting_contexts", ""))), r.get("starting_note", ""))
            for n, r in _rows(base, "entry_points")}


def _lifecycle(base: Path) -> tuple[Phase, ...]:
    p = _Parser("lifecycle.csv")
    return tuple(sorted(
        (Phase(p.int_(n, "order", r["order"]) or 0, r["key"], r["phase"], r["description"], r["evidence"])
         for n, r in _rows(base, "lifecycle")), key=lambda ph: ph.order))


def _practice(base: Path) -> tuple[Practice, ...]:
    return tuple(Practice(r["id"], r["kind"], r["item"], tuple(split_list(r["factors"])), r["source"])
                 for _, r in _rows(base, "practice"))


def _loops(base: Path) -> dict[str, NamedLoop]:
    p = _Parser("loops.csv")
    return {r["key"]: NamedLoop(r["key"], r["label"], tuple(split_list(r["factors"])), r["description"],
                                p.ints(n, "references", r["references"]), r["source"])
            for n, r in _rows(base, "loops")}


def _contexts(base: Path, entry_points: tuple[str, ...]) -> dict[str, Context]:
    p = _Parser("contexts.csv")
    out = {}
    for n, r in _rows(base, "contexts"):
        number = r["kind"] == "number"
        if not number and r["kind"] != "choice":
            raise DataPackageError(p.file, [Problem(p.file, n, "kind", f"{r['kind']!r} is not 'number' or 'choice'")])
        default: float | str = (p.float_(n, "default", r["default"]) or 0.0) if number else r["default"]
        out[r["key"]] = Context(
            r["key"], r["label"], r["group"], r["kind"],
            (p.float_(n, "minimum", r["minimum"]) or 0.0) if number else 0.0,
            (p.float_(n, "maximum", r["maximum"]) or 0.0) if number else 0.0,
            default, r["low_label"], r["high_label"], r["partner_level"] == "yes", r["description"],
            p.ints(n, "references", r["references"]), () if number else entry_points,
        )
    return out


def _groups(base: Path) -> tuple[Group, ...]:
    p = _Parser("context_groups.csv")
    groups = (Group(r["key"], r["label"], p.int_(n, "order", r["order"]) or 0)
              for n, r in _rows(base, "context_groups"))
    return tuple(sorted(groups, key=lambda g: g.order))


def _encoding(base: Path) -> dict[str, Encoding]:
    p = _Parser("encoding.csv")
    out = {}
    for n, r in _rows(base, "encoding"):
        check_base = {}
        for part in split_list(r["check_base"]):
            key, sep, value = part.partition("=")
            if not sep:
                raise DataPackageError(p.file, [Problem(p.file, n, "check_base", f"{part!r} is not 'key=value'")])
            check_base[key.strip()] = p.float_(n, "check_base", value.strip()) or 0.0
        out[r["cmoc"]] = Encoding(
            r["cmoc"], r["encoded"] == "yes", tuple(split_list(r["model_terms"])), r["check_context"],
            p.float_(n, "check_low", r["check_low"], optional=True), p.float_(n, "check_high", r["check_high"], optional=True),
            check_base, r["mechanism_variable"], r["mechanism_effect"], r["outcome_variable"], r["outcome_effect"],
            r["note"],
        )
    return out
