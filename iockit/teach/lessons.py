"""The lessons (``lessons/NN_<key>.yaml``) and the pre/post questionnaire, loaded and checked.

Lesson content is plain YAML that a lecturer can edit. Loading checks it against the review's data
package: every CMOC id must exist, every reference number ``[n]`` must be one of the review's 98
references, a ``build`` exercise may only use CMOCs that carry a verbatim quote, and so on. Each
problem raises :class:`~iockit.errors.IockitError` naming the file, the field, the value and what
is allowed. Both loaders take a directory (or file) argument so an edited copy can be checked.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import IockitError
from ..lookup import check_name, suggest

LESSONS_DIR = Path(__file__).parent / "lessons"
QUESTIONNAIRE_PATH = Path(__file__).parent / "questionnaire.yaml"

#: The six lessons, in order (the file of lesson N is ``lessons/0N_<key>.yaml``).
LESSON_KEYS = ("realist_basics", "trust_loop", "inertia_synergy", "conflict_power_culture",
               "mandated_confidence", "lifecycle")
EXERCISE_KINDS = ("classify", "build", "poe", "cases", "contest")

LESSON_FIELDS = ("key", "order", "title", "summary", "objectives", "steps", "exercises", "questions")
STEP_FIELDS = ("title", "text", "quote", "quote_source", "cmocs")
STEP_REQUIRED = ("title", "text", "cmocs")
EXERCISE_FIELDS = ("kind", "cmocs")
QUESTIONNAIRE_FIELDS = ("items",)
ITEM_FIELDS = ("id", "question", "options", "answer", "explanation")

# how many of each a lesson holds (the design's schema)
COUNTS = {"objectives": (2, 4), "steps": (3, 6), "questions": (3, 5), "options": (3, 4), "items": (6, 8)}
EXERCISE_CMOCS = {"classify": (3, 5), "build": (1, 3)}

_FILE = re.compile(r"^(\d{2})_([a-z][a-z0-9_]*)\.yaml$")
# "[67]", "[4, 13, 44]", "[6–8]" (ranges with an en dash or hyphen); "[the]" is not a citation
_REF_GROUP = re.compile(r"\[\s*(\d+(?:\s*[–-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[–-]\s*\d+)?)*)\s*\]")
_CMOC_ID = re.compile(r"\b(?:T3|TX)-\d+\b")


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    quote: str
    quote_source: str
    cmocs: tuple[str, ...]


@dataclass(frozen=True)
class ExerciseSpec:
    kind: str
    cmocs: tuple[str, ...]


@dataclass(frozen=True)
class Lesson:
    key: str
    order: int
    title: str
    summary: str
    objectives: tuple[str, ...]
    steps: tuple[Step, ...]
    exercises: tuple[ExerciseSpec, ...]
    questions: tuple[str, ...]
    path: Path

    @property
    def cmocs(self) -> tuple[str, ...]:
        """Every CMOC id the steps show, in order of first appearance."""
        return self.revealed(len(self.steps) - 1)

    def revealed(self, step: int) -> tuple[str, ...]:
        """CMOC ids shown up to and including step ``step`` (0-based): the web grows step by step."""
        seen: dict[str, None] = {}
        for s in self.steps[: step + 1]:
            for ident in s.cmocs:
                seen.setdefault(ident, None)
        return tuple(seen)

    def exercise(self, kind: str) -> ExerciseSpec | None:
        """The lesson's exercise of this kind, if it has one."""
        return next((e for e in self.exercises if e.kind == kind), None)


@dataclass(frozen=True)
class QuestionItem:
    id: str
    question: str
    options: tuple[str, ...]
    answer: int
    explanation: str


# --- public API -----------------------------------------------------------------------------------

def load_lessons(directory: str | Path | None = None) -> list[Lesson]:
    """All lessons, sorted by order. Default: the shipped ``lessons/`` folder (cached)."""
    if directory is None:
        return list(_load_default())
    return list(_load_dir(Path(directory)))


def lesson(key: str, directory: str | Path | None = None) -> Lesson:
    """One lesson by key; an unknown key raises naming the valid keys and the closest ones."""
    lessons = {le.key: le for le in load_lessons(directory)}
    return lessons[check_name("lesson", key, lessons, "lessons")]


def questionnaire(path: str | Path | None = None) -> list[QuestionItem]:
    """The pre/post questionnaire items. Default: the shipped ``questionnaire.yaml`` (cached)."""
    if path is None:
        return list(_questionnaire_default())
    return list(_load_questionnaire(Path(path)))


def reference_numbers(text: str) -> list[int]:
    """The reference numbers cited in ``text`` in the review's style: '[4, 13, 45–47]' -> [4, 13, 45, 46, 47]."""
    out: list[int] = []
    for group in _REF_GROUP.findall(text):
        for part in group.split(","):
            lo, _, hi = part.replace("–", "-").partition("-")
            first = int(lo)
            last = int(hi) if hi.strip() else first
            out.extend(range(first, max(first, last) + 1) if last >= first else [first, last])
    return out


def cmoc_ids(text: str) -> list[str]:
    """The CMOC ids (T3-NN, TX-NN) named in ``text``."""
    return _CMOC_ID.findall(text)


# --- loading --------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _load_default() -> tuple[Lesson, ...]:
    return _load_dir(LESSONS_DIR)


@lru_cache(maxsize=1)
def _questionnaire_default() -> tuple[QuestionItem, ...]:
    return _load_questionnaire(QUESTIONNAIRE_PATH)


class _Checker:
    """Checks one file's cells against the theory, naming the file and field in every error."""

    def __init__(self, path: Path) -> None:
        from ..theory import load_theory

        theory = load_theory()
        self.file = path.name
        self.cmocs = theory.cmocs
        self.references = sorted(theory.references)

    def error(self, where: str, value: object, allowed: str, hint: str = "") -> IockitError:
        return IockitError(f"{self.file}: {where}", value, allowed, hint)

    def mapping(self, where: str, value: object) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.error(where, value, "a mapping of keys to values")
        return value

    def keys(self, where: str, data: Mapping[str, Any], known: tuple[str, ...], required: tuple[str, ...]) -> None:
        for k in data:
            if k not in known:
                close = suggest(str(k), known)
                raise self.error(f"{where} key", k, "one of " + ", ".join(known),
                                 ("did you mean " + ", ".join(close) + "?") if close else "")
        missing = [k for k in required if k not in data]
        if missing:
            raise self.error(f"{where} keys", sorted(str(k) for k in data), "all of " + ", ".join(required),
                             "missing " + ", ".join(repr(k) for k in missing))

    def text(self, where: str, value: object, optional: bool = False, verbatim: bool = False) -> str:
        """Non-empty text with its citations checked; runs of whitespace become one space unless ``verbatim``."""
        if value is None and optional:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.error(where, value, "non-empty text")
        text = value.strip() if verbatim else " ".join(value.split())
        self.citations(where, text)
        return text

    def citations(self, where: str, text: str) -> None:
        valid = set(self.references)
        for n in reference_numbers(text):
            if n not in valid:
                raise self.error(where, f"[{n}]", f"reference numbers {self.references[0]}..{self.references[-1]} "
                                 "of the review (see datasets/references.csv)")
        for ident in cmoc_ids(text):
            self.cmoc(where, ident)

    def cmoc(self, where: str, ident: object) -> str:
        if not isinstance(ident, str) or ident not in self.cmocs:
            close = difflib.get_close_matches(str(ident).strip().upper(), list(self.cmocs), n=3, cutoff=0.6)
            raise self.error(where, ident, "a CMOC id: T3-NN (a row of Table 3) or TX-NN (stated in the text); see `iockit cmocs`",
                             ("did you mean " + ", ".join(close) + "?") if close else "")
        return ident

    def cmoc_list(self, where: str, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.error(where, value, "a list of CMOC ids, e.g. [T3-NN, TX-NN]")
        ids = tuple(self.cmoc(where, v) for v in value)
        if len(set(ids)) != len(ids):
            raise self.error(where, list(ids), "each CMOC id once")
        return ids

    def texts(self, where: str, value: object, name: str) -> tuple[str, ...]:
        lo, hi = COUNTS[name]
        if not isinstance(value, list) or not lo <= len(value) <= hi:
            raise self.error(where, value, f"a list of {lo} to {hi} {name}")
        return tuple(self.text(f"{where}[{i}]", v) for i, v in enumerate(value, start=1))

    def count(self, where: str, value: object, name: str) -> list[Any]:
        lo, hi = COUNTS[name]
        if not isinstance(value, list) or not lo <= len(value) <= hi:
            raise self.error(where, value if not isinstance(value, list) else f"{len(value)} {name}",
                             f"a list of {lo} to {hi} {name}")
        return value


def _read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise IockitError(path.name, "unreadable YAML", "a valid YAML file", " ".join(str(exc).split())) from None


def _load_dir(directory: Path) -> tuple[Lesson, ...]:
    if not directory.is_dir():
        raise IockitError("lessons directory", str(directory), "a folder of NN_<key>.yaml lesson files")
    lessons = [_load_lesson(path) for path in sorted(directory.glob("*.yaml"))]
    if not lessons:
        raise IockitError("lessons directory", str(directory), "a folder of NN_<key>.yaml lesson files",
                          "no .yaml files found")
    for attr in ("order", "key"):
        seen: dict[object, Path] = {}
        for le in lessons:
            value = getattr(le, attr)
            if value in seen:
                raise IockitError(f"{le.path.name}: {attr}", value, f"a {attr} no other lesson has",
                                  f"{seen[value].name} has it too")
            seen[value] = le.path
    return tuple(sorted(lessons, key=lambda le: le.order))


def _load_lesson(path: Path) -> Lesson:
    m = _FILE.match(path.name)
    if not m:
        raise IockitError("lesson file", path.name, "a name like 02_trust_loop.yaml (NN_<key>.yaml)")
    c = _Checker(path)
    data = c.mapping("top level", _read_yaml(path))
    c.keys("top level", data, LESSON_FIELDS, LESSON_FIELDS)
    key = data["key"]
    if key != m[2]:
        raise c.error("key", key, f"{m[2]!r}, the file name without its NN_ prefix")
    order = data["order"]
    if isinstance(order, bool) or not isinstance(order, int) or order != int(m[1]):
        raise c.error("order", order, f"{int(m[1])}, the NN_ prefix of the file name")
    steps = tuple(_step(c, f"steps[{i}]", raw)
                  for i, raw in enumerate(c.count("steps", data["steps"], "steps"), start=1))
    exercises_raw = data["exercises"]
    if not isinstance(exercises_raw, list) or not exercises_raw:
        raise c.error("exercises", exercises_raw, "a list of exercises, e.g. [{kind: classify, cmocs: [...]}]")
    exercises = tuple(_exercise(c, f"exercises[{i}]", raw) for i, raw in enumerate(exercises_raw, start=1))
    kinds = [e.kind for e in exercises]
    if len(set(kinds)) != len(kinds):
        raise c.error("exercises", kinds, "each exercise kind once per lesson")
    return Lesson(
        key=key, order=order, title=c.text("title", data["title"]), summary=c.text("summary", data["summary"]),
        objectives=c.texts("objectives", data["objectives"], "objectives"), steps=steps, exercises=exercises,
        questions=c.texts("questions", data["questions"], "questions"), path=path,
    )


def _step(c: _Checker, where: str, raw: object) -> Step:
    data = c.mapping(where, raw)
    c.keys(where, data, STEP_FIELDS, STEP_REQUIRED)
    quote = c.text(f"{where}.quote", data.get("quote"), optional=True, verbatim=True)
    source = c.text(f"{where}.quote_source", data.get("quote_source"), optional=True)
    if quote and not source:
        raise c.error(f"{where}.quote_source", data.get("quote_source"),
                      "the review's section heading and reference numbers, e.g. 'Trust [67]' (required with a quote)")
    if source and not quote:
        raise c.error(f"{where}.quote", data.get("quote"), "a verbatim quote (a quote_source needs one)")
    return Step(title=c.text(f"{where}.title", data["title"]), text=c.text(f"{where}.text", data["text"]),
                quote=quote, quote_source=source, cmocs=c.cmoc_list(f"{where}.cmocs", data["cmocs"]))


def _exercise(c: _Checker, where: str, raw: object) -> ExerciseSpec:
    data = c.mapping(where, raw)
    c.keys(where, data, EXERCISE_FIELDS, ("kind",))
    kind = data["kind"]
    if kind not in EXERCISE_KINDS:
        close = suggest(str(kind), EXERCISE_KINDS)
        raise c.error(f"{where}.kind", kind, "one of " + ", ".join(EXERCISE_KINDS),
                      ("did you mean " + ", ".join(close) + "?") if close else "")
    cmocs = c.cmoc_list(f"{where}.cmocs", data.get("cmocs"))
    if kind in EXERCISE_CMOCS:
        lo, hi = EXERCISE_CMOCS[kind]
        if not lo <= len(cmocs) <= hi:
            raise c.error(f"{where}.cmocs", list(cmocs), f"{lo} to {hi} CMOC ids for a {kind} exercise")
    if kind == "build":
        for ident in cmocs:
            if not c.cmocs[ident].quote:
                with_quote = [i for i in c.cmocs if c.cmocs[i].quote]
                raise c.error(f"{where}.cmocs", ident, "a CMOC with a verbatim quote (quote column non-empty): "
                              + ", ".join(with_quote))
    return ExerciseSpec(kind=kind, cmocs=cmocs)


def _load_questionnaire(path: Path) -> tuple[QuestionItem, ...]:
    if not path.is_file():
        raise IockitError("questionnaire", str(path), "a questionnaire YAML file")
    c = _Checker(path)
    data = c.mapping("top level", _read_yaml(path))
    c.keys("top level", data, QUESTIONNAIRE_FIELDS, QUESTIONNAIRE_FIELDS)
    items = []
    seen: set[str] = set()
    for i, raw in enumerate(c.count("items", data["items"], "items"), start=1):
        where = f"items[{i}]"
        item = c.mapping(where, raw)
        c.keys(where, item, ITEM_FIELDS, ITEM_FIELDS)
        ident = item["id"]
        if not isinstance(ident, str) or not ident.strip() or ident in seen:
            raise c.error(f"{where}.id", ident, "a short id no other item has, e.g. q1")
        seen.add(ident)
        options = c.texts(f"{where}.options", item["options"], "options")
        answer = item["answer"]
        if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(options):
            raise c.error(f"{where}.answer", answer, f"an option index from 0 to {len(options) - 1} (0 = first option)")
        items.append(QuestionItem(id=ident, question=c.text(f"{where}.question", item["question"]), options=options,
                                  answer=answer, explanation=c.text(f"{where}.explanation", item["explanation"])))
    return tuple(items)


def all_texts(le: Lesson) -> Iterable[tuple[str, str]]:
    """(where, text) for every piece of a lesson's wording, for checks and search."""
    yield "title", le.title
    yield "summary", le.summary
    for i, o in enumerate(le.objectives, start=1):
        yield f"objectives[{i}]", o
    for i, s in enumerate(le.steps, start=1):
        yield f"steps[{i}].title", s.title
        yield f"steps[{i}].text", s.text
        if s.quote:
            yield f"steps[{i}].quote", s.quote
            yield f"steps[{i}].quote_source", s.quote_source
    for i, q in enumerate(le.questions, start=1):
        yield f"questions[{i}]", q
