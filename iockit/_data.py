"""Where the theory data lives: the wheel's packaged copy, else the checkout's ``datasets/``."""

from __future__ import annotations

import csv
import io
import os
import stat
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import DataPackageError, IockitError, Problem

MAX_FILE_BYTES = 20_000_000  # one file of a data package; the shipped ones are under 200 kB


@cache
def shipped_dir(name: str, marker: str) -> Path:
    """A folder the kit ships: the wheel's copy (``iockit/_<name>``), else the checkout's ``<name>/``.

    Remembered once found (an installation does not move while it runs): ``load_theory()`` asks for it on
    every call, and a dashboard's slider change makes a score of those calls, each a few file-system
    look-ups."""
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
    try:
        if p.is_file() and p.name == "datapackage.json":
            p = p.parent
        found = (p / "datapackage.json").is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte, ...
        found = False
    if not found:
        raise IockitError("DATAPACKAGE_DIR", str(path)[:200], "a directory containing datapackage.json")
    return p


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, its size checked before reading (a
    device, a pipe or a directory is refused, so is a symbolic link to one); one Problem otherwise."""
    name = path.name
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DataPackageError(name, [Problem(name, None, None, "the file is missing")]) from None
    except OSError as exc:
        raise DataPackageError(name, [Problem(name, None, None, f"cannot be read ({exc.strerror})")]) from None
    if not stat.S_ISREG(info.st_mode):
        raise DataPackageError(name, [Problem(name, None, None, "is not a regular file (a folder, device or pipe)")])
    if info.st_size > limit:
        raise DataPackageError(name, [Problem(name, None, None,
                                              f"has {info.st_size:,} bytes; allowed: at most {limit:,}")])
    with path.open("rb") as fh:
        return fh.read(limit + 1)[:limit]


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file in UTF-8 (a spreadsheet's byte-order mark is read as the
    spreadsheet meant it), all cells as stripped strings; a file that cannot be read as such is one
    Problem naming it, never a raw exception."""
    raw = read_limited(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataPackageError(path.name, [Problem(path.name, None, None, f"byte {exc.start + 1} is not UTF-8 text; "
                                                   "save the file as 'CSV UTF-8'")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        rows = [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
    except csv.Error as exc:
        raise DataPackageError(path.name, [Problem(path.name, reader.line_num, None, f"not valid CSV ({exc})")]) from None
    return list(reader.fieldnames or []), rows


def split_list(cell: str) -> list[str]:
    """``'a;b'`` -> ``['a', 'b']``; empty cell -> ``[]``."""
    return [part.strip() for part in cell.split(";") if part.strip()]
