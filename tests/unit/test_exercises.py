"""Exercise checkers accept right answers, reject wrong ones, and explain with the review's words and numbers."""

from __future__ import annotations

import csv
import io

import pytest

from iockit.errors import IockitError
from iockit.teach import exercises as ex
from iockit.teach.answers import AnswerSheet, before_after, read_answers, summarise


# --- classify -------------------------------------------------------------------------------------
def test_classify_items_are_the_cells_of_the_cmocs(theory):
    items = ex.classify_items(["T3-26", "TX-06"])
    assert len(items) == 6
    assert {(i.cmoc, i.role) for i in items} == {(c, r) for c in ("T3-26", "TX-06") for r in ex.ROLES}
    assert next(i for i in items if i.id == "T3-26/context").statement == theory.cmocs["T3-26"].context
    assert [i.id for i in items] == [i.id for i in ex.classify_items(["T3-26", "TX-06"])]  # stable order


def test_classify_right_and_wrong():
    right = ex.check_classify("T3-26/context", "context")
    assert right.correct is True and "Significant conflict" in right.message
    assert "[25]" in right.message                       # the Methods' definition of a context
    assert "[47, 69]" in right.text()                    # the CMOC's reference numbers
    wrong = ex.check_classify("T3-26/context", "mechanism")
    assert wrong.correct is False
    assert "is the context, not the mechanism" in wrong.message and "[47, 69]" in wrong.text()


def test_classify_explains_chaining_when_the_words_play_another_part():
    # "Reduced trust" is the outcome of T3-29 and the context of other CMOCs (TX-13)
    fb = ex.check_classify("T3-29/outcome", "outcome")
    assert fb.correct is True
    assert "CMOCs chain" in fb.text() and "element of analysis" in fb.text()


@pytest.mark.parametrize("item,answer,field", [("T3-99/context", "context", "item"), ("T3-26/cause", "context", "item"),
                                               ("T3-26/context", "cause", "answer")])
def test_classify_bad_input_is_an_error_naming_the_field(item, answer, field):
    with pytest.raises(IockitError) as err:
        ex.check_classify(item, answer)
    assert err.value.field == field


# --- build ------------------------------------------------------------------------------------------
def test_build_item_offers_the_right_factors_among_others(theory):
    item = ex.build_item("T3-22")
    assert item.excerpt == theory.cmocs["T3-22"].quote
    assert "formalisation" in item.options["context"] and "trust" in item.options["mechanism"]
    assert set(item.options["outcome"]) & {"risk_tolerance", "ambition"}
    assert all(len(v) == 5 for v in item.options.values())
    with pytest.raises(IockitError):
        ex.build_item("T3-01")  # no quote to build from


def test_build_right_wrong_factor_and_wrong_sign():
    assert ex.check_build("T3-22", "formalisation", "trust", "risk_tolerance", "+", "+").correct is True
    swapped = ex.check_build("T3-22", "trust", "formalisation", "risk_tolerance", "+", "+")
    assert swapped.correct is False and "the context is \u201cLegal agreements\u201d" in swapped.message
    sign = ex.check_build("T3-22", "formalisation", "trust", "risk_tolerance", "-", "+")
    assert sign.correct is False and "raises" in sign.message
    assert "Casey [53]" in sign.text() and "[44, 47, 53, 82, 86]" in sign.text()


def test_build_negative_links_need_the_negative_sign():
    # TX-10: accountability lowers conflict, conflict lowers trust
    assert ex.check_build("TX-10", "accountability", "conflict", "trust", "-", "-").correct is True
    assert ex.check_build("TX-10", "accountability", "conflict", "trust", "+", "-").correct is False


def test_build_rejects_unknown_factors_and_signs():
    with pytest.raises(IockitError) as err:
        ex.check_build("T3-22", "legal_stuff", "trust", "risk_tolerance", "+", "+")
    assert err.value.field == "context"
    with pytest.raises(IockitError) as err:
        ex.check_build("T3-22", "formalisation", "trust", "risk_tolerance", "up", "+")
    assert err.value.field == "context_sign"


# --- predict, observe, explain -------------------------------------------------------------------
def test_every_poe_item_has_a_clear_observed_direction_and_a_valid_key():
    from iockit.sim.fidelity import load_encoding

    enc = {e.cmoc: e for e in load_encoding()}
    for item in ex.poe_items().values():
        obs = ex.observe(item.id)
        assert abs(obs.change) > 2 * ex.SAME, item.id     # not a borderline call
        for ident in item.explain:
            assert enc[ident].check_context in (item.context, f"initial:{item.context}"), (item.id, ident)
        assert set(item.explain) & set(ex.explain_options(item.id))


def test_prediction_is_judged_by_the_simulation():
    obs = ex.observe("poe_ambition")
    assert obs.direction == "falls"
    assert ex.check_prediction("poe_ambition", "falls").correct is True
    wrong = ex.check_prediction("poe_ambition", "rises")
    assert wrong.correct is False and f"{obs.before:.2f} to {obs.after:.2f}" in wrong.message
    assert ex.check_prediction("poe_ambition", "stays about the same").correct is False
    with pytest.raises(IockitError):
        ex.check_prediction("poe_ambition", "explodes")


def test_explanation_needs_the_cmocs_that_carry_the_effect():
    assert ex.check_explanation("poe_ambition", ["T3-24"]).correct is True
    assert ex.check_explanation("poe_ambition", ["T3-24", "T3-25", "TX-01"]).correct is True
    wrong = ex.check_explanation("poe_ambition", ["T3-24", "T3-22"])
    assert wrong.correct is False and "T3-22" in wrong.message
    assert ex.check_explanation("poe_ambition", []).correct is False
    assert "[1, 37, 46, 52, 67]" in ex.check_explanation("poe_ambition", ["T3-24"]).text()


# --- two cases ------------------------------------------------------------------------------------
ACCESS = {"conflict_resolution": 0.9, "accountability": 0.8}
COLLAB = {"conflict_resolution": 0.2, "resource_equality": 0.1, "power_balance": 0.2}


def test_cases_right_configuration_and_cmocs():
    fb = ex.check_cases(ACCESS, COLLAB, ["T3-20", "TX-10"], ["T3-29", "T3-26"])
    assert fb.correct is True
    assert "Access ACO" in fb.text() and "[47]" in fb.text() and "T3-26" in fb.text()


def test_cases_reject_outcomes_that_do_not_match_the_review():
    fb = ex.check_cases(ACCESS, ACCESS, ["T3-20"], ["T3-29", "T3-26"])
    assert fb.correct is False and "Collaborative ACO dissolves in only" in fb.message


def test_cases_reject_the_right_outcome_for_the_wrong_reason():
    # dissolving through over-ambition alone is not what Murray et al. report
    fb = ex.check_cases(ACCESS, {"ambition": 1.0, "conflict_resolution": 0.6}, ["T3-20"], ["T3-29", "T3-26"])
    assert fb.correct is False and "Resource equality or Balance of power" in fb.message


def test_cases_reject_wrong_cmocs():
    fb = ex.check_cases(ACCESS, COLLAB, ["T3-29"], ["T3-20"])
    assert fb.correct is False and "conflict resolution or accountability" in fb.message
    fb = ex.check_cases(ACCESS, COLLAB, ["T3-20"], ["T3-29"])
    assert fb.correct is False and "T3-26" in fb.message


# --- contest ------------------------------------------------------------------------------------------
def test_proposal_that_restates_the_review():
    p = ex.propose("formalisation", "trust", "risk_tolerance", "+", "+")
    assert "T3-22" in p.restates and not p.contradicts and not p.new_factors


def test_proposal_that_contradicts_the_review_and_adds_a_factor():
    p = ex.propose("Joint training", "cultural_compatibility", "conflict", "+", "+")
    assert p.new_factors == ("joint_training",)
    assert any("T3-15" in c for c in p.contradicts)
    assert p.summary().correct is None


def test_proposal_finds_the_loops_it_closes(web):
    # faith -> trust closes trust -> faith (T3-06-type links) into a two-factor reinforcing loop
    p = ex.propose("faith", "trust", "ambition", "+", "+")
    assert "reinforcing: faith \u2192 trust \u2192 faith" in p.loops
    # a balancing proposal: more achievement lowers risk tolerance closes a balancing loop
    q = ex.propose("achievement", "risk_tolerance", "ambition", "-", "+")
    assert any(lp.startswith("balancing") for lp in q.loops)


def test_proposal_exports_a_cmocs_csv_row(theory):
    p = ex.propose("faith", "trust", "ambition", "+", "+", evidence="seen in our ICS")
    rows = list(csv.DictReader(io.StringIO(p.to_csv("LEARNER-07"))))
    assert rows[0]["id"] == "LEARNER-07" and rows[0]["links"] == "faith->trust:+;trust->ambition:+"
    from iockit._data import default_package_dir, read_rows

    header, _ = read_rows(default_package_dir() / "cmocs.csv")
    assert list(rows[0]) == header                       # same columns as the dataset


@pytest.mark.parametrize("args,field", [(("trust", "trust", "faith"), "factors"), (("", "trust", "faith"), "context"),
                                        (("faith", "trust<script>", "x"), "mechanism")])
def test_proposal_bad_input(args, field):
    with pytest.raises(IockitError) as err:
        ex.propose(*args)
    assert err.value.field == field


# --- questionnaire and answer sheets --------------------------------------------------------------------
def test_questionnaire_checker():
    from iockit.teach.lessons import questionnaire

    q = questionnaire()[0]
    assert ex.check_question(q.id, q.answer).correct is True
    other = (q.answer + 1) % len(q.options)
    fb = ex.check_question(q.id, other)
    assert fb.correct is False and q.options[q.answer] in fb.message
    with pytest.raises(IockitError):
        ex.check_question(q.id, len(q.options))


def test_answer_sheet_round_trip_and_summaries():
    a, b = AnswerSheet("Ann"), AnswerSheet("Bo")
    a.record("trust_loop", "poe", "poe_ambition/predict", "rises", False, "no")
    a.record("trust_loop", "poe", "poe_ambition/predict", "falls", True, "yes")
    b.record("trust_loop", "poe", "poe_ambition/predict", "falls", True, "yes")
    for sheet, before, after in ((a, False, True), (b, True, True)):
        sheet.record("questionnaire", "before", "q1", "x", before)
        sheet.record("questionnaire", "after", "q1", "y", after)
    rows = read_answers(a.to_csv()) + read_answers(b.to_csv())
    (s,) = summarise(rows)
    assert s["learners"] == 2 and s["right_first_try"] == 0.5 and s["right_in_the_end"] == 1.0
    (q,) = before_after(rows)
    assert q["right_before"] == 0.5 and q["right_after"] == 1.0 and q["change"] == 0.5
    assert a.filename("trust_loop") == "iockit-trust_loop-ann.csv"


def test_answer_files_that_are_not_are_rejected():
    with pytest.raises(IockitError) as err:
        read_answers("name,score\nAnn,3\n", "marks.csv")
    assert "missing learner" in err.value.message
    sheet = AnswerSheet("x")
    sheet.record("l", "e", "i", "a", True)
    with pytest.raises(IockitError):
        read_answers(sheet.to_csv().replace(",yes,", ",maybe,"))


def test_every_evidence_quote_can_be_built_and_its_key_is_accepted(theory):
    quoted = [c.id for c in theory.cmocs.values() if c.quote]
    assert len(quoted) >= 15
    for ident in quoted:
        right = ex.answer_build(ident)
        assert ex.check_build(ident, *right).correct is True, ident
        item = ex.build_item(ident)
        assert all(k in item.options[role] for k, role in zip(right[:3], ex.ROLES, strict=True)), ident


def test_the_cases_key_is_accepted():
    access, collaborative, a_ids, b_ids = ex.answer_cases()
    assert ex.check_cases(access, collaborative, a_ids, b_ids).correct is True


def test_cli_lessons_and_answers(tmp_path, capsys):
    from iockit.cli import main

    assert main(["lessons", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "order,key,title,notebook,exercises,cmocs" and "lessons/04_conflict_power_culture.ipynb" in out
    files = []
    for name, before, after in (("ann", "no", "yes"), ("bo", "no", "no")):
        s = AnswerSheet(name)
        s.record("questionnaire", "before", "q1", "a", before == "yes")
        s.record("questionnaire", "after", "q1", "b", after == "yes")
        s.record("trust_loop", "poe", "poe_ambition/predict", "falls", True)
        files.append(tmp_path / f"{name}.csv")
        files[-1].write_text(s.to_csv())
    assert main(["answers", *map(str, files), "--before-after", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "q1,2,0,2,0.5,0.5" in out
    assert main(["answers", *map(str, files), "--format", "json"]) == 0
    assert '"right_first_try": 1.0' in capsys.readouterr().out
    bad = tmp_path / "marks.csv"
    bad.write_text("name,mark\nann,3\n")
    assert main(["answers", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "marks.csv" in err and "missing learner" in err


def test_the_exercise_package_keeps_its_public_names_and_small_parts():
    """One module per exercise kind, re-exported; modules <= 400 lines, functions <= 40 lines."""
    import ast
    from pathlib import Path

    for name in ("ROLES", "SIGNS", "Feedback", "cmoc_line", "ClassifyItem", "classify_items", "check_classify",
                 "BuildItem", "build_item", "check_build", "answer_build", "PREDICTIONS", "SAME", "MEASURES", "PoeItem",
                 "poe_items", "poe_item", "Observation", "observe", "check_prediction", "explain_options",
                 "check_explanation", "CaseRun", "run_case", "check_cases", "answer_cases", "Proposal", "propose",
                 "check_question", "ROLE_MEANING", "LEVEL_OF_ANALYSIS"):
        assert getattr(ex, name) is not None, name
    assert ex.cases_key().quote == ex.CASES_QUOTE and "[47]" in ex.CASES_QUOTE and ex.CASES_SOURCE
    for path in Path(ex.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 400, path.name
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno - node.lineno + 1 <= 40, f"{path.name}: {node.name}"
