from __future__ import annotations

import pytest

from iockit.errors import IockitError
from iockit.web import REINFORCING, chains, contested_links, feedback_loops, relations


def test_web_has_every_factor_and_link(theory, web):
    assert set(web.nodes) == set(theory.factors)
    assert web.number_of_edges() == len(theory.links)
    for u, v, data in web.edges(data=True):
        assert data["sign"] in (1, -1)
        assert u != v


def test_trust_building_loop_is_found_reinforcing(theory, web):
    loops = {lp.name: lp for lp in feedback_loops(web, 4, theory) if lp.name}
    tb = loops["The trust-building loop"]
    assert tb.factors == ("trust", "risk_tolerance", "achievement", "trust")
    assert tb.polarity == REINFORCING
    # every loop of loops.csv (named by the review or composed by the package) is in the web
    assert set(loops) == {n.label for n in theory.loops.values()}


def test_loop_polarity_follows_link_signs(theory, web):
    for lp in feedback_loops(web, 5, theory):
        negatives = sum(r.sign < 0 for r in lp.relations)
        if any(r.contested for r in lp.relations):
            assert lp.polarity == "contested"
        else:
            assert lp.polarity == ("reinforcing" if negatives % 2 == 0 else "balancing")


def test_ambition_contradiction_is_contested(web):
    found = {(r.source, r.target): r for r in contested_links(web)}
    rel = found[("ambition", "progress")]
    assert "T3-07" in rel.positive  # Table 3: unambitious aims -> lessened perception of progress
    assert "TX-01" in rel.negative  # text: unambitious aims -> better perception of progress
    assert ("ambition", "achievement") in found


def test_uncontested_relations_have_one_sign(web):
    for rel in relations(web).values():
        assert rel.contested == (rel.sign == 0)


def test_chains_from_context_to_outcome(theory, web):
    found = chains(web, "shared_vision", "dissolution", 4, theory)
    assert found[0].factors == ("shared_vision", "conflict", "trust", "dissolution")
    # shared vision lowers conflict (-), conflict lowers trust (-), trust lowers dissolution (-)
    assert found[0].sign == -1
    assert {"T3-16", "T3-26"} <= set(found[0].cmocs)


def test_unknown_factor_suggests_closest(theory, web):
    with pytest.raises(IockitError) as err:
        chains(web, "shared_visoin", "trust", 4, theory)
    assert err.value.field == "CONTEXT"
    assert "shared_vision" in err.value.message


def test_cmocs_for_factor_matches_names(theory):
    trust = theory.cmocs_for("trust")
    assert {c.id for c in trust} == {c.id for c in theory.cmocs.values() if "trust" in c.factors}
    assert len(trust) > 40
    assert theory.cmocs_for("Shared vision") == theory.cmocs_for("shared_vision")
