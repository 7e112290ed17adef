"""Dashboard 2: inertia versus synergy. Partnership functioning against performance with the two
regions shaded; the trajectory animates; for the ensemble, the share of runs in synergy, in inertia
and dissolved over time, and the spread of trust."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from bqplot import Axis, Figure, LinearScale, Lines, Scatter

from ..sim.explain import cite
from ..sim.model import SYNERGY_LINE, in_synergy
from ._base import esc, legend
from ._palette import BLUE, GREY, ORANGE, SKY, VERMILLION
from .dashboard import PanelDashboard

THRESHOLD = SYNERGY_LINE  # functioning at which synergy = inertia (docs/model.md, E16)


class SynergyDashboard(PanelDashboard):
    key = "synergy"
    title = "Inertia versus synergy"
    end_first = True

    def build_charts(self) -> None:
        self.phase_plot = self.figure = self._phase_plot()
        self.ts, ys = LinearScale(min=1, max=self.months), LinearScale(min=0, max=1)
        self.shares, self.spread = self._share_chart(self.ts, ys), self._spread_chart(self.ts, ys)

    def _phase_plot(self) -> Figure:
        """Functioning against performance, the inertia and synergy regions shaded, the average's trail."""
        fx, fy = LinearScale(min=0, max=1), LinearScale(min=0, max=0.6)
        inertia_zone = Lines(x=[0, THRESHOLD, THRESHOLD, 0], y=[0, 0, 0.6, 0.6], fill="inside", fill_colors=[ORANGE],
                             fill_opacities=[0.18], colors=[ORANGE], opacities=[0], scales={"x": fx, "y": fy})
        synergy_zone = Lines(x=[THRESHOLD, 1, 1, THRESHOLD], y=[0, 0, 0.6, 0.6], fill="inside", fill_colors=[BLUE],
                             fill_opacities=[0.15], colors=[BLUE], opacities=[0], scales={"x": fx, "y": fy})
        self.path = Lines(x=[0.5], y=[0.0], scales={"x": fx, "y": fy}, colors=["#333333"], stroke_width=2)
        self.point = Scatter(x=[0.5], y=[0.0], scales={"x": fx, "y": fy}, colors=[VERMILLION], default_size=180)
        return Figure(
            marks=[inertia_zone, synergy_zone, self.path, self.point],
            axes=[Axis(scale=fx, label="Partnership functioning (trust, faith, communication, confidence)"),
                  Axis(scale=fy, orientation="vertical", label="Performance (cumulative)")],
            title="Functioning against performance: inertia (left) and synergy (right)",
            layout=W.Layout(height="380px", width="100%"), animation_duration=0)

    def _share_chart(self, ts: LinearScale, ys: LinearScale) -> Figure:
        """The share of runs in synergy, in inertia and dissolved, stacked, month by month."""
        self.stack = Lines(x=np.arange(1, self.months + 1), y=np.zeros((4, self.months)), fill="between",
                           fill_colors=[BLUE, ORANGE, GREY], fill_opacities=[0.55, 0.55, 0.55],
                           colors=[BLUE, BLUE, ORANGE, GREY], scales={"x": ts, "y": ys})
        return Figure(marks=[self.stack], axes=[Axis(scale=ts, label="Month"),
                                                Axis(scale=ys, orientation="vertical", label="Share of runs")],
                      title="Share of the 200 collaborations in synergy, in inertia, dissolved",
                      layout=W.Layout(height="300px", width="100%"), animation_duration=0)

    def _spread_chart(self, ts: LinearScale, ys: LinearScale) -> Figure:
        """Mean trust and the band of the middle 80% of runs."""
        x = np.arange(1, self.months + 1)
        self.band = Lines(x=x, y=np.zeros((2, self.months)), fill="between", fill_colors=[SKY],
                          fill_opacities=[0.35], colors=[SKY, SKY], scales={"x": ts, "y": ys})
        self.trust_mean = Lines(x=x, y=np.zeros(self.months), colors=[BLUE], stroke_width=3, scales={"x": ts, "y": ys})
        return Figure(marks=[self.band, self.trust_mean], axes=[Axis(scale=ts, label="Month"),
                                                                Axis(scale=ys, orientation="vertical", label="Trust")],
                      title="Trust: mean and the middle 80% of runs",
                      layout=W.Layout(height="260px", width="100%"), animation_duration=0)

    def column(self) -> list[W.Widget]:
        key = legend([], extra=[(BLUE, "solid", "In synergy"), (ORANGE, "solid", "In inertia"),
                                (GREY, "solid", "Dissolved")])
        return [self.player, self.phase_plot, self.status, key, self.shares, self.spread]

    def set_months(self, months: int) -> None:
        x = np.arange(1, months + 1)
        with self.shares.hold_sync(), self.spread.hold_sync():
            self.ts.max = months
            self.stack.x = self.band.x = self.trust_mean.x = x

    def redraw(self) -> None:
        r = self.result
        assert r is not None
        gone = r.series["dissolved"] > 0
        in_syn = r.in_synergy()
        self._shares = {"synergy": in_syn.mean(axis=0), "inertia": (~in_syn & ~gone).mean(axis=0),
                        "dissolved": gone.mean(axis=0)}
        s, i = self._shares["synergy"], self._shares["inertia"]
        trust = r.series["trust"]
        with self.shares.hold_sync():
            self.stack.y = np.array([np.zeros_like(s), s, s + i, np.ones_like(s)])
        with self.spread.hold_sync():
            self.band.y = np.array([np.percentile(trust, 10, axis=0), np.percentile(trust, 90, axis=0)])
            self.trust_mean.y = trust.mean(axis=0)
        self.show_month()

    def share(self, which: str) -> np.ndarray:
        return self._shares[which]

    def show_month(self) -> None:
        m = self.player.month.value
        r = self.result
        f, p = r.mean_active("functioning"), r.mean_active("performance")
        shown = ~np.isnan(f[:m])
        with self.phase_plot.hold_sync():
            self.path.x, self.path.y = f[:m][shown], p[:m][shown]
            self.point.x, self.point.y = (([f[m - 1]], [p[m - 1]]) if shown[-1] else ([], []))
        if not shown[-1]:
            average = "every collaboration has dissolved"
            ids: tuple[str, ...] = self.words.cites["dissolved"]
        else:
            where = "synergy" if in_synergy(f[m - 1]) else "inertia"  # functioning and synergy share the line
            ids = self.words.cites[where]
            average = f"the average surviving collaboration is in <b>{where}</b> (functioning {f[m - 1]:.2f})"
        self.status.value = (f'<div class="status"><b>Month {m}</b>: {average}. '
                             f"{self.share('synergy')[m - 1]:.0%} of runs are in synergy, "
                             f"{self.share('inertia')[m - 1]:.0%} in inertia, {self.share('dissolved')[m - 1]:.0%} dissolved. "
                             f"({esc(cite(*ids))})</div>")
