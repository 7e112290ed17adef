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


def test_cmoc_references_appear_in_the_cited_passage(theory, fulltext):
    """Every reference number a text CMOC cites is printed in its section of the paper."""
    for c in theory.cmocs.values():
        if c.source != "text" or not c.references:
            continue
        start = max(i for i in range(c.seed_line) if fulltext[i].strip() == c.section)
        passage = " ".join(fulltext[start:c.seed_line])
        cited = set()
        for group in re.findall(r"\[([\d,\s–-]+)\]", passage):
            for part in group.split(","):
                if "–" in part or "-" in part:
                    a, b = re.split(r"[–-]", part)
                    cited.update(range(int(a), int(b) + 1))
                elif part.strip():
                    cited.add(int(part))
        assert set(c.references) <= cited, (c.id, set(c.references) - cited)


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
