"""Answer sheets: every answer a learner gives is kept, can be downloaded as a CSV file to hand in,
and a lecturer can pool many files (``iockit answers FILE...``): per item, how many learners were
right first time and in the end, and, for the questionnaire, what changed from before to after.

CSV columns (a public contract): learner, lesson, exercise, item, answer, correct, feedback, at.
``correct`` is yes, no, or empty (an open answer, such as a discussion question or a proposed CMOC).
Questionnaire rows have lesson ``questionnaire`` and exercise ``before`` or ``after``.
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


def _cell(value: object) -> str:
    text = value if isinstance(value, str) else "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return " ".join(text.split())[:MAX_CELL]


def rows_to_csv(rows: Iterable[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for row in rows:
        w.writerow(row)
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
        rows.append({c: (row.get(c) or "").strip() for c in COLUMNS})
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


def before_after(rows: Iterable[dict[str, str]]) -> list[dict[str, object]]:
    """Questionnaire: per item, the share right before and after the lessons (each learner's last answer)."""
    last: dict[tuple[str, str, str], str] = {}
    for row in rows:
        if row["lesson"] == "questionnaire" and row["exercise"] in ("before", "after"):
            last[(row["item"], row["exercise"], row["learner"])] = row["correct"]
    items = sorted({k[0] for k in last}, key=lambda s: (len(s), s))
    out: list[dict[str, object]] = []
    for item in items:
        cells: dict[str, object] = {"item": item}
        shares = {}
        for phase in ("before", "after"):
            answers = [v for (i, p, _), v in last.items() if i == item and p == phase]
            cells[f"n_{phase}"] = len(answers)
            shares[phase] = sum(a == "yes" for a in answers) / len(answers) if answers else None
            cells[f"right_{phase}"] = "" if shares[phase] is None else round(shares[phase], 2)
        both = shares["before"] is not None and shares["after"] is not None
        cells["change"] = round(shares["after"] - shares["before"], 2) if both else ""  # type: ignore[operator]
        out.append(cells)
    return out
