"""Dashboard 1: the trust-building loop. Context sliders drive an ensemble of collaborations; the
time series and the loop diagram animate month by month; dissolution is marked and explained."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from bqplot import Axis, Figure, LinearScale, Lines

from ..sim.explain import cite
from ..sim.model import FAITH_THRESHOLD, TRUST_THRESHOLD
from ..teach.dashboards import dashboard_words
from ._base import PALETTE, esc, legend, safe
from ._palette import BLACK, BLUE, GHOST_OPACITY, GHOST_STYLE, GREY, MUTED, VERMILLION
from .dashboard import PanelDashboard
from .graph import Edge, GraphView, Node

SERIES = ("trust", "risk_tolerance", "aim_ambition", "achievement", "faith", "confidence")
LOOP_NODES = [Node("trust", "Trust"), Node("risk_tolerance", "Risk tolerance"),
              Node("aim_ambition", "Ambition of agreed aims"), Node("achievement", "Aims achieved"),
              Node("conflict", "Conflict"), Node("faith", "Faith"), Node("confidence", "Confidence")]


def loop_edges() -> list[Edge]:
    """The loop diagram's links and the CMOCs each stands for (iockit/teach/dashboards.yaml)."""
    return [Edge(e.source, e.target, e.sign, e.label) for e in dashboard_words("loop").edges]


class TrustLoopDashboard(PanelDashboard):
    key = "loop"
    title = "The trust-building loop"

    def build_charts(self) -> None:
        x = np.arange(1, self.months + 1)
        self.xs, self.ys = LinearScale(min=1, max=self.months), LinearScale(min=0, max=1)
        scales = {"x": self.xs, "y": self.ys}
        colors = [PALETTE.get(s, MUTED) for s in SERIES]
        # the months still to play: thin dashes in the series' colour (the played months are drawn over them)
        self.ghost = Lines(x=x, y=np.zeros((len(SERIES), self.months)), scales=scales, colors=colors,
                           opacities=[GHOST_OPACITY] * len(SERIES), stroke_width=1.5, line_style=GHOST_STYLE)
        self.lines = Lines(x=x, y=np.zeros((len(SERIES), self.months)), scales=scales,
                           colors=colors, stroke_width=3.5)
        self.thresholds = Lines(x=[1, self.months], y=[TRUST_THRESHOLD] * 2,
                                scales=scales, colors=[BLACK], line_style="dashed", stroke_width=2.5)
        self.dissolved = Lines(x=x, y=np.zeros(self.months), scales=scales,
                               colors=[GREY], line_style="dotted", stroke_width=3)
        self.cursor = Lines(x=[1, 1], y=[0, 1], scales=scales, colors=[MUTED])
        self.figure = Figure(marks=[self.ghost, self.lines, self.thresholds, self.dissolved, self.cursor],
                             axes=[Axis(scale=self.xs, label="Month"),
                                   Axis(scale=self.ys, orientation="vertical", label="Level (0 to 1)")],
                             title="The trust-building loop, month by month (mean of 200 collaborations)",
                             animation_duration=0,
                             layout=W.Layout(height="420px", width="100%"), fig_margin=dict(top=60, bottom=50, left=60, right=20))
        self.diagram = GraphView(LOOP_NODES, loop_edges(), layout="circle", on_select=self._explain_node,
                                 chooser_label="Explain")

    def column(self) -> list[W.Widget]:
        key = legend(SERIES, extra=[(BLACK, "dashed", "Critical threshold of trust and faith"),
                                    (GREY, "dotted", "Share of collaborations dissolved"),
                                    (MUTED, "dashed", "Thin dashes: the months still to play")])
        return [self.player, key, self.figure, self.status, self.diagram]

    def set_months(self, months: int) -> None:
        with self.figure.hold_sync():
            self.xs.max = months
            self.thresholds.x = [1, months]

    def series(self, name: str) -> np.ndarray:
        assert self.result is not None
        return self.result.mean(name)

    def show_month(self) -> None:
        r = self.result
        assert r is not None
        m = self.player.month.value
        with self.figure.hold_sync():
            y = np.array([self.series(s) for s in SERIES])
            self.ghost.x, self.ghost.y = np.arange(1, self.months + 1), y
            x = np.arange(1, m + 1)
            # reveal the months played so far (sliced, not NaN-masked: bqplot places labels at the last point)
            self.lines.x, self.lines.y = x, y[:, :m]
            self.dissolved.x, self.dissolved.y = x, self.series("dissolved")[:m]
            self.cursor.x = [m, m]
        values = {n.id: float(self.series(n.id)[m - 1]) for n in LOOP_NODES}
        rules = [{"selector": "node", "style": {"label": "data(label)", "font-size": 14, "text-valign": "bottom",
                                               "text-wrap": "wrap", "text-max-width": 110, "border-width": 2,
                                               "border-color": "#333"}},
                 {"selector": "edge", "style": {"curve-style": "bezier", "target-arrow-shape": "triangle",
                                               "label": "data(label)", "font-size": 11, "width": 3,
                                               "line-color": BLUE, "target-arrow-color": BLUE}},
                 {"selector": "edge[sign < 0]", "style": {"line-style": "dashed", "line-color": VERMILLION,
                                                         "target-arrow-color": VERMILLION}}]
        for key, v in values.items():
            size = 22 + 50 * v
            rules.append({"selector": f"#{key}", "style": {"width": size, "height": size,
                                                            "background-color": PALETTE.get(key, MUTED),
                                                            "background-opacity": 0.35 + 0.65 * v}})
        self.diagram.style(rules)
        self.status.value = self._status_text(m)

    def _status_text(self, m: int) -> str:
        r = self.result
        assert r is not None
        gone = (r.dissolved_month >= 0) & (r.dissolved_month < m)
        share = gone.mean()
        trust, faith = self.series("trust")[m - 1], self.series("faith")[m - 1]
        parts = [f"<b>Month {m}</b>: mean trust {trust:.2f}, faith {faith:.2f}, risk tolerance "
                 f"{self.series('risk_tolerance')[m - 1]:.2f}, ambition of aims {self.series('aim_ambition')[m - 1]:.2f}."]
        if share > 0:
            by_trust = (r.dissolved_reason[gone] == "trust").mean()
            parts.append(f'<div class="alert"><b>{share:.0%} of the collaborations have dissolved</b> by month {m}: '
                         f"{by_trust:.0%} broken in a conflict after failed tasks, trust (or confidence in its "
                         f"place) near or below its critical threshold ({TRUST_THRESHOLD}); {1 - by_trust:.0%} "
                         f"because one organisation's faith fell below its threshold ({FAITH_THRESHOLD}). "
                         f"({esc(cite(*self.words.cites['dissolved']))})</div>")
        return '<div class="status">' + " ".join(parts) + "</div>"

    @safe()
    def _explain_node(self, kind: str, ident: str) -> None:
        key = ident if kind == "node" else ident.split("__")[0]
        text, ids = self.words.nodes.get(key, ("", ()))
        self.status.value = f'<div class="status"><b>{esc(key.replace("_", " ").capitalize())}</b>: {esc(text)} ({esc(cite(*ids))})</div>'
