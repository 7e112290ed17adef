"""Dashboards built without a browser: they react to their controls and never raise at the user."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from iockit import contexts as ctxreg
from iockit.widgets import DASHBOARDS, build, show
from iockit.widgets._base import ContextPanel
from iockit.widgets.graph import Edge, GraphView, Node


@pytest.mark.parametrize("name", list(DASHBOARDS))
def test_every_dashboard_builds(name):
    assert build(name) is not None


def test_context_panel_is_built_from_the_registry():
    panel = ContextPanel()
    assert set(panel.controls) == set(ctxreg.registry())
    assert panel.contexts() == ctxreg.defaults()
    heard = []
    panel.on_change(lambda: heard.append(1))
    panel.set({"shared_vision": 0.9, "pace": 0.2})
    assert heard == [1]                              # a batch of changes is one change
    panel.preset.value = "mandated_buddying"
    assert panel.controls["mandated"].value == 1.0 and panel.partners == 2 and panel.partner_overrides
    panel.reset()
    assert panel.contexts() == ctxreg.defaults() and panel.partner_overrides == []


def test_loop_dashboard_reacts_and_announces_dissolution():
    d = build("loop")
    calm = d.series("trust").copy()
    d.panel.controls["ambition"].value = 0.95
    assert d.series("trust").mean() < calm.mean()
    d.player.go_to(36)
    assert "have dissolved" in d.status.value and "T3-26 [47, 69]" in d.status.value


def test_callbacks_show_messages_not_tracebacks():
    import ipywidgets as W

    from iockit.errors import IockitError
    from iockit.widgets._base import safe

    status = W.HTML()

    @safe(status)
    def bad_value():
        raise IockitError("pace", 7, "a number from 0 (slow) to 1 (brisk)")

    @safe(status)
    def bug():
        raise ZeroDivisionError

    assert bad_value() is None
    assert "That setting cannot be used: pace: 7 is not allowed" in status.value
    assert bug() is None
    assert "Something went wrong" in status.value and "Traceback" not in status.value


def test_show_degrades_to_a_message(monkeypatch):
    import iockit.widgets as widgets

    def boom(*a, **k):
        raise RuntimeError("front-end library missing")
    monkeypatch.setattr(widgets, "build", boom)
    w = show("loop")
    assert "could not start here" in w.value and "Traceback" not in w.value


def test_graph_view_falls_back_to_a_list(monkeypatch):
    monkeypatch.setenv("IOCKIT_NO_CYTOSCAPE", "1")
    picked = []
    g = GraphView([Node("a", "Alpha"), Node("b", "Beta")], [Edge("a", "b", -1, "T3-01")],
                  on_select=lambda kind, ident: picked.append((kind, ident)))
    assert g.fallback and "Alpha &rarr; Beta (-)" in g.widget.value
    g.chooser.value = "b"
    assert picked == [("node", "b")]
    g.style([{"selector": "node", "style": {}}])  # harmless without a diagram


def test_web_dashboard_queries():
    d = build("web")
    d.graph.click("edge", "ambition__progress")
    assert "contested" in d.details.value and "T3-07" in d.details.value
    idx = next(i for i, lp in enumerate(d.loops) if lp.name == "The trust-building loop")
    d.loop_choice.value = idx
    assert "reinforcing" in d.details.value


def test_compare_and_confidence_and_lifecycle():
    c = build("compare")
    c.b.set({"resource_equality": 0.05, "conflict_resolution": 0.05})
    assert c.difference("dissolved")[-1] > 0
    assert "Context B" in c.story_b.value
    f = build("confidence")
    assert np.all(np.diff(f.carried_by_confidence()) >= 0)
    life = build("lifecycle")
    life.entry.value = "policy_directive"
    assert life.starting_contexts()["mandated"] == "1"


def test_compare_reruns_only_the_panel_that_changed(monkeypatch):
    """Issue 13 (slider to chart): moving a slider of context A runs one ensemble, A's; B keeps runs that are
    exactly what a fresh run of B gives (a run is fully determined by its inputs, seed included)."""
    from iockit.sim.model import run
    from iockit.widgets import dashboard

    d = build("compare")
    calls = []
    monkeypatch.setattr(dashboard, "run", lambda inputs: calls.append(inputs) or run(inputs))
    d.a.controls["ambition"].value = 0.8
    assert calls == [d.inputs(d.a)]
    assert np.array_equal(d.rb.mean("trust"), run(d.inputs(d.b)).mean("trust"))
    assert np.array_equal(d.ra.mean("trust"), run(d.inputs(d.a)).mean("trust"))
