"""Handouts for the lecturer (issue 14): a printable worksheet per lesson and a one-page summary of Fig. 3
and Fig. 4, generated from the data package and the lessons."""

from __future__ import annotations

import re

import pytest

from iockit.errors import IockitError
from iockit.teach import exercises as ex
from iockit.teach.handouts import handout, handout_text, render
from iockit.teach.lessons import load_lessons

LESSONS = load_lessons()
KEY_LIKE = re.compile(r"\b[a-z]+_[a-z_]+\b")        # a code key such as risk_tolerance


@pytest.mark.parametrize("lesson", [le.key for le in LESSONS])
def test_every_lesson_has_a_worksheet_in_words(lesson, theory):
    le = next(x for x in LESSONS if x.key == lesson)
    text = handout_text(lesson)
    assert text.startswith(f"# Lesson {le.order}: {le.title}") and "Name: ____" in text
    assert not KEY_LIKE.search(text), KEY_LIKE.search(text)
    assert "datasets/" not in text and "iockit " not in text and ".yaml" not in text
    if le.exercise("classify"):
        assert "Sheet A. Context, mechanism or outcome?" in text
        for item in ex.classify_items(le.exercise("classify").cmocs):
            assert f"\u201c{item.statement}\u201d" in text and item.cmoc in text
    if le.exercise("build"):
        for ident in le.exercise("build").cmocs:
            assert theory.cmocs[ident].quote in text
    for q in le.questions:
        assert q in text
    page = handout_text(lesson, "html")
    assert page.startswith("<!DOCTYPE html>") and "@page" in page and "<script" not in page


def test_the_key_holds_the_answers_and_the_student_copy_does_not(theory):
    student, key = handout_text("1"), handout_text("realist_basics", key=True)
    assert "Key:" not in student and "(marking key)" in key
    assert "Existing successful collaborations raises Trust, which raises Ambition of aims" in key
    assert "context of T3-23" in key                                   # the other roles, for marking
    poe = handout_text("trust_loop", key=True)
    assert "explained by T3-18, T3-24" in poe


def test_figures_summary_is_generated_from_the_data(theory):
    text = handout_text("figures")
    assert "Fig. 3" in text and "Fig. 4" in text and "[67]" in text
    assert "| Trust | lowers | Partnership dissolution | T3-26 |" in text
    for ident in ("T3-05", "T3-27", "TX-40", "TX-41", "T3-30", "TX-38"):
        assert theory.cmocs[ident].context in text
    assert not KEY_LIKE.search(text)
    page = handout_text("figures", "html")
    assert 'class=one-page' in page and "<th scope=\"col\">" in page


def test_html_escapes_and_bad_requests():
    from iockit.teach.handouts import Block

    page = render([Block("h1", "<b>x</b>"), Block("p", "a & b")], "html")
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "a &amp; b" in page
    with pytest.raises(IockitError):
        handout("9")
    with pytest.raises(IockitError):
        render([], "pdf")


def test_cli_handout(capsys):
    from iockit.cli import main

    assert main(["handout", "figures", "--format", "html"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")
    assert main(["handout", "2", "--key"]) == 0
    assert "Key:" in capsys.readouterr().out
    assert main(["handout", "nine"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "LESSON" in err and "figures" in err
