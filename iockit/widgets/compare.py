"""Dashboard 5: why does it work in context A but not in context B? Two configurations side by
side, both runs overlaid, the difference, and explain's account of one run of each."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from bqplot import Axis, Figure, LinearScale, Lines

from ..sim.explain import narrate
from ..sim.inputs import Inputs
from ..sim.model import Result, run
from ._base import ContextPanel, esc, legend
from ._palette import BLUE, GREEN, GREY, MUTED, ORANGE
from .dashboard import PanelDashboard

SHOWN = ("trust", "faith", "synergy", "dissolved")
COLOURS = {"trust": BLUE, "faith": ORANGE, "synergy": GREEN, "dissolved": GREY}


class CompareDashboard(PanelDashboard):
    key = "compare"
    title = "Compare two contexts"
    played = False

    def __init__(self, seed: int = 0) -> None:
        self._told: dict[str, tuple[Inputs, str]] = {}
        super().__init__(seed, share=False)

    @property
    def ra(self) -> Result:
        """The runs of context A."""
        return self.results[0]

    @property
    def rb(self) -> Result:
        """The runs of context B."""
        return self.results[1]

    def make_panels(self) -> tuple[ContextPanel, ...]:
        self.a = ContextPanel("Context A", width="100%")
        self.b = ContextPanel("Context B", width="100%")
        for p in (self.a, self.b):
            p.layout.max_height = "360px"
        return self.a, self.b

    def build_charts(self) -> None:
        x = np.arange(1, self.months + 1)
        self.xs, ys = LinearScale(min=1, max=self.months), LinearScale(min=0, max=1)
        cols = [COLOURS[s] for s in SHOWN]
        self.lines_a = Lines(x=x, y=np.zeros((4, self.months)), colors=cols, stroke_width=3, scales={"x": self.xs, "y": ys})
        self.lines_b = Lines(x=x, y=np.zeros((4, self.months)), colors=cols, stroke_width=3, line_style="dashed",
                             scales={"x": self.xs, "y": ys})
        self.overlay = self.figure = Figure(
            marks=[self.lines_a, self.lines_b],
            axes=[Axis(scale=self.xs, label="Month"), Axis(scale=ys, orientation="vertical", label="Mean of 200 runs")],
            title="A (solid) and B (dashed)", layout=W.Layout(height="340px", width="100%"), animation_duration=0)
        ds = LinearScale(min=-1, max=1)
        self.diff = Lines(x=x, y=np.zeros((4, self.months)), colors=cols, stroke_width=3, scales={"x": self.xs, "y": ds})
        self.zero = Lines(x=[1, self.months], y=[0, 0], colors=[MUTED], scales={"x": self.xs, "y": ds})
        self.diff_fig = Figure(marks=[self.zero, self.diff], axes=[Axis(scale=self.xs, label="Month"),
                                                                   Axis(scale=ds, orientation="vertical", label="B minus A")],
                               title="The difference B - A", layout=W.Layout(height="260px", width="100%"), animation_duration=0)
        self.story_a, self.story_b = W.HTML(), W.HTML()

    def body(self) -> W.Widget:
        """The two panels side by side, the charts under them, then one collaboration of each told."""
        panels = W.HBox([W.Box([self.a], layout=W.Layout(width="50%")), W.Box([self.b], layout=W.Layout(width="50%"))])
        names = {"trust": "Trust", "faith": "Faith", "synergy": "Synergy", "dissolved": "Share dissolved"}
        key = legend([], extra=[(COLOURS[s], "solid", names[s]) for s in SHOWN] + [("#333", "dashed", "dashed: context B")])
        # overflow hidden: a figure 100% wide plus its 2 px margins made each column scroll by 4 px, a region
        # a keyboard could not reach (axe: scrollable-region-focusable); the margins are all it clips
        charts = W.HBox([W.VBox([key, self.overlay], layout=W.Layout(width="55%", overflow="hidden")),
                         W.VBox([self.diff_fig, self.status], layout=W.Layout(width="45%", overflow="hidden"))])
        stories = W.HBox([W.Box([self.story_a], layout=W.Layout(width="50%")), W.Box([self.story_b], layout=W.Layout(width="50%"))])
        return W.VBox([panels, charts, W.HTML("<h3>One collaboration in each context, told month by month</h3>"), stories])

    def set_months(self, months: int) -> None:
        x = np.arange(1, months + 1)
        with self.overlay.hold_sync(), self.diff_fig.hold_sync():
            self.xs.max = months
            self.lines_a.x = self.lines_b.x = self.diff.x = x
            self.zero.x = [1, months]

    def redraw(self) -> None:
        ya = np.array([self.ra.mean(s) for s in SHOWN])
        yb = np.array([self.rb.mean(s) for s in SHOWN])
        with self.overlay.hold_sync():
            self.lines_a.y, self.lines_b.y = ya, yb
        self.diff.y = yb - ya
        self.story_a.value = self._story("A", self.a)
        self.story_b.value = self._story("B", self.b)
        self.status.value = (f'<div class="status">By month {self.months}: dissolved A {ya[3][-1]:.0%}, B {yb[3][-1]:.0%}; '
                             f"mean trust A {ya[0].mean():.2f}, B {yb[0].mean():.2f}.</div>")

    def difference(self, name: str) -> np.ndarray:
        return self.rb.mean(name) - self.ra.mean(name)

    def _story(self, label: str, panel: ContextPanel) -> str:
        """One collaboration of ``panel`` told month by month (kept while the panel's inputs stay the same)."""
        inputs = self.inputs(panel, runs=1)
        told = self._told.get(label)
        if told is None or told[0] != inputs:
            items = "".join(f"<li>{esc(line.text)}</li>" for line in narrate(run(inputs)))
            told = self._told[label] = (inputs, f'<div class="iockit"><b>Context {label}</b><ul style="font-size:14px">'
                                                f"{items}</ul></div>")
        return told[1]
