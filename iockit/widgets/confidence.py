"""Dashboard 6: from trust to confidence (Fig. 4). Along the spectrum from voluntary buddying to a
mandated merger, what carries partnership functioning shifts from trust to confidence in
formalised arrangements."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from bqplot import Axis, Figure, LinearScale, Lines

from ..sim import Inputs, run
from ..sim.explain import cite
from ..sim.model import carrier_weight
from ..teach.dashboards import dashboard_words
from ._base import esc, frame, legend, safe
from ._palette import BLACK, BLUE, PURPLE, VERMILLION

POINTS = np.linspace(0, 1, 11)


class ConfidenceDashboard(W.VBox):
    runs = 150
    months = 24

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.status = W.HTML()
        self.formalisation = W.FloatSlider(value=0.5, min=0, max=1, step=0.05, description="Formal agreements",
                                           continuous_update=False, style={"description_width": "220px"}, layout=W.Layout(width="460px"))
        self.trust = W.FloatSlider(value=0.5, min=0, max=1, step=0.05, description="Successful past collaboration",
                                   continuous_update=False, style={"description_width": "220px"}, layout=W.Layout(width="520px"))
        self.position = W.FloatSlider(value=0.0, min=0, max=1, step=0.1, description="Where on the spectrum",
                                      continuous_update=False, style={"description_width": "220px"}, layout=W.Layout(width="460px"))
        xs, ys = LinearScale(min=0, max=1), LinearScale(min=0, max=1)
        self.area = Lines(x=POINTS, y=np.zeros((3, len(POINTS))), fill="between", fill_colors=[BLUE, PURPLE],
                          fill_opacities=[0.5, 0.5], colors=[BLUE, BLUE, PURPLE], scales={"x": xs, "y": ys})
        self.functioning = Lines(x=POINTS, y=np.zeros(len(POINTS)), colors=[BLACK], stroke_width=3, scales={"x": xs, "y": ys})
        self.marker = Lines(x=[0, 0], y=[0, 1], colors=[VERMILLION], stroke_width=3, scales={"x": xs, "y": ys})
        self.figure = Figure(marks=[self.area, self.functioning, self.marker],
                             axes=[Axis(scale=xs, label="Voluntary buddying (0)  ...  mandated, fully integrated merger (1)"),
                                   Axis(scale=ys, orientation="vertical", label="Carried by trust / by confidence")],
                             title="What carries partnership functioning along the spectrum", animation_duration=0,
                             layout=W.Layout(height="420px", width="100%"))
        for w in (self.formalisation, self.trust):
            w.observe(safe(self.status)(lambda _: self.update()), names="value")
        self.position.observe(safe(self.status)(lambda _: self.show_position()), names="value")
        body = W.VBox([self.position, self.formalisation, self.trust,
                       legend([], extra=[(BLUE, "solid", "carried by trust"), (PURPLE, "solid", "carried by confidence"),
                                         (BLACK, "solid", "partnership functioning")]),
                       self.figure, self.status])
        self.words = words = dashboard_words("confidence")
        super().__init__([frame("From trust to confidence", words.intro, list(words.tries), words.sources, body)])
        self.update()

    def update(self) -> None:
        trust_part, conf_part, func = [], [], []
        for s in POINTS:
            r = run(Inputs({"mandated": s, "integration": s, "formalisation": self.formalisation.value,
                            "prior_collaboration": self.trust.value}, months=self.months, runs=self.runs, seed=self.seed))
            w = carrier_weight(s, s)  # docs/model.md E13
            t, c = r.series["trust"].mean(), r.series["confidence"].mean()
            total = (1 - w) * t + w * c
            trust_part.append((1 - w) * t / total if total else 0.5)
            conf_part.append(w * c / total if total else 0.5)
            func.append(r.series["functioning"].mean())
        self._trust, self._conf, self._func = np.array(trust_part), np.array(conf_part), np.array(func)
        with self.figure.hold_sync():
            self.area.y = np.array([np.zeros(len(POINTS)), self._trust, np.ones(len(POINTS))])
            self.functioning.y = self._func
        self.show_position()

    def carried_by_confidence(self) -> np.ndarray:
        return self._conf

    def show_position(self) -> None:
        s = self.position.value
        i = round(s * (len(POINTS) - 1))
        self.marker.x = [s, s]
        self.status.value = (f'<div class="status">At position {s:.1f}, {self._trust[i]:.0%} of what carries functioning is '
                             f"trust and {self._conf[i]:.0%} confidence; functioning is {self._func[i]:.2f}. "
                             f"({esc(cite(*self.words.cites['status']))})</div>")
