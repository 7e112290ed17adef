"""The dashboard "Which contexts matter most?" without a browser: shipped results, bars linked to CMOCs,
labels for people, and a small live Morris screening with its progress bar."""

from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")

from iockit.sim.sensitivity import SHIPPED_OUTCOMES
from iockit.widgets import build
from iockit.widgets.sensitivity import OUTCOME_LABELS


@pytest.fixture(scope="module")
def dash():
    return build("sensitivity")


def test_every_shipped_outcome_has_a_label_for_people():
    assert set(OUTCOME_LABELS) == set(SHIPPED_OUTCOMES)


def test_bars_are_the_shipped_ranking_with_labels_and_whiskers(dash, theory):
    rep = dash.current()
    ranked = [r["context"] for r in rep["rows"]]
    assert dash.ranked == ranked
    assert list(dash.bars.x) == [theory.contexts[k].label for k in ranked]
    assert list(dash.bars.y) == sorted(dash.bars.y, reverse=True)
    for (lo, hi), v in zip(dash.whiskers.x, dash.bars.y, strict=True):
        assert lo <= v <= hi
    assert "_" not in " ".join(dash.bars.x) and "mu_star" not in dash.caption.value + dash.numbers.value


def test_a_bar_shows_the_cmocs_its_context_drives_with_references(dash, theory):
    dash.bars.selected = [0]
    key = dash.ranked[0]
    assert dash.context.value == key
    from iockit.contexts import context_records

    cmocs = next(r["cmocs"] for r in context_records() if r["key"] == key)
    for cid in cmocs:
        assert cid in dash.cmocs.value and theory.cmocs[cid].cites() in dash.cmocs.value
    dash.context.value = dash.ranked[2]                    # the accessible list selects the bar too
    assert list(dash.bars.selected) == [2]
    dash.context.value = ""
    assert dash.bars.selected is None and "Choose a bar" in dash.cmocs.value


def test_scenario_outcome_and_measure_redraw(dash):
    dash.scenario.value = "mandated_buddying"
    assert "Organisational size" in dash.held.value       # set for each partner by the preset: held
    dash.measure.value = "sobol"
    assert "total-effect index ST" in dash.caption.value and "ST: share" in dash.x_axis.label
    dash.outcome.value = "synergy_active"
    assert dash.ranked
    dash.measure.value = "live"
    assert "Compute a quick screening here" in dash.caption.value and dash.ranked == []
    dash.scenario.value, dash.measure.value, dash.outcome.value = "defaults", "morris", "dissolved"


def test_a_quick_screening_is_computed_here_with_progress(dash, monkeypatch):
    import iockit.widgets.sensitivity as mod

    monkeypatch.setattr(mod, "LIVE_SAMPLES", 2)
    monkeypatch.setattr(mod, "LIVE_RUNS", 3)
    dash.outcome.value = "trust"
    dash.compute_live()
    assert dash.measure.value == "live" and dash.ranked
    assert dash.progress.value == dash.progress.max > 1 and "Done" in dash.status.value
    assert not dash.compute.disabled
    dash.measure.value, dash.outcome.value = "morris", "dissolved"
