"""One ``validate()`` over a data package: its own schema (frictionless) and the cross-references
a schema cannot express (reference numbers, factor keys, CMOC ids, links, named loops), and the
CMOC ids named by the YAML files that build on the theory: the package's scenarios and the kit's
own teaching and narrative files (``iockit/teach/*.yaml``, ``iockit/sim/narrative.yaml``, ...).

frictionless is imported here only, so it stays off the core import path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ._data import read_limited, read_rows, resolve_package_dir, split_list
from .errors import DataPackageError, Problem

_LINK = re.compile(r"^([a-z][a-z0-9_]*)->([a-z][a-z0-9_]*):([+-])$")
#: A CMOC id as the review's data spells it: a Table 3 row (T3-NN) or a CMOC stated in the text (TX-NN).
CMOC_ID = re.compile(r"\b(?:T3|TX)-\d+\b")
KIT_DIR = Path(__file__).resolve().parent
_FK_HELP = {
    "references": "reference numbers of the review (references.csv)",
    "factors": "factor keys (factors.csv)",
}


#: The tables the loader reads (iockit.theory), each from the file of its name: a descriptor must
#: describe exactly these, at these paths, so what is validated is what is loaded.
TABLES = ("cmocs", "factors", "references", "studies", "entry_points", "lifecycle", "practice", "loops",
          "contexts", "context_groups", "encoding")


def validate(path: str | Path | None = None) -> list[Problem]:
    """Every problem in the data package at ``path`` (default: the shipped one); empty when valid."""
    base = resolve_package_dir(path)
    try:
        resources = _resources(base)
    except DataPackageError as exc:
        return exc.problems
    problems: list[Problem] = []
    tables: dict[str, list[dict[str, str]]] = {}
    for res in resources:
        file = res["path"]
        try:
            header, rows = read_rows(base / file)
        except DataPackageError as exc:
            problems += exc.problems
            continue
        expected = [f["name"] for f in res["schema"].get("fields", []) if isinstance(f, dict) and "name" in f]
        problems += [Problem(file, 1, name, "column is missing from the header") for name in expected if name not in header]
        problems += [Problem(file, 1, name, f"unknown column; allowed: {', '.join(expected)}")
                     for name in header if name not in expected]
        tables[res["name"]] = rows
    if not problems:  # frictionless reads every file again: only once they can all be read
        problems += _schema_problems(base)
    problems += _cross_reference_problems(tables)
    if "cmocs" in tables:   # a missing cmocs.csv is reported above, not once per id that names it
        problems += named_cmoc_problems(base, {r.get("id", "") for r in tables["cmocs"]})
    return _dedupe(problems)


def _json_file(base: Path, file: str) -> Any:
    """A JSON file inside the package, size-checked, decoded as UTF-8; one Problem otherwise."""
    target = (base / file).resolve()
    if base.resolve() not in target.parents:
        raise DataPackageError(file, [Problem(file, None, None, "is outside the package folder; allowed: a file in it")])
    try:
        return json.loads(read_limited(target).decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataPackageError(file, [Problem(file, None, None, f"byte {exc.start + 1} is not UTF-8 text")]) from None
    except json.JSONDecodeError as exc:
        raise DataPackageError(file, [Problem(file, None, None, f"is not valid JSON ({exc.msg} at line {exc.lineno})")]) from None


def _resources(base: Path) -> list[dict[str, Any]]:
    """The descriptor's resources, checked: one per table the loader reads, each at ``<name>.csv``
    inside the package, with a schema (inline or a JSON file in the package)."""
    descriptor = _json_file(base, "datapackage.json")
    where = "datapackage.json"
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        raise DataPackageError(where, [Problem(where, None, "resources", "allowed: a JSON object whose 'resources' "
                                               "lists the package's tables: " + ", ".join(TABLES))])
    out, problems = [], []
    for i, res in enumerate(resources):
        name = res.get("name") if isinstance(res, dict) else None
        if name not in TABLES:
            problems.append(Problem(where, None, f"resources[{i}].name", f"{name!r} is not one of {', '.join(TABLES)}"))
            continue
        if res.get("path") != f"{name}.csv":
            problems.append(Problem(where, None, f"resources[{i}].path",
                                    f"{res.get('path')!r} is not allowed; allowed: {name}.csv, the file iockit loads"))
            continue
        schema = res.get("schema", {})
        schema = _json_file(base, schema) if isinstance(schema, str) else schema
        out.append({"name": name, "path": res["path"], "schema": schema if isinstance(schema, dict) else {}})
    missing = sorted(set(TABLES) - {r["name"] for r in out} - {p.field for p in problems})
    problems += [Problem(where, None, "resources", f"the table {m!r} ({m}.csv) is not described") for m in missing]
    if problems:
        raise DataPackageError(where, problems)
    return out


def check(path: str | Path | None = None) -> Path:
    """Raise :class:`DataPackageError` listing every problem, or return the package directory."""
    problems = validate(path)
    if problems:
        raise DataPackageError(str(path), problems)
    return resolve_package_dir(path)


def _schema_problems(base: Path) -> list[Problem]:
    import warnings

    from frictionless import Detector, Package

    # schema_sync matches columns by name, so one missing column is one problem (reported by
    # validate() from the header) instead of every later column shifted; frictionless 5 warns that
    # the option will move to datapackage v2's fieldsMatch, which we keep out of the descriptor so
    # plain `frictionless validate` stays strict.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            package = Package(str(base / "datapackage.json"), detector=Detector(schema_sync=True))
            report = package.validate()
        except Exception as exc:  # frictionless refused the descriptor itself: one problem, its words
            return [Problem("datapackage.json", None, None, f"cannot be read as a data package ({exc})")]
    out = []
    for task in report.tasks:
        file = Path(task.place).name if task.place else f"{task.name}.csv"
        for err in task.errors:
            if err.type in ("missing-label", "incorrect-label", "extra-label", "blank-header"):
                continue  # reported once per column by validate()
            if err.type == "primary-key":
                continue  # the same duplicate is reported as unique-error on the key column
            row = getattr(err, "row_number", None)
            field = getattr(err, "field_name", None)
            cell = getattr(err, "cell", None)
            message = _message(err.type, err.note, cell)
            if err.type == "foreign-key":
                m = re.match(r'for "([^"]+)": values "([^"]+)" not found in the lookup table "([^"]+)" as "([^"]+)"', err.note)
                if m:
                    field, message = m[1], f"{m[2]!r} is not one of the values of {m[4]} in {m[3]}.csv"
            out.append(Problem(file, row, field, message))
    return out


def _message(kind: str, note: str, cell: object) -> str:
    value = f"{cell!r} " if cell not in (None, "") else ""
    if kind == "type-error":
        wanted = note.split('"')[1].split("/")[0] if '"' in note else "the declared type"
        return f"{value}is not of type {wanted}"
    if kind == "constraint-error":
        if '"required"' in note:
            return "is empty but required"
        if '"pattern"' in note:
            return f"{value}does not match the required pattern {note.split(' is ', 1)[1]}"
        if '"enum"' in note:
            return f"{value}is not one of {note.split(' is ', 1)[1]}"
        return f"{value}breaks {note}"
    if kind == "unique-error":
        return f"{value}is a duplicate; ids must be unique ({note.replace('the row at position', 'row')})"
    if kind == "foreign-key":
        return note
    return f"{kind}: {note}"


def _cross_reference_problems(t: dict[str, list[dict[str, str]]]) -> list[Problem]:
    out = _foreign_key_problems(t) + _context_and_encoding_problems(t)
    roles_seen, edges, link_problems = _link_problems(t)
    return out + link_problems + _role_and_loop_problems(t, roles_seen, edges)


def _foreign_key_problems(t: dict[str, list[dict[str, str]]]) -> list[Problem]:
    """Every reference number, factor key and CMOC id a table names exists."""
    out: list[Problem] = []
    refs = {r.get("number", "") for r in t.get("references", [])}
    factors = {r.get("key", "") for r in t.get("factors", [])}
    cmoc_ids = {r.get("id", "") for r in t.get("cmocs", [])}

    def each(table: str, column: str, valid: set[str], what: str) -> None:
        for n, row in enumerate(t.get(table, []), start=2):
            for item in split_list(row.get(column, "")):
                if (item.isdigit() or what != "references") and item not in valid:
                    out.append(Problem(f"{table}.csv", n, column, f"{item!r} is not one of the {_FK_HELP.get(what, what)}"))

    for table in ("cmocs", "factors", "loops", "entry_points", "contexts"):
        each(table, "references", refs, "references")
    for column in ("context_factors", "mechanism_factors", "outcome_factors"):
        each("cmocs", column, factors, "factors")
    each("practice", "factors", factors, "factors")
    each("loops", "factors", factors, "factors")
    for column in ("same_as", "related"):
        each("cmocs", column, cmoc_ids, "CMOC ids (cmocs.csv)")
    return out


def _context_and_encoding_problems(t: dict[str, list[dict[str, str]]]) -> list[Problem]:
    """Every numeric context is a factor; every encoding row has its check or its reason."""
    out: list[Problem] = []
    factors = {r.get("key", "") for r in t.get("factors", [])}
    for n, row in enumerate(t.get("contexts", []), start=2):
        key = row.get("key", "")
        if row.get("kind") == "number" and key not in factors:
            out.append(Problem("contexts.csv", n, "key", f"{key!r} is not one of the factor keys (factors.csv)"))
    for n, row in enumerate(t.get("encoding", []), start=2):
        if row.get("encoded") == "yes" and not (row.get("check_context") and row.get("outcome_variable")):
            out.append(Problem("encoding.csv", n, "check_context", "an encoded CMOC needs a check: check_context and outcome_variable"))
        if row.get("encoded") == "no" and not row.get("note"):
            out.append(Problem("encoding.csv", n, "note", "a CMOC the model does not encode needs the reason"))
    return out


def _link_problems(t: dict[str, list[dict[str, str]]]) -> tuple[dict[str, set[str]], set[tuple[str, str]], list[Problem]]:
    """Each CMOC's links name only its own factors and no factor to itself; same_as and related go both
    ways. Returns the roles each factor plays, the web's edges and the problems."""
    out: list[Problem] = []
    roles_seen: dict[str, set[str]] = {}
    edges: set[tuple[str, str]] = set()
    by_id = {r.get("id"): r for r in t.get("cmocs", [])}
    for n, row in enumerate(t.get("cmocs", []), start=2):
        named = set()
        for role in ("context", "mechanism", "outcome"):
            for key in split_list(row.get(f"{role}_factors", "")):
                named.add(key)
                roles_seen.setdefault(key, set()).add(role)
        for part in split_list(row.get("links", "")):
            m = _LINK.match(part)
            if not m:
                continue  # the schema pattern reports it
            edges.add((m[1], m[2]))
            for key in (m[1], m[2]):
                if key not in named:
                    out.append(Problem("cmocs.csv", n, "links", f"link {part!r} names {key!r}, which this CMOC's context, mechanism and outcome factors do not"))
            if m[1] == m[2]:
                out.append(Problem("cmocs.csv", n, "links", f"link {part!r} links a factor to itself"))
        for column in ("same_as", "related"):
            for other in split_list(row.get(column, "")):
                back = by_id.get(other)
                if back is not None and row.get("id") not in split_list(back.get(column, "")):
                    out.append(Problem("cmocs.csv", n, column, f"{other} does not list {row.get('id')} back in its {column}"))
    return roles_seen, edges, out


def _role_and_loop_problems(t: dict[str, list[dict[str, str]]], roles_seen: dict[str, set[str]],
                            edges: set[tuple[str, str]]) -> list[Problem]:
    """A factor's declared roles are the roles the CMOCs give it; every named loop is in the web."""
    out: list[Problem] = []
    factors = {r.get("key", "") for r in t.get("factors", [])}
    for n, row in enumerate(t.get("factors", []), start=2):
        key = row.get("key", "")
        declared = set(split_list(row.get("roles", "")))
        seen = roles_seen.get(key, set())
        if declared != seen and key in factors:
            allowed = ";".join(r for r in ("context", "mechanism", "outcome") if r in seen) or "(the factor is in no CMOC)"
            out.append(Problem("factors.csv", n, "roles", f"{row.get('roles')!r} does not match the roles the CMOCs give {key!r}: {allowed}"))
    for n, row in enumerate(t.get("loops", []), start=2):
        loop = split_list(row.get("factors", ""))
        for a, b in zip(loop, loop[1:] + loop[:1], strict=False):
            if (a, b) not in edges:
                out.append(Problem("loops.csv", n, "factors", f"no CMOC links {a} -> {b}, so this loop is not in the causal web"))
    return out


def theory_yaml_files(base: Path | None = None) -> list[tuple[str, Path]]:
    """(label, path) of every YAML file that names CMOCs: the data package's scenarios (under ``base``)
    and the YAML files the kit ships in its own folders (not its ``_datasets``/``_notebooks`` copies)."""
    files = [(f"scenarios/{p.name}", p) for p in sorted((base / "scenarios").glob("*.yaml"))] if base else []
    for p in sorted(KIT_DIR.rglob("*.yaml")):
        rel = p.relative_to(KIT_DIR)
        if not any(part.startswith(("_", ".")) for part in rel.parts):
            files.append((f"iockit/{rel.as_posix()}", p))
    return files


def named_cmocs(data: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """(key, CMOC id) for every CMOC id in a parsed YAML document: list items and words in any text.
    The key is the path to the value, e.g. ``events.quick_win.cmocs[1]``."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from named_cmocs(v, f"{where}.{k}" if where else str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from named_cmocs(v, f"{where}[{i}]")
    elif isinstance(data, str):
        for ident in CMOC_ID.findall(data):
            yield where, ident


def named_cmoc_problems(base: Path | None, cmoc_ids: set[str]) -> list[Problem]:
    """A problem for every CMOC id a theory YAML file names that ``cmoc_ids`` does not hold."""
    import yaml

    out = []
    for label, path in theory_yaml_files(base):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            out.append(Problem(label, None, None, f"is not valid YAML ({str(exc).splitlines()[0]})"))
            continue
        out += [Problem(label, None, key, f"{ident!r} is not one of the CMOC ids (cmocs.csv)")
                for key, ident in named_cmocs(data) if ident not in cmoc_ids]
    return out


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: dict[Problem, None] = {}
    for p in problems:
        seen.setdefault(p, None)
    return list(seen)
