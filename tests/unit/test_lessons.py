"""The six lessons and the questionnaire: content traces to the review, and the loader rejects broken copies."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from iockit.errors import IockitError
from iockit.teach.lessons import (
    LESSON_KEYS,
    LESSONS_DIR,
    QUESTIONNAIRE_PATH,
    all_texts,
    cmoc_ids,
    lesson,
    load_lessons,
    questionnaire,
    reference_numbers,
)

# the design's exercise plan per lesson
PLAN = {
    "realist_basics": ["classify", "build"],
    "trust_loop": ["poe", "build"],
    "inertia_synergy": ["poe", "classify"],
    "conflict_power_culture": ["cases", "classify"],
    "mandated_confidence": ["poe", "classify"],
    "lifecycle": ["classify", "contest"],
}


def _every_text() -> list[tuple[str, str]]:
    """(where, text) for every lesson text, quote source and questionnaire question, option and explanation."""
    out = [(f"{le.key} {where}", text) for le in load_lessons() for where, text in all_texts(le)]
    for item in questionnaire():
        out += [(f"questionnaire {item.id} question", item.question),
                (f"questionnaire {item.id} explanation", item.explanation)]
        out += [(f"questionnaire {item.id} option", o) for o in item.options]
    return out


# --- (a) the six lessons -------------------------------------------------------------------------

def test_six_lessons_load_in_order_with_the_fixed_keys() -> None:
    lessons = load_lessons()
    assert [le.key for le in lessons] == list(LESSON_KEYS)
    assert [le.order for le in lessons] == [1, 2, 3, 4, 5, 6]
    assert [le.path.name for le in lessons] == [f"{n:02d}_{k}.yaml" for n, k in enumerate(LESSON_KEYS, start=1)]
    assert lesson("trust_loop").order == 2
    assert lesson("Trust loop").key == "trust_loop"  # typed the way people type


def test_schema_counts_and_exercise_plan() -> None:
    for le in load_lessons():
        assert 2 <= len(le.objectives) <= 4, le.key
        assert 3 <= len(le.steps) <= 6, le.key
        assert 3 <= len(le.questions) <= 5, le.key
        assert [e.kind for e in le.exercises] == PLAN[le.key]
        for i, step in enumerate(le.steps):
            assert bool(step.quote) == bool(step.quote_source), (le.key, step.title)
            if not (le.key == "realist_basics" and i == 0):
                assert step.cmocs, f"{le.key} step {i + 1} shows no CMOCs"
        # every step reveals something new on the web
        for i in range(1, len(le.steps)):
            assert len(le.revealed(i)) > len(le.revealed(i - 1)), (le.key, i)


def test_exercise_cmocs_suit_their_kind(theory) -> None:
    for le in load_lessons():
        for ex in le.exercises:
            if ex.kind == "build":
                assert 1 <= len(ex.cmocs) <= 3
                assert all(theory.cmocs[i].quote for i in ex.cmocs), (le.key, ex.cmocs)
            if ex.kind == "classify":
                assert 3 <= len(ex.cmocs) <= 5
                cells = [getattr(theory.cmocs[i], role).strip().lower()
                         for i in ex.cmocs for role in ("context", "mechanism", "outcome")]
                assert len(cells) == len(set(cells)), f"{le.key}: two classify statements read the same"


def test_lesson_4_tells_the_two_aco_cases_with_their_cmocs() -> None:
    le = lesson("conflict_power_culture")
    words = " ".join(s.text + " " + s.quote for s in le.steps)
    for phrase in ("Access ACO", "Collaborative ACO", "active conflict resolution", "sequestered", "high fees"):
        assert phrase in words
    assert {"T3-26", "T3-13", "TX-10", "T3-29", "TX-14", "TX-12", "TX-08", "TX-09"} <= set(le.cmocs)


def test_lesson_5_covers_mandate_and_the_shift_to_confidence() -> None:
    le = lesson("mandated_confidence")
    assert {"T3-30", "TX-38", "TX-40", "TX-41", "T3-27", "T3-05"} <= set(le.cmocs)
    assert any("Fig. 4" in s.text or "Fig. 4" in s.quote_source for s in le.steps)


def test_lesson_6_names_the_five_phases_and_the_six_entry_points(theory) -> None:
    le = lesson("lifecycle")
    words = " ".join(s.text for s in le.steps)
    for phase in theory.lifecycle:
        assert phase.phase in words, phase.phase
    for ep in theory.entry_points.values():
        first = ep.entry_point.split(",")[0].split(" from ")[0].lower()
        assert first in words.lower(), ep.entry_point
    assert "connecting stage" in words and "planning phase" in words


def test_default_lessons_are_cached_but_callers_get_their_own_list() -> None:
    first = load_lessons()
    first.clear()
    assert len(load_lessons()) == 6
    assert load_lessons()[0] is load_lessons()[0]


def test_the_loader_imports_no_widgets() -> None:
    code = "import sys, iockit.teach.lessons as m; m.load_lessons(); assert 'ipywidgets' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- (b) quotes are verbatim ---------------------------------------------------------------------

def test_every_quote_is_verbatim_in_the_full_text(fulltext: list[str]) -> None:
    text = "\n".join(fulltext)
    quotes = [(le.key, s.quote) for le in load_lessons() for s in le.steps if s.quote]
    assert len(quotes) >= 20
    for key, quote in quotes:
        assert quote in text, f"{key}: not verbatim in the review: {quote[:80]}"
        plain = re.sub(r"\b(?:et al|Fig|vs|e\.g|i\.e|p)\.", "", quote)  # abbreviations end no sentence
        assert len(re.findall(r"[.!?](?:\s|$)", plain)) <= 2, f"{key}: quote longer than two sentences"


def test_quoted_phrases_inside_the_prose_are_verbatim(fulltext: list[str]) -> None:
    text = "\n".join(fulltext)
    for where, words in _every_text():
        if where.endswith(".quote"):
            continue
        for phrase in re.findall(r"‘([^’]{4,}?)’(?![a-z])", words) + re.findall(r"“([^”]+)”", words):
            assert phrase in text, f"{where}: quoted phrase not in the review: {phrase!r}"


# --- (c) citations exist ------------------------------------------------------------------------

def test_reference_parser() -> None:
    assert reference_numbers("trust [67], loops [13, 15, 53] and [6–8], [45-47]") == [67, 13, 15, 53, 6, 7, 8,
                                                                                        45, 46, 47]
    assert reference_numbers("‘[the] planning process’ (Fig. 3)") == []
    assert cmoc_ids("T3-26 and TX-10, not T3X-1") == ["T3-26", "TX-10"]


def test_every_reference_number_and_cmoc_id_exists(theory) -> None:
    cited = 0
    for where, words in _every_text():
        # every bracket that starts with a digit must be a citation the parser reads
        assert len(re.findall(r"\[\s*\d", words)) == len(re.findall(r"\[\s*\d[^\]]*\]", words)), where
        for n in reference_numbers(words):
            cited += 1
            assert n in theory.references, f"{where}: [{n}] is not one of the review's references"
        for ident in cmoc_ids(words):
            assert ident in theory.cmocs, f"{where}: {ident} is not a CMOC id"
    assert cited > 100


def test_every_lesson_step_and_explanation_cites_the_review() -> None:
    for le in load_lessons():
        assert reference_numbers(le.summary), le.key
        for s in le.steps:
            assert reference_numbers(s.text) or cmoc_ids(s.text), (le.key, s.title)
    for item in questionnaire():
        assert reference_numbers(item.explanation) and cmoc_ids(item.explanation), item.id


# --- (e) questionnaire ---------------------------------------------------------------------------

def test_questionnaire_items_and_answers_in_range() -> None:
    items = questionnaire()
    assert 6 <= len(items) <= 8
    assert len({i.id for i in items}) == len(items)
    for item in items:
        assert 3 <= len(item.options) <= 4
        assert 0 <= item.answer < len(item.options)
        assert len(set(item.options)) == len(item.options)
    assert len({i.answer for i in items}) > 1, "the right answer should not always sit in the same place"


# --- (d) broken copies are rejected ----------------------------------------------------------------

@pytest.fixture
def lessons_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "lessons"
    shutil.copytree(LESSONS_DIR, dst)
    return dst


def _edit(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_unchanged_copy_loads_like_the_original(lessons_copy: Path, tmp_path: Path) -> None:
    for path in lessons_copy.glob("*.yaml"):
        _edit(path, lambda d: None)  # a round trip through YAML keeps the content
    copy = load_lessons(directory=lessons_copy)
    assert [(le.key, le.steps, le.exercises) for le in copy] == [(le.key, le.steps, le.exercises)
                                                                 for le in load_lessons()]
    q = tmp_path / "questionnaire.yaml"
    shutil.copy(QUESTIONNAIRE_PATH, q)
    assert questionnaire(q) == questionnaire()


def _step(n: int, **values: object) -> Callable[[dict[str, Any]], object]:
    return lambda d: d["steps"][n].update(values)


def _exercise(n: int, **values: object) -> Callable[[dict[str, Any]], object]:
    return lambda d: d["exercises"][n].update(values)


BROKEN = {
    "unknown top-level key": ("01_realist_basics.yaml", lambda d: d.update(level="easy"), r"top level key: 'level'"),
    "missing required key": ("02_trust_loop.yaml", lambda d: d.pop("summary"), r"missing 'summary'"),
    "missing step key": ("02_trust_loop.yaml", lambda d: d["steps"][1].pop("cmocs"), r"steps\[2\] keys.*'cmocs'"),
    "unknown step key": ("02_trust_loop.yaml", _step(0, quotes="x"), r"steps\[1\] key: 'quotes'.*did you mean quote"),
    "unknown CMOC id in a step": ("03_inertia_synergy.yaml", _step(0, cmocs=["T3-01", "T3-45"]),
                                  r"steps\[1\]\.cmocs: 'T3-45'"),
    "unknown CMOC id in text": ("03_inertia_synergy.yaml", _step(2, text="As TX-99 shows [66]."),
                                r"steps\[3\]\.text: 'TX-99'"),
    "unknown CMOC id in an exercise": ("04_conflict_power_culture.yaml", _exercise(1, cmocs=["T3-13", "T3-29", "X"]),
                                       r"exercises\[2\]\.cmocs: 'X'"),
    "unknown exercise kind": ("05_mandated_confidence.yaml", _exercise(0, kind="quiz"),
                              r"exercises\[1\]\.kind: 'quiz'.*classify, build, poe, cases, contest"),
    "build CMOC without a quote": ("01_realist_basics.yaml", _exercise(1, cmocs=["TX-04", "T3-02"]),
                                   r"exercises\[2\]\.cmocs: 'T3-02'.*verbatim quote"),
    "too many classify CMOCs": ("06_lifecycle.yaml",
                                _exercise(0, cmocs=["T3-21", "T3-22", "T3-43", "T3-33", "T3-01", "T3-02"]),
                                r"3 to 5 CMOC ids"),
    "reference number above 98": ("04_conflict_power_culture.yaml", _step(1, text="Conflict [68, 99]."),
                                  r"steps\[2\]\.text: '\[99\]'.*1\.\.98"),
    "reference number 0": ("04_conflict_power_culture.yaml", lambda d: d.update(summary="Zero [0]."),
                           r"summary: '\[0\]'"),
    "reference number in a range": ("02_trust_loop.yaml", lambda d: d["questions"].__setitem__(0, "See [97–100]?"),
                                    r"questions\[1\]: '\[99\]'"),
    "reference number in a quote source": ("02_trust_loop.yaml", _step(0, quote_source="Trust [670]"),
                                           r"quote_source: '\[670\]'"),
    "quote without a source": ("06_lifecycle.yaml", lambda d: d["steps"][0].pop("quote_source"),
                               r"steps\[1\]\.quote_source"),
    "key not matching the file name": ("05_mandated_confidence.yaml", lambda d: d.update(key="mandated"),
                                       r"05_mandated_confidence\.yaml: key: 'mandated'.*'mandated_confidence'"),
    "order not matching the file name": ("05_mandated_confidence.yaml", lambda d: d.update(order=7), r"order: 7"),
    "too few steps": ("01_realist_basics.yaml", lambda d: d.update(steps=d["steps"][:2]), r"3 to 6 steps"),
    "objectives not a list": ("01_realist_basics.yaml", lambda d: d.update(objectives="learn"), r"objectives"),
    "step not a mapping": ("01_realist_basics.yaml", lambda d: d["steps"].__setitem__(0, "just text"),
                           r"steps\[1\]: 'just text'"),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_lesson_copy_is_rejected(lessons_copy: Path, case: str) -> None:
    name, change, pattern = BROKEN[case]
    _edit(lessons_copy / name, change)
    with pytest.raises(IockitError, match=pattern) as info:
        load_lessons(directory=lessons_copy)
    assert info.value.field.startswith(name), info.value.message


def test_badly_named_unreadable_or_duplicate_files_are_rejected(lessons_copy: Path) -> None:
    (lessons_copy / "07_extra.yaml").write_text("key: [unclosed\n", encoding="utf-8")
    with pytest.raises(IockitError, match=r"07_extra\.yaml.*valid YAML"):
        load_lessons(directory=lessons_copy)
    (lessons_copy / "07_extra.yaml").write_text("- a list\n", encoding="utf-8")
    with pytest.raises(IockitError, match=r"07_extra\.yaml: top level"):
        load_lessons(directory=lessons_copy)
    (lessons_copy / "07_extra.yaml").unlink()
    shutil.copy(lessons_copy / "02_trust_loop.yaml", lessons_copy / "trust_loop.yaml")
    with pytest.raises(IockitError, match=r"lesson file: 'trust_loop\.yaml'"):
        load_lessons(directory=lessons_copy)
    (lessons_copy / "trust_loop.yaml").rename(lessons_copy / "02_trust_loop_copy.yaml")
    with pytest.raises(IockitError, match=r"key: 'trust_loop'"):
        load_lessons(directory=lessons_copy)
    with pytest.raises(IockitError, match=r"lessons directory"):
        load_lessons(directory=lessons_copy / "missing")


def test_unknown_lesson_key_names_the_valid_ones() -> None:
    with pytest.raises(IockitError, match=r"lesson: 'trust_lop'.*realist_basics.*did you mean trust_loop") as info:
        lesson("trust_lop")
    assert info.value.field == "lesson"


BROKEN_ITEMS = {
    "answer past the last option": (lambda d: d["items"][0].update(answer=4), r"items\[1\]\.answer: 4.*0 to 3"),
    "negative answer": (lambda d: d["items"][2].update(answer=-1), r"items\[3\]\.answer: -1"),
    "answer not a number": (lambda d: d["items"][1].update(answer="A"), r"items\[2\]\.answer: 'A'"),
    "answer true": (lambda d: d["items"][1].update(answer=True), r"items\[2\]\.answer: True"),
    "unknown item key": (lambda d: d["items"][0].update(hint="x"), r"items\[1\] key: 'hint'"),
    "missing explanation": (lambda d: d["items"][3].pop("explanation"), r"missing 'explanation'"),
    "duplicate id": (lambda d: d["items"][1].update(id="q1"), r"items\[2\]\.id: 'q1'"),
    "too few options": (lambda d: d["items"][0].update(options=["a", "b"], answer=0), r"3 to 4 options"),
    "bad reference": (lambda d: d["items"][0].update(explanation="See [120]."), r"explanation: '\[120\]'"),
    "bad CMOC id": (lambda d: d["items"][0].update(explanation="See T3-99 [25]."), r"explanation: 'T3-99'"),
    "unknown top-level key": (lambda d: d.update(title="x"), r"top level key: 'title'"),
}


@pytest.mark.parametrize("case", list(BROKEN_ITEMS), ids=list(BROKEN_ITEMS))
def test_broken_questionnaire_copy_is_rejected(tmp_path: Path, case: str) -> None:
    change, pattern = BROKEN_ITEMS[case]
    path = tmp_path / "questionnaire.yaml"
    shutil.copy(QUESTIONNAIRE_PATH, path)
    _edit(path, change)
    with pytest.raises(IockitError, match=pattern) as info:
        questionnaire(path)
    assert info.value.field.startswith("questionnaire.yaml")
