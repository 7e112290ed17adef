"""Where the theory data lives: the wheel's packaged copy, else the checkout's ``datasets/``."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from .errors import IockitError


def shipped_dir(name: str, marker: str) -> Path:
    """A folder the kit ships: the wheel's copy (``iockit/_<name>``), else the checkout's ``<name>/``."""
    packaged = Path(str(resources.files("iockit") / f"_{name}"))
    if (packaged / marker).is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if (checkout / marker).is_file():
        return checkout
    raise IockitError(name, str(packaged), f"an iockit installation that includes its {name}")


def default_package_dir() -> Path:
    """Directory holding ``datapackage.json`` for the installed kit."""
    return shipped_dir("datasets", "datapackage.json")


def resolve_package_dir(path: str | Path | None) -> Path:
    """A directory containing datapackage.json (a path to the json itself is accepted too)."""
    if path is None:
        return default_package_dir()
    p = Path(path)
    if p.is_file() and p.name == "datapackage.json":
        p = p.parent
    if not (p / "datapackage.json").is_file():
        raise IockitError("DATAPACKAGE_DIR", str(path), "a directory containing datapackage.json")
    return p


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file, all cells as stripped strings."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
        return list(reader.fieldnames or []), rows


def split_list(cell: str) -> list[str]:
    """``'a;b'`` -> ``['a', 'b']``; empty cell -> ``[]``."""
    return [part.strip() for part in cell.split(";") if part.strip()]
