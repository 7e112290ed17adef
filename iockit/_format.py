"""Rendering lists of records as a terminal table, CSV or JSON (the CLI's --format)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

FORMATS = ("table", "csv", "json")


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None,
           widths: dict[str, int] | None = None, fit: bool = True) -> str:
    """Rows of plain values (str, int, float, lists) as ``table``, ``csv`` or ``json``."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], indent=2, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: _cell(r.get(c)) for c in columns})
        return buf.getvalue().rstrip("\n")
    return _table(rows, columns, widths or {}, fit)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _table(rows: Sequence[dict[str, Any]], columns: list[str], widths: dict[str, int], fit: bool = True) -> str:
    if not rows:
        return "(none)"
    total = max(60, shutil.get_terminal_size((120, 20)).columns)
    cells = [[_cell(r.get(c)).replace(";", "; ") for c in columns] for r in rows]
    natural = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    w = [min(natural[i], widths.get(c, natural[i])) for i, c in enumerate(columns)]
    # shrink the widest wrapped column until the table fits the terminal; never the first, the name a
    # person types (e.g. integrated_care_partnership must not wrap)
    while fit and len(w) > 1 and sum(w) + 2 * (len(w) - 1) > total:
        i = max(range(1, len(w)), key=w.__getitem__)
        if w[i] <= 12:
            break
        w[i] -= 1
    lines = ["  ".join(c.ljust(w[i]) for i, c in enumerate(columns)).rstrip(),
             "  ".join("-" * w[i] for i in range(len(columns)))]
    for row in cells:
        wrapped = [textwrap.wrap(text, w[i]) or [""] for i, text in enumerate(row)]
        for k in range(max(len(x) for x in wrapped)):
            lines.append("  ".join((x[k] if k < len(x) else "").ljust(w[i]) for i, x in enumerate(wrapped)).rstrip())
    return "\n".join(lines)
