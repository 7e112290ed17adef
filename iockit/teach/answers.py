"""Answer sheets: every answer a learner gives is kept, can be downloaded as a CSV file to hand in,
and a lecturer can pool many files (``iockit answers FILE...``): per item, how many learners were
right first time and in the end, and, for the questionnaire, what changed from before to after.

CSV columns (a public contract): learner, lesson, exercise, item, answer, correct, feedback, at.
``correct`` is yes, no, or empty (an open answer, such as a discussion question or a proposed CMOC, a
hint taken, or a questionnaire answered before the lessons, which is marked only when the lecturer
pools the files). Questionnaire rows have lesson ``questionnaire`` and exercise ``before`` or ``after``.

The files are safe to open in a spreadsheet: every cell is quoted, and a cell that would start with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (a formula to Excel, LibreOffice or Google
Sheets) is written with a leading apostrophe, as OWASP recommends against CSV injection;
:func:`read_answers` takes that apostrophe off again, so the text reads back as it was typed. Line
breaks in a reflection are kept inside the quoted cell. Files written before these rules (unquoted,
one line per cell) read as before.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..errors import IockitError

COLUMNS = ("learner", "lesson", "exercise", "item", "answer", "correct", "feedback", "at")
MAX_CELL = 5000
MAX_ROWS = 20_000
MAX_BYTES = 5_000_000


@dataclass
class AnswerSheet:
    """The answers of one learner, in the order given (wrong tries included: they show learning)."""

    learner: str = ""
    rows: list[dict[str, str]] = field(default_factory=list)

    def record(self, lesson: str, exercise: str, item: str, answer: object, correct: bool | None,
               feedback: str = "") -> dict[str, str]:
        row = {"learner": self.learner.strip()[:120], "lesson": lesson, "exercise": exercise, "item": item,
               "answer": _cell(answer), "correct": {True: "yes", False: "no", None: ""}[correct],
               "feedback": _cell(feedback), "at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
        self.rows.append(row)
        return row

    def set_learner(self, name: str) -> None:
        self.learner = name.strip()[:120]
        for row in self.rows:
            row["learner"] = self.learner

    def to_csv(self) -> str:
        return rows_to_csv(self.rows)

    def filename(self, lesson: str = "answers") -> str:
        who = "".join(ch if ch.isalnum() else "-" for ch in self.learner.strip().lower()).strip("-") or "learner"
        return f"iockit-{lesson}-{who}.csv"


#: What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """One cell's text: lists joined with '; ', line breaks kept (as \\n), other runs of spaces made one."""
    text = value if isinstance(value, str) else "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")[:MAX_CELL]


def neutralise(text: str) -> str:
    """A cell a spreadsheet will show as text: a leading apostrophe before a formula start (also after
    leading spaces), as OWASP recommends."""
    return "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given (the apostrophe it added taken off)."""
    return text[1:] if text.startswith("'") and text[1:].lstrip(" ").startswith(FORMULA_START) else text


def rows_to_csv(rows: Iterable[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore", quoting=csv.QUOTE_ALL)
    w.writeheader()
    for row in rows:
        w.writerow({c: neutralise(str(row.get(c, ""))) for c in COLUMNS})
    return buf.getvalue()


def read_answers(text: str, name: str = "answers") -> list[dict[str, str]]:
    """Rows of an answer file; a file that is not one gets a clear error naming what is wrong."""
    if len(text) > MAX_BYTES:
        raise IockitError(name, f"{len(text)} characters", f"an answer file under {MAX_BYTES // 1_000_000} MB")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise IockitError(name, ",".join(reader.fieldnames or []) or "(empty)",
                          "an iockit answer file with columns " + ", ".join(COLUMNS),
                          "missing " + ", ".join(missing))
    rows = []
    for n, row in enumerate(reader, start=2):
        if n > MAX_ROWS:
            raise IockitError(name, f"{n} rows", f"at most {MAX_ROWS} rows")
        if row.get("correct", "") not in ("yes", "no", ""):
            raise IockitError(f"{name} row {n}, correct", row["correct"], "yes, no or empty")
        rows.append({c: restore((row.get(c) or "").strip(" \n")) for c in COLUMNS})
    return rows


def read_files(paths: Iterable[str | Path]) -> list[dict[str, str]]:
    rows = []
    for p in paths:
        path = Path(p)
        if not path.is_file():
            raise IockitError("FILE", str(p), "an answer file downloaded from a lesson (.csv)")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise IockitError("FILE", str(p), "a UTF-8 CSV answer file") from None
        for row in read_answers(text, path.name):
            row["learner"] = row["learner"] or f"(no name, {path.name})"   # unnamed files are different people
            rows.append(row)
    return rows


def summarise(rows: Iterable[dict[str, str]]) -> list[dict[str, object]]:
    """Per exercise item: learners who answered, share right at their first try, share right in the end."""
    tries: dict[tuple[str, str, str], dict[str, list[str]]] = {}
    for row in rows:
        if row["lesson"] == "questionnaire" or row["correct"] == "":
            continue
        tries.setdefault((row["lesson"], row["exercise"], row["item"]), {}).setdefault(row["learner"], []).append(row["correct"])
    out: list[dict[str, object]] = []
    for (lesson, exercise, item), by in sorted(tries.items()):
        n = len(by)
        out.append({"lesson": lesson, "exercise": exercise, "item": item, "learners": n,
                    "right_first_try": round(sum(t[0] == "yes" for t in by.values()) / n, 2),
                    "right_in_the_end": round(sum("yes" in t for t in by.values()) / n, 2)})
    return out


def _marked(row: dict[str, str]) -> str:
    """'yes'/'no' for a questionnaire answer: as the file says, else (a pre-test answer recorded without
    marking) by the key in ``questionnaire.yaml``; '' when the option is not one of today's."""
    if row["correct"]:
        return row["correct"]
    from .lessons import questionnaire

    item = next((q for q in questionnaire() if q.id == row["item"]), None)
    if item is None or row["answer"] not in item.options:
        return ""
    return "yes" if item.options.index(row["answer"]) == item.answer else "no"


def before_after(rows: Iterable[dict[str, str]]) -> list[dict[str, object]]:
    """Questionnaire: per item, the share right before and after the lessons (each learner's last
    answer), the change, and, among learners who answered both times, how many went from wrong to
    right (``improved``) and from right to wrong (``worsened``)."""
    last: dict[tuple[str, str, str], str] = {}
    for row in rows:
        if row["lesson"] == "questionnaire" and row["exercise"] in ("before", "after"):
            mark = _marked(row)
            if mark:
                last[(row["item"], row["exercise"], row["learner"])] = mark
    items = sorted({k[0] for k in last}, key=lambda s: (len(s), s))
    return [_item_change(item, last) for item in items]


def _item_change(item: str, last: dict[tuple[str, str, str], str]) -> dict[str, object]:
    cells: dict[str, object] = {"item": item}
    shares = {}
    by: dict[str, dict[str, str]] = {"before": {}, "after": {}}
    for (i, phase, learner), mark in last.items():
        if i == item:
            by[phase][learner] = mark
    for phase in ("before", "after"):
        answers = list(by[phase].values())
        cells[f"n_{phase}"] = len(answers)
        shares[phase] = sum(a == "yes" for a in answers) / len(answers) if answers else None
        cells[f"right_{phase}"] = "" if shares[phase] is None else round(shares[phase], 2)
    both = shares["before"] is not None and shares["after"] is not None
    cells["change"] = round(shares["after"] - shares["before"], 2) if both else ""  # type: ignore[operator]
    paired = [(by["before"][who], by["after"][who]) for who in by["before"] if who in by["after"]]
    cells["learners_both"] = len(paired)
    cells["improved"] = sum(b == "no" and a == "yes" for b, a in paired)
    cells["worsened"] = sum(b == "yes" and a == "no" for b, a in paired)
    return cells
