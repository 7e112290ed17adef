"""Shared pieces of the dashboards: palette, the context panel (built from the context registry,
not by hand), the month player, safe callbacks, and the frame every dashboard sits in."""

from __future__ import annotations

import contextlib
import functools
import html
import logging
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as W
import traitlets

from .. import contexts as ctxreg
from ..errors import IockitError
from ..sim.inputs import Inputs
from ._palette import MUTED, SERIES_COLOURS

log = logging.getLogger("iockit.widgets")

# Okabe-Ito hues, darkened where needed to show against white (see _palette)
PALETTE = SERIES_COLOURS
LABELS = {"trust": "Trust", "risk_tolerance": "Risk tolerance", "achievement": "Aims achieved (this month)",
          "faith": "Faith", "confidence": "Confidence", "conflict": "Conflict", "performance": "Performance",
          "dissolved": "Share dissolved", "synergy": "Synergy", "inertia": "Inertia", "progress": "Perception of progress",
          "aim_ambition": "Ambition of agreed aims", "functioning": "Partnership functioning"}
BASE_CSS = """<style>
.iockit { font-size: 16px; line-height: 1.45; max-width: 1280px; }
.iockit h2 { font-size: 1.6em; margin: 0.2em 0; } .iockit h3 { font-size: 1.2em; margin: 0.6em 0 0.2em; }
.iockit .intro { background: #f4f8fb; border-left: 5px solid #0072B2; padding: 0.5em 0.9em; }
.iockit .try { background: #fff8e6; border-left: 5px solid #E69F00; padding: 0.4em 0.9em; }
.iockit .status { border-left: 5px solid #009E73; padding: 0.3em 0.9em; min-height: 1.5em; }
.iockit .alert { border-left: 5px solid #D55E00; background: #fdf0ea; padding: 0.3em 0.9em; }
.iockit .cite { color: #444; font-size: 0.9em; }
.iockit-panel > * { flex-shrink: 0; }
.iockit table.cmocs { border-collapse: collapse; width: 100%; font-size: 0.95em; }
.iockit table.cmocs td, .iockit table.cmocs th { border-bottom: 1px solid #ddd; padding: 4px 6px; vertical-align: top; text-align: left; }
.iockit .widget-label, .iockit .widget-readout { font-size: 15px; }
.iockit .feedback { padding: 0.4em 0.9em; margin: 0.3em 0; border-left: 6px solid #999; }
.iockit .feedback.right { border-left-color: #009E73; background: #eef8f3; }
.iockit .feedback.wrong { border-left-color: #D55E00; background: #fdf0ea; }
.iockit .feedback.noted { border-left-color: #0072B2; background: #f4f8fb; }
.iockit blockquote.excerpt { border-left: 4px solid #bbb; margin: 0.5em 0; padding: 0.3em 0.9em; font-style: italic; }
.iockit .lesson-step h4 { font-size: 1.15em; margin: 0.4em 0; }
.iockit li.new { color: #a34400; }
.iockit a.iockit-download, .iockit a.iockit-share-link { font-weight: bold; }
.iockit-exercise .jupyter-button, .iockit-lesson .jupyter-button, .iockit-share .jupyter-button,
.iockit-workshop .jupyter-button, .iockit-questionnaire .jupyter-button { width: auto; min-width: 148px; align-self: flex-start; }
.iockit-exercise .widget-checkbox { height: auto; margin: 2px 0; }
.iockit-exercise .widget-checkbox label, .iockit-exercise .widget-checkbox span, .iockit-questionnaire .widget-radio-box label {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; line-height: 1.3; height: auto; }
.iockit-large, .iockit-large .iockit, .iockit-large .widget-label, .iockit-large .widget-readout,
.iockit-large .widget-button, .iockit-large .widget-toggle-button, .iockit-large select, .iockit-large input,
.iockit-large textarea { font-size: 24px !important; line-height: 1.4; }
.iockit-large .jupyter-button, .iockit-large .widget-upload, .iockit-large .widget-toggle-button {
  height: auto; width: auto; min-width: 0; font-size: 22px !important; padding: 4px 14px; }
.iockit-large select, .iockit-large input { height: auto; }
</style>"""


def esc(text: object) -> str:
    return html.escape(str(text))


def safe(status: W.HTML | None = None) -> Callable:
    """Decorate a widget callback: a problem becomes a plain message on screen, never a traceback."""
    def deco(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except IockitError as exc:
                if status is not None:
                    status.value = f'<div class="alert">That setting cannot be used: {esc(exc.message)}</div>'
            except Exception:
                log.exception("dashboard callback failed")
                if status is not None:
                    status.value = ('<div class="alert">Something went wrong updating this view. Try the '
                                    "control again; if it keeps happening, reload the page (your lecturer or "
                                    "facilitator can help).</div>")
            return None
        return wrapper
    return deco


def legend(series: tuple[str, ...] | list[str], extra: list[tuple[str, str, str]] | None = None) -> W.HTML:
    """A legend in words beside colour swatches (readable when projected, independent of colour)."""
    items = [(PALETTE.get(s, MUTED), "solid", LABELS.get(s, s)) for s in series] + list(extra or [])
    spans = "".join(f'<span style="margin-right:1.2em;white-space:nowrap"><span style="display:inline-block;width:28px;'
                    f'border-top:4px {style} {color};vertical-align:middle;margin-right:6px"></span>{esc(label)}</span>'
                    for color, style, label in items)
    return W.HTML(f'<div class="iockit" style="font-size:15px">{spans}</div>')


def frame(title: str, intro: str, try_this: list[str], sources: str, body: W.Widget) -> W.VBox:
    """Title, plain-language introduction, what to try, the dashboard, and where it comes from."""
    tries = "".join(f"<li>{t}</li>" for t in try_this)
    head = W.HTML(f'{BASE_CSS}<div class="iockit"><h2>{esc(title)}</h2><div class="intro">{intro}</div>'
                  f'<div class="try"><b>Try this:</b><ul>{tries}</ul></div></div>')
    foot = W.HTML(f'<div class="iockit cite">Source: Aunger et al., <i>Why do some inter-organisational '
                  f'collaborations in healthcare work when others do not? A realist review</i>, Systematic Reviews '
                  f'2021;10:82. Numbers in square brackets are the review\'s reference numbers. {sources}</div>')
    box = W.VBox([head, body, foot], layout=W.Layout(width="100%", max_width="1280px"))
    box.add_class("iockit")
    return box


class ContextPanel(W.VBox):
    """Sliders for every context, grouped and labelled in plain words, with reset and presets.

    Built from the registry (``datasets/contexts.csv``). The panel holds what it shows as one checked
    :class:`~iockit.sim.inputs.Inputs` in its ``value`` trait (in bqplot's style: a data trait, observed);
    ``inputs(months=..., runs=..., seed=...)`` gives it with a dashboard's run settings, and
    ``on_change(fn)`` calls ``fn()`` once per change (a preset counts as one change).
    """

    value = traitlets.Instance(Inputs)

    def __init__(self, title: str = "Contexts", presets: bool = True, width: str = "100%") -> None:
        self._quiet = False
        self.controls: dict[str, W.ValueWidget] = {}
        self.note = W.HTML("")
        rows = [W.HTML(f"<h3>{esc(title)}</h3>"), self._top_row(presets), self.note, *self._groups()]
        super().__init__(rows, layout=W.Layout(width=width, max_height="640px", overflow_y="auto",
                                               border="1px solid #ddd", padding="4px"))
        self.add_class("iockit-panel")  # its rows keep their height while the panel scrolls (BASE_CSS)
        self.value = Inputs(self.contexts())

    # --- building ------------------------------------------------------------------------------
    def _top_row(self, presets: bool) -> W.HBox:
        """The preset menu (if ``presets``) and the reset button."""
        self.reset_button = W.Button(description="Reset to defaults", icon="undo",
                                     tooltip="Put every context back to a typical collaboration")
        self.reset_button.on_click(lambda _: self.reset())
        top: list[W.Widget] = [self.reset_button]
        if presets:
            from ..sim.scenarios import load_scenario, names

            self._scenarios = {n: load_scenario(n) for n in names()}
            self.preset = W.Dropdown(options=[("Choose a preset scenario...", "")] +
                                     [(s.title, n) for n, s in self._scenarios.items()],
                                     value="", description="Preset", layout=W.Layout(width="auto"))
            self.preset.observe(self._apply_preset, names="value")
            top.insert(0, self.preset)
        # flex 0 0 auto: in the scrolling panel a flexible row collapsed to 0 px (issue 13 item 2)
        return W.HBox(top, layout=W.Layout(flex_flow="row wrap", flex="0 0 auto"))

    def _groups(self) -> list[W.Widget]:
        """Each group's heading followed by a control for each of its contexts (kept in ``controls``)."""
        rows: list[W.Widget] = []
        reg = ctxreg.registry()
        for group in ctxreg.groups():
            rows.append(W.HTML(f"<b>{esc(group.label)}</b>"))
            for key, ctx in reg.items():
                if ctx.group == group.key:
                    self.controls[key] = self._control(key, ctx)
                    rows.append(self.controls[key])
        return rows

    def _control(self, key: str, ctx: ctxreg.Context) -> W.ValueWidget:
        """A menu for a context that is a choice, a slider for a number; both say what the context means."""
        style = {"description_width": "215px"}
        if ctx.kind == "choice":
            from ..theory import load_theory

            eps = load_theory().entry_points
            w = W.Dropdown(options=[(eps[k].entry_point, k) for k in ctxreg.choices(key)], value=ctx.default,
                           description=ctx.label, style=style, layout=W.Layout(width="96%"))
        else:
            w = W.FloatSlider(value=ctx.default, min=ctx.minimum, max=ctx.maximum, step=0.05,
                              description=ctx.label, continuous_update=False, readout_format=".2f",
                              style=style, layout=W.Layout(width="96%"))
        w.tooltip = f"{ctx.description} 0 = {ctx.low_label}; 1 = {ctx.high_label}." if ctx.kind == "number" else ctx.description
        w.observe(functools.partial(self._changed, key), names="value")
        return w

    # --- reading and writing -----------------------------------------------------------------
    @property
    def partners(self) -> int:
        return self.value.partners

    @property
    def partner_overrides(self) -> list[dict[str, float]]:
        return [dict(o) for o in self.value.partner_overrides]

    def contexts(self) -> dict[str, float | str]:
        return {k: w.value for k, w in self.controls.items()}

    def inputs(self, **run: Any) -> Inputs:
        """What the panel shows, with a dashboard's run settings (``months``, ``runs``, ``seed``)."""
        return self.value.replace(**run) if run else self.value

    def set(self, values: dict[str, float | str], partners: int = 2,
            partner_overrides: list[dict[str, float]] | None = None) -> None:
        """Set several contexts at once (checked first: nothing moves if any is wrong); listeners hear
        one change."""
        new = Inputs({**self.contexts(), **values}, partners, tuple(partner_overrides or ()))
        with self._holding():
            for key in (ctxreg.check_key(str(k)).key for k in values):
                self.controls[key].value = new.contexts[key]
        self.value = new

    def show_preset(self, name: str | None) -> None:
        """Show ``name`` in the preset menu (or none) without applying it."""
        if hasattr(self, "preset"):
            with self._holding():
                self.preset.value = name if name in dict(self.preset.options).values() else ""

    def reset(self) -> None:
        self.show_preset(None)
        self.note.value = ""
        self.set(ctxreg.defaults())

    def on_change(self, fn: Callable[[], None]) -> None:
        self.observe(lambda _change: fn(), names="value")

    # --- internals -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _holding(self) -> Iterator[None]:
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def _changed(self, key: str, change: dict) -> None:
        if self._quiet:
            return
        overrides = self.value.partner_overrides
        if overrides and self.value.theory.contexts[key].partner_level:
            # the learner's slider now speaks for every partner
            overrides = tuple({k: v for k, v in o.items() if k != key} for o in overrides)
        self.value = self.value.replace(contexts={key: change["new"]}, partner_overrides=overrides)

    def _apply_preset(self, change: dict) -> None:
        if self._quiet or not change["new"]:
            return
        sc = self._scenarios[change["new"]]
        values = {**ctxreg.defaults(), **sc.contexts}
        self.note.value = (f'<div class="cite">{esc(sc.description)} Sources: '
                           f'{esc(", ".join(str(s) for s in sc.sources))}. '
                           f'{sc.partners} partner organisations.</div>')
        self.set(values, sc.partners, [dict(p) for p in sc.partner_overrides])


class MonthPlayer(W.HBox):
    """Play / pause / step / reset over months, with a speed control; keyboard operable."""

    def __init__(self, months: int) -> None:
        self.play = W.Play(value=1, min=1, max=months, step=1, interval=400, description="Play",
                           tooltip="Play or pause the months")
        self.month = W.IntSlider(value=1, min=1, max=months, description="Month", continuous_update=True,
                                 layout=W.Layout(width="340px"))
        W.jslink((self.play, "value"), (self.month, "value"))
        self.step = W.Button(description="Step", icon="step-forward", tooltip="Next month",
                             layout=W.Layout(width="90px"))
        self.step.on_click(lambda _: setattr(self.month, "value", min(self.month.value + 1, self.month.max)))
        self.back = W.Button(description="Start", icon="fast-backward", tooltip="Back to month 1",
                             layout=W.Layout(width="90px"))
        self.back.on_click(lambda _: setattr(self.month, "value", 1))
        self.speed = W.SelectionSlider(options=[("slow", 900), ("medium", 400), ("fast", 150)], value=400,
                                       description="Speed", layout=W.Layout(width="250px"))
        self.speed.observe(lambda ch: setattr(self.play, "interval", ch["new"]), names="value")
        super().__init__([self.play, self.month, self.step, self.back, self.speed],
                         layout=W.Layout(flex_flow="row wrap", align_items="center"))
        self.add_class("iockit-player")  # the page template's "Skip to the month player" link goes here

    def go_to(self, month: int) -> None:
        """Show ``month`` (the Play widget drives the slider in the browser, so set both)."""
        self.play.value = month
        self.month.value = month

    def set_months(self, months: int) -> None:
        self.month.max = months
        self.play.max = months
        self.month.value = min(self.month.value, months)
