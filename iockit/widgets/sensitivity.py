"""Dashboard: which contexts matter most? A global sensitivity analysis of the simulator, one bar per
context (Morris' mu_star or Sobol's total-effect index) with its 95% confidence range, each context
linked to the CMOCs it drives and their reference numbers.

It reads the results computed in advance for the defaults and the presets
(``scripts/make_sensitivity.py``, shipped with the package) and can compute a small Morris screening
here, with a progress bar. Labels come from the data package; learners never see code keys."""

from __future__ import annotations

import importlib.util
from typing import Any

import ipywidgets as W
from bqplot import Axis, Bars, Figure, LinearScale, Lines, OrdinalScale

from ..contexts import context_records
from ..sim.inputs import Inputs
from ..sim.scenarios import load_scenario, names
from ..sim.sensitivity import SHIPPED_OUTCOMES, Plan, load_precomputed, precomputed_names, sensitivity
from ..teach.dashboards import dashboard_words
from ..theory import load_theory
from ._base import esc, frame, legend, safe
from ._palette import BLUE, VERMILLION

OUTCOME_LABELS = {"dissolved": "Share of collaborations dissolved", "trust": "Trust", "faith": "Faith",
                  "confidence": "Confidence", "conflict": "Conflict",
                  "synergy_active": "Synergy (of the collaborations still working)", "performance": "Performance"}
MEASURES = [("Screening (Morris)", "morris"), ("Share of variance (Sobol)", "sobol"),
            ("Quick screening computed here", "live")]
DEFAULTS_TITLE = "A typical collaboration (the defaults)"
LIVE_SAMPLES, LIVE_RUNS = 6, 50
BAR, PICKED, WHISKER = BLUE, VERMILLION, "#222222"


class SensitivityDashboard(W.VBox):
    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.theory = load_theory()
        self.drives = {r["key"]: list(r["cmocs"]) for r in context_records(self.theory)}
        self.shipped = {n: load_precomputed(n) for n in precomputed_names()}
        self.live: dict[tuple[str, str], dict[str, Any]] = {}
        self.ranked: list[str] = []
        self.status = W.HTML()
        self._build_controls()
        self._build_chart()
        self._build_live()
        body = W.VBox([W.HBox([self.scenario, self.outcome], layout=W.Layout(flex_flow="row wrap")), self.measure,
                       self.caption, legend([], extra=[(BAR, "solid", "the index (bar)"),
                                                       (WHISKER, "solid", "its 95% confidence range (whisker)")]),
                       self.figure, self.held, W.HBox([self.compute, self.progress], layout=W.Layout(flex_flow="row wrap")),
                       self.status, W.HTML("<h3>The contexts and the CMOCs they drive</h3>"), self.context, self.cmocs,
                       self.numbers])
        words = dashboard_words("sensitivity")
        super().__init__([frame("Which contexts matter most?", words.intro, list(words.tries), words.sources, body)])
        self.refresh()

    # --- building ----------------------------------------------------------------------------------------------
    def _build_controls(self) -> None:
        wide = {"description_width": "150px"}
        presets = [(load_scenario(n).title, n) for n in names()]
        self.scenario = W.Dropdown(options=[(DEFAULTS_TITLE, "defaults"), *presets], value="defaults",
                                   description="Scenario", style=wide, layout=W.Layout(width="520px"))
        self.outcome = W.Dropdown(options=[(OUTCOME_LABELS[o], o) for o in SHIPPED_OUTCOMES], value="dissolved",
                                  description="Outcome", style=wide, layout=W.Layout(width="520px"))
        self.measure = W.ToggleButtons(options=MEASURES, value="morris", description="Measure",
                                       style={**wide, "button_width": "auto"})
        self.context = W.Dropdown(options=[("(choose a context)", "")], value="", description="CMOCs of",
                                  style=wide, layout=W.Layout(width="520px"))
        self.caption, self.held, self.cmocs, self.numbers = W.HTML(), W.HTML(), W.HTML(), W.HTML()
        for w in (self.scenario, self.outcome, self.measure):
            w.observe(safe(self.status)(lambda _: self.refresh()), names="value")
        self.context.observe(safe(self.status)(lambda _: self.show_context()), names="value")

    def _build_chart(self) -> None:
        self.ys, self.xs = OrdinalScale(), LinearScale(min=0.0, max=1.0)  # the domain's last label is drawn at the top
        self.bars = Bars(x=[], y=[], orientation="horizontal", colors=[BAR], padding=0.25,
                         scales={"x": self.ys, "y": self.xs}, interactions={"click": "select"},
                         selected_style={"fill": PICKED}, unselected_style={"opacity": 0.85})
        self.whiskers = Lines(x=[[0.0, 0.0]], y=[["", ""]], colors=[WHISKER], stroke_width=2,
                              scales={"x": self.xs, "y": self.ys})
        self.x_axis = Axis(scale=self.xs, label="", grid_lines="dashed")
        self.figure = Figure(marks=[self.bars, self.whiskers], axes=[Axis(scale=self.ys, orientation="vertical",
                                                                          grid_lines="none"), self.x_axis],
                             fig_margin={"top": 10, "bottom": 50, "left": 250, "right": 30}, animation_duration=0,
                             layout=W.Layout(height="640px", width="100%"))
        self.bars.observe(safe(self.status)(self._picked), names="selected")

    def _build_live(self) -> None:
        self.compute = W.Button(description="Compute a quick screening here", icon="play",
                                tooltip="Screen this scenario and outcome now (about ten seconds)",
                                layout=W.Layout(width="auto"))
        self.compute.on_click(safe(self.status)(lambda _: self.compute_live()))
        self.progress = W.IntProgress(value=0, min=0, max=1, description="Progress", layout=W.Layout(width="360px"))
        if importlib.util.find_spec("SALib") is None:
            self.compute.disabled = True
            self.compute.tooltip = "Not available in this installation: the results shown were computed in advance"

    # --- reading -----------------------------------------------------------------------------------------------
    def current(self) -> dict[str, Any] | None:
        """The results shown: computed here, or computed in advance for this scenario and outcome."""
        if self.measure.value == "live":
            return self.live.get((self.scenario.value, self.outcome.value))
        return self.shipped.get(self.scenario.value, {}).get("results", {}).get(self.measure.value, {}) \
            .get(self.outcome.value)

    def label(self, key: str) -> str:
        return self.theory.contexts[key].label

    # --- drawing -----------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        rep = self.current()
        self.ranked = [r["context"] for r in rep["rows"] if r.get("other") is None] if rep else []
        index = ("mu_star" if rep["method"] == "morris" else "ST") if rep else "mu_star"
        rows = {r["context"]: r for r in rep["rows"]} if rep else {}
        values = [rows[k][index] or 0.0 for k in self.ranked]
        lo = [max(0.0, v - (rows[k][index + "_conf"] or 0.0)) for k, v in zip(self.ranked, values, strict=True)]
        hi = [v + (rows[k][index + "_conf"] or 0.0) for k, v in zip(self.ranked, values, strict=True)]
        labels = [self.label(k) for k in self.ranked]
        with self.figure.hold_sync():
            self.bars.selected = None
            self.ys.domain = labels[::-1]
            self.bars.x, self.bars.y = labels, values
            self.whiskers.x = [[a, b] for a, b in zip(lo, hi, strict=True)] or [[0.0, 0.0]]
            self.whiskers.y = [[t, t] for t in labels] or [["", ""]]
            self.xs.max = max([*hi, 0.05]) * 1.05
            self.x_axis.label = _axis_label(rep, OUTCOME_LABELS[self.outcome.value])
        self.caption.value = self._caption(rep)
        self.held.value = self._held(rep)
        self.numbers.value = self._numbers(rep, index)
        previous = self.context.value
        self.context.options = [("(choose a context)", "")] + [(t, k) for t, k in zip(labels, self.ranked, strict=True)]
        self.context.value = previous if previous in self.ranked else ""
        self.show_context()

    def _caption(self, rep: dict[str, Any] | None) -> str:
        outcome = OUTCOME_LABELS[self.outcome.value].lower()
        if rep is None:
            text = ("Press <b>Compute a quick screening here</b> to screen this scenario and outcome now."
                    if self.measure.value == "live" else "No results were computed in advance for this choice; "
                    "try <b>Quick screening computed here</b>.")
            return f'<div class="iockit try">{text}</div>'
        how = (f"from {rep['sets']:,} simulated settings of the contexts, each {rep['runs']} collaborations, "
               f"read at month {rep['month']}")
        if rep["method"] == "morris":
            what = (f"Each bar is <b>μ* (mu-star)</b>: how far the {esc(outcome)} moves, on average, when this one "
                    "context is moved across two thirds of its range, whatever the other contexts are. "
                    "<b>σ (sigma)</b> in the table below is large when that effect depends on the other contexts.")
        else:
            what = (f"Each bar is the <b>total-effect index ST</b>: the share of the variation in {esc(outcome)} "
                    "that involves this context, alone or together with others; <b>S1</b> in the table below is "
                    "the share it explains alone.")
        undefined = (f" In {rep['undefined']} settings no collaboration was still working at that month; they count "
                     "as no synergy." if rep.get("undefined") else "")
        if rep.get("constant"):
            what = f"The {esc(outcome)} came out the same in every setting: no context moves it at this month."
        return f'<div class="iockit intro">{what} Computed {how}.{undefined}</div>'

    def _held(self, rep: dict[str, Any] | None) -> str:
        if not rep:
            return ""
        held = ", ".join(self.label(k) for k in rep["held"])
        return f'<div class="iockit cite">Held at the scenario\'s values, not varied: {esc(held)}.</div>'

    def _numbers(self, rep: dict[str, Any] | None, index: str) -> str:
        if not rep:
            return ""
        cols = ["mu_star", "mu_star_conf", "sigma"] if rep["method"] == "morris" else ["ST", "ST_conf", "S1", "S1_conf"]
        names_ = {"mu_star": "μ*", "mu_star_conf": "± (95%)", "sigma": "σ", "ST": "ST", "ST_conf": "± (95%)",
                  "S1": "S1", "S1_conf": "± (95%)"}
        head = "".join(f"<th>{names_[c]}</th>" for c in cols)
        body = "".join(f"<tr><td>{i + 1}</td><td>{esc(self.label(r['context']))}</td>"
                       + "".join(f"<td>{_num(r[c])}</td>" for c in cols) + "</tr>"
                       for i, r in enumerate(x for x in rep["rows"] if x.get("other") is None))
        return (f'<details class="iockit"><summary>The numbers, as a table</summary><table class="cmocs">'
                f"<tr><th>rank</th><th>context</th>{head}</tr>{body}</table></details>")

    def show_context(self) -> None:
        key = self.context.value
        if not key:
            self.bars.selected = None
            self.cmocs.value = ('<div class="iockit cite">Choose a bar, or a context in the list above, to see the '
                                "CMOCs of the review that it drives.</div>")
            return
        if key in self.ranked and _picks(self.bars.selected) != [self.ranked.index(key)]:
            self.bars.selected = [self.ranked.index(key)]
        self.cmocs.value = self._cmoc_table(key)

    def _cmoc_table(self, key: str) -> str:
        ctx = self.theory.contexts[key]
        refs = f" [{', '.join(str(n) for n in ctx.references)}]" if ctx.references else ""
        rows = []
        for cid in self.drives.get(key, []):
            c = self.theory.cmocs[cid]
            rows.append(f"<tr><td><b>{esc(cid)}</b></td><td><b>Context:</b> {esc(c.context)}<br><b>Mechanism:</b> "
                        f"{esc(c.mechanism)}<br><b>Outcome:</b> {esc(c.outcome)}</td><td>{esc(c.cites())}</td></tr>")
        table = (f'<table class="cmocs"><tr><th>CMOC</th><th>Configuration</th><th>References</th></tr>{"".join(rows)}'
                 "</table>") if rows else "<p>The model encodes no CMOC that names this context.</p>"
        return (f'<div class="iockit"><p><b>{esc(ctx.label)}</b>: {esc(ctx.description)} (from {esc(ctx.low_label)} '
                f"to {esc(ctx.high_label)}){esc(refs)}</p>{table}</div>")

    def _picked(self, change: dict) -> None:
        picked = _picks(change["new"])
        if picked and picked[0] < len(self.ranked) and self.context.value != self.ranked[picked[0]]:
            self.context.value = self.ranked[picked[0]]

    # --- computing here ----------------------------------------------------------------------------------------
    def compute_live(self) -> None:
        """A small Morris screening of the chosen scenario and outcome, with the progress bar."""
        name, outcome = self.scenario.value, self.outcome.value
        base = Inputs() if name == "defaults" else load_scenario(name).inputs()
        self.compute.disabled = True
        self.status.value = '<div class="status">Computing a quick screening...</div>'
        try:
            rep = sensitivity(base, Plan("morris", samples=LIVE_SAMPLES, runs=LIVE_RUNS, seed=self.seed), outcome,
                              progress=self._progress)
        finally:
            self.compute.disabled = False
        self.live[(name, outcome)] = rep.as_dict()
        self.status.value = (f'<div class="status">Done: {LIVE_SAMPLES} paths through the contexts, '
                             f"{rep.sets} settings of {LIVE_RUNS} collaborations each.</div>")
        if self.measure.value == "live":
            self.refresh()
        else:
            self.measure.value = "live"

    def _progress(self, done: int, total: int) -> None:
        self.progress.max = max(total, 1)
        self.progress.value = done


def _axis_label(rep: dict[str, Any] | None, outcome: str) -> str:
    if not rep:
        return ""
    return f"μ*: mean effect on {outcome.lower()}" if rep["method"] == "morris" else \
        f"ST: share of the variation in {outcome.lower()}"


def _picks(selected: Any) -> list[int]:
    """bqplot's ``selected`` (None or an array of indices) as a list."""
    return [] if selected is None else [int(i) for i in selected]


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.3f}"
