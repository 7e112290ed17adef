from __future__ import annotations

import numpy as np
import pytest

from iockit.errors import IockitError
from iockit.sim import PHASES, STATE, simulate
from iockit.sim.explain import explain
from iockit.sim.inputs import Inputs
from iockit.sim.model import run, summarise
from iockit.sim.scenarios import load_scenario, names, parse_scenario


def test_shapes_and_reproducibility():
    a = simulate(months=12, runs=50, seed=7)
    b = simulate(months=12, runs=50, seed=7)
    c = simulate(months=12, runs=50, seed=8)
    for v in STATE:
        assert a.series[v].shape == (50, 12)
        np.testing.assert_array_equal(a.series[v], b.series[v])
    assert not np.array_equal(a.series["trust"], c.series["trust"])


def test_rows_have_the_public_columns():
    rows = simulate(months=3, runs=20).rows()
    assert list(rows[0]) == ["month", *STATE, "active", "synergy_active", "inertia_active", "phase",
                             *(f"phase_{p}" for p in PHASES)]
    for r in rows:
        assert sum(r[f"phase_{p}"] for p in PHASES) == pytest.approx(1.0)


def test_survivor_outputs_average_only_active_runs():
    r = simulate({"ambition": 1.0, "conflict_resolution": 0.0, "mandated": 1.0}, months=36, runs=200, seed=1)
    alive = r.series["dissolved"][:, -1] == 0
    assert r.active()[-1] == pytest.approx(alive.mean())
    if alive.any():
        assert r.mean_active("synergy")[-1] == pytest.approx(r.series["synergy"][alive, -1].mean())
    else:
        assert np.isnan(r.mean_active("synergy")[-1])
    rows = r.rows()
    assert rows[-1]["active"] == pytest.approx(round(float(alive.mean()), 4))
    r.series["dissolved"][:, -1] = 1.0  # every run gone in the last month: nothing to average
    assert np.isnan(r.mean_active("inertia")[-1])
    assert r.rows()[-1]["synergy_active"] is None and r.rows()[-1]["inertia_active"] is None
    assert r.rows()[-1]["active"] == 0


def test_dissolution_is_recorded_with_reason_and_month():
    r = simulate({"ambition": 1.0, "conflict_resolution": 0.0, "mandated": 1.0}, months=36, runs=200, seed=1)
    gone = r.dissolved_month >= 0
    assert gone.mean() > 0.3
    assert set(r.dissolved_reason[gone]) <= {"trust", "faith"}
    assert (r.dissolved_reason[~gone] == "").all()
    run = int(np.argmax(gone))
    m = r.dissolved_month[run]
    assert r.series["dissolved"][run, m] == 1 and (m == 0 or r.series["dissolved"][run, m - 1] == 0)
    assert r.phase[run, m] == PHASES.index("dissolution")


def test_trust_building_loop_over_ambition_costs_trust():
    realistic = simulate({"ambition": 0.5}, months=24, runs=300)
    over = simulate({"ambition": 0.95}, months=24, runs=300)
    assert over.series["trust"].mean() < realistic.series["trust"].mean() - 0.1
    assert over.mean("dissolved")[-1] > realistic.mean("dissolved")[-1]


def test_mandate_shifts_the_carrier_from_trust_to_confidence():
    # Fig. 4: in mandated, integrated forms confidence carries functioning; trust matters less
    def synergy_gain(extra):
        lo = simulate({**extra}, months=24, runs=300, initial={"trust": 0.3})
        hi = simulate({**extra}, months=24, runs=300, initial={"trust": 0.7})
        return hi.series["functioning"].mean() - lo.series["functioning"].mean()
    voluntary = synergy_gain({"mandated": 0.0, "integration": 0.0})
    mandated = synergy_gain({"mandated": 1.0, "integration": 1.0, "formalisation": 0.9})
    assert mandated < voluntary


def test_partner_overrides_and_multi_partner_trust():
    r = simulate(partners=3, runs=30, months=6, partner_overrides=[{"organisation_size": 0.9}])
    assert r.partner_contexts[0]["organisation_size"] == 0.9
    assert r.partner_contexts[1]["organisation_size"] == 0.5
    equal = simulate(partners=2, runs=200, months=6)
    lopsided = simulate(partners=2, runs=200, months=6,
                        partner_overrides=[{"organisation_size": 0.95}, {"organisation_size": 0.05}])
    assert lopsided.series["domination"].mean() > equal.series["domination"].mean()
    assert lopsided.series["trust"][:, 0].mean() < equal.series["trust"][:, 0].mean()


@pytest.mark.parametrize("kwargs, field", [
    ({"months": 0}, "months"), ({"months": 1000}, "months"), ({"runs": 0}, "runs"), ({"runs": 2.5}, "runs"),
    ({"partners": 1}, "partners"), ({"seed": -1}, "seed"),
    ({"contexts": {"shared_vison": 0.5}}, "context"), ({"contexts": {"shared_vision": 1.5}}, "shared_vision"),
    ({"contexts": {"shared_vision": "high"}}, "shared_vision"), ({"contexts": {"shared_vision": True}}, "shared_vision"),
    ({"contexts": {"entry_point": "merger"}}, "entry_point"), ({"contexts": {"pace": float("nan")}}, "pace"),
    ({"initial": {"synergy": 0.5}}, "initial"), ({"initial": {"trust": 2}}, "initial.trust"),
    ({"partner_overrides": [{"mandated": 1}]}, "p1.mandated"),
    ({"partner_overrides": [{}, {}, {}]}, "partner_overrides"),
])
def test_bad_input_names_the_field(kwargs, field):
    with pytest.raises(IockitError) as err:
        simulate(**kwargs)
    assert err.value.field == field
    assert "\n" not in err.value.message


def test_unknown_context_suggests_closest():
    with pytest.raises(IockitError) as err:
        simulate({"shared_vison": 0.5})
    assert "shared_vision" in err.value.message


@pytest.mark.parametrize("name", ["voluntary_alliance", "mandated_buddying", "large_trust_merger",
                                  "integrated_care_partnership"])
def test_presets_load_run_and_cite(name, theory):
    sc = load_scenario(name)
    assert sc.description and sc.sources
    assert set(sc.sources) <= set(theory.references)
    r = run(sc.inputs(months=12, runs=20))
    assert np.isfinite(r.series["trust"]).all()


def test_presets_differ_as_the_review_says():
    alliance = run(load_scenario("voluntary_alliance").inputs(runs=300))
    buddying = run(load_scenario("mandated_buddying").inputs(runs=300))
    assert alliance.series["trust"][:, 0].mean() > buddying.series["trust"][:, 0].mean()
    assert alliance.mean("dissolved")[-1] < buddying.mean("dissolved")[-1]


def test_scenario_round_trips_through_yaml():
    sc = load_scenario("mandated_buddying")
    again = parse_scenario(sc.to_yaml(), sc.name)
    assert again == sc
    assert sorted(names()) == names() and len(names()) >= 4


@pytest.mark.parametrize("text, field", [
    ("contexts: [1, 2", "scenario"),                          # malformed YAML
    ("- just\n- a list", "scenario"),                         # not a mapping
    ("contexts:\n  shared_vison: 0.5", "context"),           # unknown context key
    ("contexts:\n  shared_vision: 3", "shared_vision"),
    ("partners: 40", "partners"),
    ("colour: red", "scenario key"),
    ("contexts: !!python/object/apply:os.system ['echo hi']", "scenario"),  # hostile: never executed
    ("sources: [500]", "sources"),
    ("initial:\n  trust: -1", "initial.trust"),
])
def test_bad_scenarios_are_one_clear_error(text, field):
    with pytest.raises(IockitError) as err:
        parse_scenario(text)
    assert err.value.field == field


def test_explain_tells_a_story_with_sources():
    # a mandated, overambitious collaboration dissolves in many runs, not in all: tell the first that does
    for seed in range(20):
        lines = explain({"ambition": 0.95, "mandated": 1.0}, seed=seed)
        text = "\n".join(line.text for line in lines)
        if "dissolved" in text:
            break
    assert lines[0].text.startswith("Month 0:")
    assert "T3-30 [4, 8, 70, 88]" in text           # the mandate's power imbalance lowers initial trust
    assert "dissolved" in text
    assert all(line.cmocs or "lifecycle" in line.text or line.month in (0, 36) for line in lines)


def test_pairwise_noise_drawn_in_slices_is_the_same_draws(monkeypatch):
    import iockit.sim.equations as eq

    inputs = Inputs({"mandated": 1}, partners=4, months=6, runs=50, seed=3)
    whole = run(inputs)
    monkeypatch.setattr(eq, "NOISE_ROWS", 7)  # slices of 7 runs: 8 draws a month instead of one
    sliced = run(inputs)
    for v in STATE:
        np.testing.assert_array_equal(whole.series[v], sliced.series[v])


def test_summarise_gives_the_means_of_the_full_record():
    inputs = Inputs({"mandated": 1, "ambition": 0.9}, partners=3, months=30, runs=300, seed=2)
    full, means = run(inputs).means(), summarise(inputs)
    for v in STATE:
        np.testing.assert_allclose(means.means[v], full.means[v], rtol=0, atol=1e-12)
    np.testing.assert_allclose(means.active, full.active, atol=1e-12)
    for v in ("synergy", "inertia"):
        np.testing.assert_allclose(means.survivors[v], full.survivors[v], atol=1e-12, equal_nan=True)
    for p in full.fractions:
        np.testing.assert_allclose(means.fractions[p], full.fractions[p], atol=1e-12)
    assert means.rows()[5].keys() == full.rows()[5].keys()
