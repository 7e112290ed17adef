"""Any valid dashboard state survives the trip through a link, and through a scenario file (hypothesis)."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iockit import contexts as ctxreg
from iockit.sim.model import INITIAL, LIMITS
from iockit.sim.scenarios import names
from iockit.teach.addresses import dashboard_url, link
from iockit.teach.statelink import State, from_query, to_query

REG = ctxreg.registry()
NUMERIC = [k for k, c in REG.items() if c.kind == "number"]
PARTNER = [k for k, c in REG.items() if c.partner_level]

# any float in range, including ones like 0.30000000000000004 and 5e-324, as well as slider steps
unit = st.one_of(st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
                 st.integers(0, 20).map(lambda i: i * 0.05))


@st.composite
def states(draw):
    partners = draw(st.integers(*LIMITS["partners"]))
    return State(
        scenario=draw(st.sampled_from([None, *names()])),
        contexts=draw(st.fixed_dictionaries({}, optional={
            **{k: unit for k in NUMERIC}, "entry_point": st.sampled_from(ctxreg.choices("entry_point"))})),
        months=draw(st.integers(*LIMITS["months"])),
        seed=draw(st.integers(0, 2**63)),
        partners=partners,
        partner_overrides=draw(st.lists(st.fixed_dictionaries({}, optional={k: unit for k in PARTNER}),
                                        max_size=partners)),
        large=draw(st.booleans()),
        initial=draw(st.fixed_dictionaries({}, optional={k: unit for k in INITIAL})),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states())
def test_link_round_trip(state):
    qs = to_query(state)
    assert from_query(qs) == state
    assert from_query("?" + qs) == state
    assert from_query(urlsplit(link(dashboard_url("loop"), state)).query) == state
    assert to_query(from_query(qs)) == qs     # one state, one link


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states())
def test_scenario_file_round_trip(state):
    sc = state.to_scenario("Title", "Description")
    assert State.from_scenario(sc, seed=state.seed, large=state.large) == state
