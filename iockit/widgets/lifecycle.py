"""Dashboard 7: runs through the five lifecycle phases, and how each entry point (Table 2) sets the
starting contexts."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from bqplot import Axis, Figure, LinearScale, Lines

from .. import contexts as ctxreg
from ..sim import PHASES, Inputs, run
from ..teach.dashboards import dashboard_words
from ..theory import load_theory
from ._base import esc, frame, legend, safe
from ._palette import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY

PHASE_COLOURS = [ORANGE, SKY, GREEN, BLUE, PURPLE, GREY]


class LifecycleDashboard(W.VBox):
    months = 36
    runs = 200

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.theory = load_theory()
        self.status = W.HTML()
        eps = self.theory.entry_points
        self.entry = W.Dropdown(options=[(e.entry_point, k) for k, e in eps.items()], value="funding_pressure",
                                description="Entry point", style={"description_width": "120px"}, layout=W.Layout(width="520px"))
        self.pace = W.FloatSlider(value=0.5, min=0, max=1, step=0.05, description="Pace of development",
                                  continuous_update=False, style={"description_width": "160px"}, layout=W.Layout(width="460px"))
        self.info = W.HTML()
        x = np.arange(1, self.months + 1)
        xs, ys = LinearScale(min=1, max=self.months), LinearScale(min=0, max=1)
        self.stack = Lines(x=x, y=np.zeros((len(PHASES) + 1, self.months)), fill="between", fill_colors=PHASE_COLOURS,
                           fill_opacities=[0.7] * len(PHASES), colors=["#fff"] * (len(PHASES) + 1), scales={"x": xs, "y": ys})
        self.figure = Figure(marks=[self.stack], axes=[Axis(scale=xs, label="Month"),
                                                       Axis(scale=ys, orientation="vertical", label="Share of runs")],
                             title="Where the 200 collaborations are in their lifecycle", animation_duration=0,
                             layout=W.Layout(height="380px", width="100%"))
        phases = "".join(f"<li><b>{esc(p.phase)}</b>: {esc(p.description)} <span class='cite'>({esc(p.evidence)})</span></li>"
                         for p in self.theory.lifecycle)
        self.entry.observe(safe(self.status)(lambda _: self.update()), names="value")
        self.pace.observe(safe(self.status)(lambda _: self.update()), names="value")
        key = [(c, "solid", p.replace("_", " ")) for c, p in zip(PHASE_COLOURS, PHASES, strict=False)]
        body = W.VBox([self.entry, self.info, self.pace, legend([], extra=key), self.figure, self.status,
                       W.HTML(f'<div class="iockit"><h3>The five phases (lifecycle model [82])</h3><ol>{phases}</ol>'
                              "<p class='cite'>In the simulator the fifth phase splits into its two outcomes: maintenance or "
                              "dissolution.</p></div>")])
        words = dashboard_words("lifecycle")
        super().__init__([frame("Lifecycle and entry points", words.intro, list(words.tries), words.sources, body)])
        self.update()

    def starting_contexts(self) -> dict[str, object]:
        ep = self.theory.entry_points[self.entry.value]
        values: dict[str, object] = {"entry_point": ep.key, "pace": self.pace.value}
        values.update(dict(ctxreg.parse_assignment(a) for a in ep.starting_contexts))
        return values

    def update(self) -> None:
        ep = self.theory.entry_points[self.entry.value]
        start = self.starting_contexts()
        r = run(Inputs(start, months=self.months, runs=self.runs, seed=self.seed))
        fr = r.phase_fractions()
        cum = np.vstack([np.zeros(self.months)] + [np.sum([fr[p] for p in PHASES[: i + 1]], axis=0) for i in range(len(PHASES))])
        self.stack.y = cum
        sets = ", ".join(f"{k} = {v}" for k, v in start.items() if k not in ("entry_point", "pace")) or "no other context"
        effect = {"raised": "raises", "lowered": "lowers", "unspecified": "does not by itself set"}[ep.effect_on_initial_trust]
        self.info.value = (f'<div class="iockit status"><b>{esc(ep.entry_point)}</b>: {esc(ep.explanation)}. '
                           f"The text says this entry point {effect} initial trust"
                           f"{(': <i>' + esc(ep.trust_note.rstrip('.')) + '</i>') if ep.trust_note else ''}. It also sets: {esc(sets)}. "
                           f"<span class='cite'>Sources: {esc(ep.sources)}</span></div>")
        self.status.value = (f'<div class="status">After {self.months} months: {fr["maintenance"][-1]:.0%} in maintenance, '
                             f'{fr["dissolution"][-1]:.0%} dissolved; initial trust {r.mean("trust")[0]:.2f}.</div>')
