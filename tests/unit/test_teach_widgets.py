"""Lessons, the questionnaire, the workshop and the share panel, driven as a learner would, off screen."""

from __future__ import annotations

import base64
import csv
import io
import re

import pytest

pytest.importorskip("ipywidgets")

from iockit import contexts as ctxreg
from iockit.sim.scenarios import load_scenario
from iockit.teach import exercises as ex
from iockit.teach.answers import AnswerSheet
from iockit.teach.lessons import load_lessons
from iockit.widgets import build


def _download(html: str, name_part: str) -> bytes:
    m = re.search(rf'download="([^"]*{name_part}[^"]*)" href="data:[^;]+;base64,([^"]+)"', html)
    assert m, html[:300]
    return base64.b64decode(m.group(2))


# --- rehearsals: a lesson, the questionnaire and the workshop driven as a learner would ------------------
def _classify(e) -> None:
    item = e.items[0]
    wrong = next(r for r in ex.ROLES if r != item.role)
    assert e.answer(item.id, wrong).correct is False and "wrong" in e.item_feedback[item.id].value
    assert e.answer(item.id, item.role).correct is True and "right" in e.item_feedback[item.id].value


def _build(e) -> None:
    right = ex.answer_build(e.item.cmoc)
    bad_context = next(k for k in e.item.options["context"] if k != right[0])
    assert e.fill(bad_context, *right[1:]).correct is False
    assert e.fill(*right).correct is True and "right" in e.feedback.value


def _poe(e) -> None:
    obs = ex.observe(e.item.id)
    e.prediction.value = next(p for p in ex.PREDICTIONS if p != obs.direction)
    assert e.run_observation().correct is False
    e.prediction.value = obs.direction
    assert e.run_observation().correct is True and e.explain_area.layout.display is None
    assert e.explain().correct is False and "Choose at least one" in e.explain_feedback.value   # nothing ticked
    core = ex.key_for(e.item.id).core
    assert not any(i in e.feedback.value + e.explain_feedback.value for i in core)          # not given away
    wrong_id = next(i for i in e.options if i not in e.item.explain)
    e.explain_boxes[wrong_id].value = True
    assert e.explain().correct is False and "Hint:" in e.explain_feedback.value
    assert not any(i in e.explain_feedback.value for i in core)
    e.explain_boxes[wrong_id].value = False
    e.explain_boxes[next(i for i in e.options if i in core)].value = True
    assert e.explain().correct is True and all(i in e.explain_feedback.value for i in core)


def _cases(e) -> None:
    assert e.fill({}, {}, [], []).correct is False
    access, collaborative, a_ids, b_ids = ex.answer_cases()
    assert e.fill(access, collaborative, a_ids, b_ids).correct is True, e.feedback.value


def _contest(e) -> None:
    fb = e.fill("faith", "trust", "ambition", "+", "+")
    assert fb.correct is None and "feedback loop" in fb.message and "download" in e.download.value


ANSWER = {"classify": _classify, "build": _build, "poe": _poe, "cases": _cases, "contest": _contest}


def rehearse_lesson(key: str):
    """Walk a lesson as a learner would, off screen: every step, then every exercise answered wrongly
    and then rightly, checking that the feedback says so."""
    from iockit.widgets.lesson import LessonView

    view = LessonView(key, AnswerSheet("rehearsal"))
    for n in range(len(view.lesson.steps)):
        view.go(n)
        assert view.content.value and f"Step {n + 1} of" in view.position.value
    shown, _ = view.links_until(len(view.lesson.steps) - 1)
    assert shown, "a lesson reveals part of the web"
    for e in view.exercises:
        ANSWER[e.kind](e)
    open_answers = sum(e.kind == "contest" for e in view.exercises)
    assert len(view.sheet.rows) >= 2 * len(view.exercises) - open_answers
    assert "Download my answers" in view.answers.link.value
    return view


def rehearse_questionnaire():
    """Answer the questionnaire off screen, wrongly then rightly, checking the feedback."""
    from iockit.teach.answers import before_after, read_answers
    from iockit.widgets.questionnaire import Questionnaire

    q = Questionnaire()
    q.submit()
    assert "answer every question" in q.status.value
    for item in q.items:
        q.choices[item.id].value = (item.answer + 1) % len(item.options)
    assert q.submit() == 0 and not any(f.value for f in q.item_feedback.values())     # before: not marked
    assert "not marked" in q.status.value and {r["correct"] for r in q.sheet.rows} == {""}
    q.phase.value = "after"
    for item in q.items:
        q.choices[item.id].value = item.answer
    assert q.submit() == len(q.items) and all("right" in f.value for f in q.item_feedback.values())
    change = before_after(read_answers(q.sheet.to_csv()))
    assert change and all(row["change"] == 1.0 for row in change)
    return q


def rehearse_workshop():
    """Pool two groups' files and a broken one, off screen."""
    from iockit.widgets.workshop import WorkshopDashboard

    w = WorkshopDashboard()
    good = load_scenario("voluntary_alliance").to_yaml().encode()
    other = load_scenario("mandated_buddying").to_yaml().encode()
    problems = w.load_files([("group-a.yaml", good), ("group-b.yaml", other),
                             ("group-c.yaml", b"contexts: {ambition: 7}\n")])
    assert len(problems) == 1 and "group-c.yaml" in problems[0] and "ambition" in problems[0]
    assert [g.name for g in w.groups] == ["group-a", "group-b"]
    assert "group-c" in w.status.value and "Download this table" in w.export.value
    rows = w.rows()
    assert rows[0]["dissolved by end"] < rows[1]["dissolved by end"]   # the voluntary alliance fares better
    return w


@pytest.mark.parametrize("key", [ls.key for ls in load_lessons()])
def test_each_lesson_can_be_followed_with_feedback_at_every_exercise(key):
    view = rehearse_lesson(key)
    rows = list(csv.DictReader(io.StringIO(_download(view.answers.link.value, "iockit-").decode())))
    assert {r["lesson"] for r in rows} == {key}
    assert {"yes", "no"} <= {r["correct"] for r in rows} or key == "lifecycle"


def test_lesson_reveals_the_web_step_by_step():
    from iockit.widgets.lesson import LessonView

    view = LessonView("trust_loop")
    sizes = []
    for n in range(len(view.lesson.steps)):
        view.go(n)
        shown, new = view.links_until(n)
        sizes.append(len(shown))
        assert new <= shown
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]
    view.go(0)
    assert view.back.disabled and not view.next.disabled
    view.next.click()
    assert view.step == 1


def test_thoughts_on_the_questions_are_saved_with_the_answers():
    from iockit.widgets.lesson import LessonView

    view = LessonView("realist_basics")
    view.answers.name.value = "Ada Lovelace"
    view.notes[0].value = "Context is where it happens."
    view.save_notes.click()
    rows = list(csv.DictReader(io.StringIO(_download(view.answers.link.value, "ada-lovelace").decode())))
    assert rows[-1]["exercise"] == "question" and rows[-1]["learner"] == "Ada Lovelace"
    assert rows[-1]["correct"] == ""


def test_questionnaire_before_and_after():
    q = rehearse_questionnaire()
    assert len(q.sheet.rows) == 2 * len(q.items)


@pytest.mark.parametrize("mode", ["before", "after"])
def test_questionnaire_modes_from_the_link(mode):
    """Issue 14.5: ?mode=before records without showing correctness (and says why); ?mode=after shows it."""
    from iockit.widgets.questionnaire import Questionnaire, mode_requested

    assert mode_requested(f"?mode={mode}&large=1") == mode and mode_requested("mode=later") is None
    q = Questionnaire(mode=mode)
    assert q.phase.value == mode and q.phase.layout.display == "none"
    for item in q.items:
        q.choices[item.id].value = item.answer
    right = q.submit()
    shown = "".join(f.value for f in q.item_feedback.values())
    if mode == "before":
        assert right == 0 and not shown and "not marked" in q.intro.value and "not marked" in q.status.value
        assert q.submit_button.description == "Record my answers"
        assert all(r["correct"] == "" and r["feedback"] == "" for r in q.sheet.rows)
    else:
        assert right == len(q.items) and "Correct." in shown and "[" in shown
        assert all(r["correct"] == "yes" for r in q.sheet.rows)


def test_classify_items_show_their_cmoc_and_link_to_the_row():
    from iockit.widgets.exercise import ClassifyExercise

    e = ClassifyExercise(AnswerSheet("a"), "realist_basics", ("T3-18",))
    html = " ".join(w.value for w in e.children[1:] for w in getattr(w, "children", ()) if hasattr(w, "value")
                    and isinstance(w.value, str))
    assert "From <a href=\"../04_cmoc_browser.ipynb?cmoc=T3-18\"" in html and "What is it in T3-18?" in html
    fb = e.answer("T3-18/outcome", "context")
    assert "Right for another row." in e.item_feedback["T3-18/outcome"].value and "T3-23" in fb.message


def test_build_hints_are_graded_and_recorded():
    from iockit.widgets.exercise import BuildExercise

    e = BuildExercise(AnswerSheet("a"), "trust_loop", "T3-22")
    assert e.hint_button.disabled and e.answer_button.disabled
    wrong = next(k for k in e.item.options["context"] if k != "formalisation")
    e.fill(wrong, "trust", "risk_tolerance", "+", "+")
    assert "T3-22" not in e.feedback.value and not e.hint_button.disabled
    e.hint_button.click()
    assert "Legal agreements" in e.help.value and "T3-22" not in e.help.value
    assert e.sheet.rows[-1]["item"] == "T3-22/help" and e.sheet.rows[-1]["answer"] == "hint 1"
    e.answer_button.click()
    assert "T3-22" in e.help.value and e.sheet.rows[-1]["answer"] == "answer shown"
    auto = BuildExercise(AnswerSheet("b"), "trust_loop", "T3-22")
    for _ in range(ex.ANSWER_AFTER):
        auto.fill(wrong, "trust", "risk_tolerance", "+", "+")
    assert "T3-22" in auto.help.value and auto.sheet.rows[-1]["answer"] == "answer shown"


def test_contest_widget_plain_words():
    from iockit.widgets.exercise import ContestExercise

    e = ContestExercise(AnswerSheet("a"), "lifecycle")
    assert "Mandated collaboration" in e.factor["context"].options and "mandated" not in e.factor["context"].options
    empty = e.fill("", "", "")
    assert "Name a context, a mechanism and an outcome" in e.feedback.value and not e.sheet.rows
    said = re.sub(r"<[^>]+>", "", e.feedback.value)
    assert "`" not in said and "iockit" not in said and "allowed" not in said
    assert empty.correct is False
    fb = e.fill("Mandated collaboration", "trust", "FAITH", "+", "+")
    assert "T3-30" in fb.message and "Mandated collaboration raises Trust" in e.feedback.value
    assert e.sheet.rows[-1]["answer"] == "Mandated collaboration raises Trust, which raises Faith"
    e.fill("Trust", "trust", "faith")
    assert "three different factors" in e.feedback.value
    assert "datasets/" not in e.download.value and "cmocs.csv" not in e.download.value


def test_cases_answers_in_words():
    from iockit.widgets.exercise import CasesExercise

    e = CasesExercise(AnswerSheet("a"), "conflict_power_culture")
    access, collaborative, a_ids, b_ids = ex.answer_cases()
    e.fill(access, collaborative, a_ids, b_ids)
    answer = e.sheet.rows[-1]["answer"]
    assert answer.startswith("Access ACO: ") and "Conflict resolution 0.90" in answer
    assert "conflict_resolution" not in answer and "{" not in answer


def test_workshop_pools_files_and_names_the_bad_ones():
    w = rehearse_workshop()
    before = [g.name for g in w.groups]
    problems = w.load_files([("evil.yaml", b"a: &a [*a, *a]\n"), ("binary.yaml", bytes(range(256)))])
    assert len(problems) == 2 and [g.name for g in w.groups] == before   # nothing changed
    table = _download(w.export.value, "workshop").decode()
    assert next(iter(csv.DictReader(io.StringIO(table))))["group"] == "group-a"
    w.large.value = False
    assert "iockit-large" not in w._dom_classes
    w.large.value = True
    assert "iockit-large" in w._dom_classes


# --- share and keep -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["loop", "synergy"])
def test_a_link_reopens_the_same_state(name):
    a = build(name)
    a.panel.preset.value = "mandated_buddying"
    a.panel.controls["ambition"].value = 0.85
    a.sharing.months.value = 48
    a.sharing.seed.value = 7
    href = re.search(r'class="iockit-share-link" href="\?([^"]*)"', a.sharing.link.value).group(1)
    query = href.replace("&amp;", "&")
    b = build(name)
    b.sharing.apply_query(query)
    assert b.panel.contexts() == a.panel.contexts()
    assert (b.months, b.seed, b.panel.partners) == (48, 7, a.panel.partners)
    assert b.panel.partner_overrides == a.panel.partner_overrides
    assert (b.result.series["trust"] == a.result.series["trust"]).all()   # the same runs


def test_a_bad_link_says_why_and_keeps_the_defaults():
    d = build("loop")
    d.sharing.apply_query("ambition=7&months=48")
    assert "could not be opened" in d.sharing.message.value and "ambition" in d.sharing.message.value
    assert d.panel.contexts() == ctxreg.defaults() and d.months == 36


def test_scenario_download_loads_back_and_run_data_parses():
    d = build("loop")
    d.panel.set({"shared_vision": 0.9, "pace": 0.2})
    yaml_bytes = _download(d.sharing.downloads.value, ".yaml")
    run = list(csv.DictReader(io.StringIO(_download(d.sharing.downloads.value, "run.csv").decode())))
    assert len(run) == 36 and float(run[0]["trust"]) >= 0 and "phase" in run[0]
    e = build("loop")
    e.sharing._uploaded({"new": [{"name": "mine.yaml", "content": yaml_bytes}]})
    assert "Loaded" in e.sharing.message.value
    assert e.panel.contexts()["shared_vision"] == 0.9 and e.panel.contexts()["pace"] == 0.2


@pytest.mark.parametrize("content", [b"contexts: {ambition: 7}\n", b"a: &x [1]\nb: *x\n", b"!!python/object:os.system {}\n",
                                     b"\xff\xfe\x00binary", b"- just\n- a list\n", b"contexts:\n  ambtion: 0.5\n"])
def test_a_hostile_scenario_file_changes_nothing(content):
    d = build("loop")
    before = (d.panel.contexts(), d.months, d.seed, d.result)
    d.sharing._uploaded({"new": [{"name": "x.yaml", "content": content}]})
    assert "was not loaded, nothing changed" in d.sharing.message.value
    assert (d.panel.contexts(), d.months, d.seed, d.result) == before


def test_preset_state_link_is_short():
    d = build("synergy")
    d.panel.preset.value = "large_trust_merger"
    href = re.search(r'href="\?([^"]*)"', d.sharing.link.value).group(1)
    assert href == "scenario=large_trust_merger"
    assert "alert" not in d.sharing.link.value
    assert load_scenario("large_trust_merger").title


def test_a_named_scenario_downloads_under_its_name():
    d = build("loop")
    d.sharing.title.value = "Group Red: slow and steady"
    data = _download(d.sharing.downloads.value, "group-red-slow-and-steady.yaml")
    from iockit.sim.scenarios import parse_scenario_bytes

    assert parse_scenario_bytes(data, "x.yaml").title == "Group Red: slow and steady"
