"""The data package against the paper: counts, and every CMOC traced back to the seed text."""

from __future__ import annotations

import re
from collections import Counter


def test_counts_match_the_paper(theory):
    sources = Counter(c.source for c in theory.cmocs.values())
    assert sources == {"table_3": 44, "text": 42}
    assert len(theory.studies) == 39
    assert sorted(theory.references) == list(range(1, 99))
    assert len(theory.entry_points) == 6
    assert [p.key for p in theory.lifecycle] == [
        "contemplating", "connecting", "planning", "implementation", "maintenance_or_dissolution"]


def test_table1_research_types_match_the_text(theory):
    # "case studies (n = 18), reviews (n = 16), case-control studies (n = 2), surveys (n = 2), theoretical (n = 1)"
    assert Counter(s.research_type for s in theory.studies.values()) == {
        "Case study": 18, "Review": 16, "Case-control study": 2, "Survey": 2, "Theoretical": 1}


def test_studies_are_the_included_papers(theory):
    # line 47: "[1, 4, 12, 13, 15, 17, 22, 34–65]"
    assert set(theory.studies) == {1, 4, 12, 13, 15, 17, 22, *range(34, 66)}


def test_table3_rows_are_verbatim_and_in_order(theory, fulltext):
    rows = [c for c in theory.cmocs.values() if c.source == "table_3"]
    assert [c.table_row for c in rows] == list(range(1, 45))
    for c in rows:
        cells = [x.strip() for x in fulltext[c.seed_line - 1].split("|")]
        assert cells[:3] == [c.context, c.mechanism, c.outcome], c.id


_LABELS = ("(context)", "(mechanism)", "(outcome)")


def test_text_cmocs_are_every_stated_cmoc(theory, fulltext):
    """A text CMOC for every line that states one: with the arrow sign, or with all three labels and
    no arrow (line 131, TX-42). TX-01..TX-41 are the arrow lines in reading order; TX-42 came later."""
    stated = [i + 1 for i, line in enumerate(fulltext) if "➔" in line or all(x in line for x in _LABELS)]
    text = [c for c in theory.cmocs.values() if c.source == "text"]
    assert sorted(c.seed_line for c in text) == stated
    arrows = [c for c in text if "➔" in fulltext[c.seed_line - 1]]
    assert [c.seed_line for c in arrows] == sorted(c.seed_line for c in arrows)
    assert [c.id for c in text if c not in arrows] == ["TX-42"]
    for c in text:
        line = fulltext[c.seed_line - 1]
        for part in (c.context, c.mechanism, c.outcome):
            assert part in line, (c.id, part)


def test_labelled_cmoc_without_arrow_is_verbatim(theory, fulltext):
    c = theory.cmocs["TX-42"]
    assert f"{c.context} (context), {c.mechanism} (mechanism), {c.outcome} (outcome) [12]" in fulltext[c.seed_line - 1]


_MARKER = re.compile(r"\((context|mechanism|outcome)\)")
# what may follow a part's marker without being part of it: punctuation, figure and table pointers,
# citation brackets, and a connective "and" printed before the next arrow (TX-33)
_AFTER_MARKER = re.compile(r"^(?:\s|[.,]|\((?:Fig|Table)\.? \d\)|\[[\d,\s–-]+\]|\band\b)*$")


def _arrow_parts(line: str) -> tuple[list[str], list[str]]:
    """The words of each part of an arrow line (before its marker) and what follows each marker."""
    parts, after = [], []
    for segment in line.split("➔"):
        m = _MARKER.search(segment)
        head, tail = (segment[:m.start()], segment[m.end():]) if m else (segment, "")
        parts.append(head.strip().rstrip(",").strip())
        after.append(tail)
    return parts, after


def test_text_cmoc_parts_are_verbatim(theory, fulltext):
    """Each part holds every word the paper prints for it, leading "If" or "and" included; only the
    markers and what _AFTER_MARKER allows are left out (docs/coding.md)."""
    for c in theory.cmocs.values():
        line = fulltext[c.seed_line - 1]
        if c.source != "text" or "➔" not in line:
            continue
        parts, after = _arrow_parts(line)
        assert parts == [c.context, c.mechanism, c.outcome], c.id
        for tail in after:
            assert _AFTER_MARKER.match(tail), (c.id, tail)


def test_quotes_are_verbatim(theory, fulltext):
    whole = "\n".join(fulltext)
    quoted = [c for c in theory.cmocs.values() if c.quote]
    assert len(quoted) >= 15
    for c in quoted:
        assert c.quote in whole, c.id
        assert re.search(r"\[\d+\]", c.quote_source), c.id


_BRACKET = re.compile(r"\[([\d,\s–-]+)\]")


def _brackets(text: str) -> list[set[int]]:
    """The citation brackets printed in ``text``, each as its set of numbers ("45–47" expanded)."""
    out = []
    for group in _BRACKET.findall(text):
        numbers: set[int] = set()
        for part in group.split(","):
            if "–" in part or "-" in part:
                a, b = re.split(r"[–-]", part)
                numbers.update(range(int(a), int(b) + 1))
            elif part.strip():
                numbers.add(int(part))
        out.append(numbers)
    return out


def _statement(c, line: str) -> str:
    """The sentence that states a text CMOC, from its context to the full stop after its outcome."""
    start = line.index(c.context)
    rest = line[line.index(c.outcome, start) + len(c.outcome):]
    end = re.search(r"(?<!Fig)\.(\s|$)", rest)
    return line[start:len(line) - len(rest) + (end.start() if end else len(rest))]


def test_references_follow_one_rule(theory, fulltext):
    """The rule of docs/coding.md ("Reference numbers"): whole brackets, never part of one.

    1. A text CMOC whose own sentence prints a bracket carries exactly that bracket.
    2. Any other text CMOC carries whole brackets printed in its section, from the heading down to
       its own line; a number it takes from a paragraph brings every bracket of that paragraph
       that prints the number.
    3. A Table 3 row carries every number of its text twins (same_as), and says in its notes where
       any further number comes from.
    4. A CMOC with a quote carries the quote's reference number.
    """
    body = "\n".join(fulltext[:fulltext.index("References")])
    printed = set().union(*_brackets(body))
    for c in theory.cmocs.values():
        refs = set(c.references)
        assert set().union(*_brackets(c.quote_source)) <= refs, (c.id, "quote")
        if c.source == "table_3":
            assert refs <= printed, (c.id, refs - printed)
            twins = set().union(set(), *(theory.cmocs[t].references for t in c.same_as))
            assert twins <= refs, (c.id, "misses a twin's", twins - refs)
            in_notes = set().union(set(), *_brackets(c.notes))
            assert refs - twins <= in_notes or not c.same_as, (c.id, "unexplained", refs - twins - in_notes)
            continue
        line = fulltext[c.seed_line - 1]
        own = _brackets(_statement(c, line))
        if own:
            assert refs == set().union(*own), (c.id, "rule 1")
            continue
        start = max(i for i in range(c.seed_line) if fulltext[i].strip() == c.section)
        paragraphs = [_brackets(p) for p in fulltext[start:c.seed_line]]
        whole = [b for brackets in paragraphs for b in brackets if b <= refs]
        assert refs == set().union(set(), *whole), (c.id, "not whole brackets of its section", refs)
        for brackets in paragraphs:
            taken = set().union(set(), *(b for b in brackets if b <= refs))
            split = [sorted(b) for b in brackets if b & taken and not b <= refs]
            assert not split, (c.id, "splits", split)


def test_reference_rule_catches_a_split_bracket(theory, fulltext):
    """The rule is not vacuous: TX-01 as it was (67 without 82 from "[67, 82]") breaks rule 2."""
    c = theory.cmocs["TX-01"]
    start = max(i for i in range(c.seed_line) if fulltext[i].strip() == c.section)
    refs = set(c.references) - {82}
    paragraph = _brackets(fulltext[start + 1])
    taken = set().union(*(b for b in paragraph if b <= refs))
    assert any(b & taken and not b <= refs for b in paragraph)


def test_every_cmoc_has_links_and_a_citable_source(theory):
    for c in theory.cmocs.values():
        assert c.links, c.id
        assert c.references or c.notes, f"{c.id} has neither reference numbers nor a note saying why"


def test_factor_roles_show_context_can_be_mechanism(theory):
    # the paper: a factor can be a context in one CMOC and a mechanism in another
    assert set(theory.factors["trust"].roles) == {"context", "mechanism", "outcome"}
    assert set(theory.factors["conflict"].roles) >= {"context", "mechanism"}


def test_trust_faith_confidence_defined_from_the_slides(theory):
    assert "accepting vulnerability" in theory.factors["trust"].definition
    assert "progress" in theory.factors["faith"].definition
    assert "contractual" in theory.factors["confidence"].definition


def test_only_the_loops_the_review_names_are_marked_as_named(theory):
    from iockit._data import read_rows

    _, rows = read_rows(theory.path / "loops.csv")
    named = {r["key"] for r in rows if r["named_by_review"] == "yes"}
    assert named == {"trust_building", "faith_building"}  # lines 100 and 141
    for r in rows:
        composed = r["named_by_review"] == "no"
        assert composed == ("not named by the review" in r["label"]), r["key"]
        assert composed == r["description"].startswith("Not named by the review"), r["key"]


def test_lifecycle_inferences_are_labelled(theory):
    """The five phases come from the follow-up paper's abstract; that it is reference 82, and where
    the slides' quick wins go, are the package's inferences and say so (docs/coding.md)."""
    from iockit._data import read_rows

    _, rows = read_rows(theory.path / "lifecycle.csv")
    for r in rows:
        assert "reference 82" in r["inference"] and "inference" in r["inference"], r["key"]
        assert not re.search(r"\bline \d", r["evidence"]), r["key"]  # the dashboard shows evidence
    connecting = next(r for r in rows if r["key"] == "connecting")
    assert "quick wins" in connecting["inference"] and "inference" in connecting["description"]
