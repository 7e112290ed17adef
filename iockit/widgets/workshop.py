"""Workshop mode: a facilitator's screen in large type for projection. Each group designs a
collaboration on its own laptop (or on Binder), saves it with "Download scenario (YAML)", and sends
the file to the facilitator, who loads all of them here and compares the groups on one screen.
No server of ours is involved: files travel by e-mail, chat or a shared drive."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from bqplot import Axis, Figure, LinearScale, Lines

from .. import contexts as ctxreg
from ..errors import IockitError
from ..sim import run
from ..sim.model import Result
from ..sim.scenarios import Scenario, load_scenario, names, parse_scenario_bytes
from ..teach.dashboards import dashboard_words
from ._base import BASE_CSS, esc, safe
from ._palette import GROUP_COLOURS
from .share import download_link, large_requested, rows_csv

MAX_GROUPS = 8
RUNS = 200
HEAD = (f'{BASE_CSS}<div class="iockit"><h2>Workshop: pool the groups\' collaborations</h2>'
        '<div class="intro">Each group designs a collaboration in the <b>trust-building loop</b> or '
        "<b>inertia versus synergy</b> dashboard, saves it with <b>Download scenario (YAML)</b> and sends "
        "the file to the facilitator. Load all the files here (several at once) to compare the groups on "
        "one screen: every file is checked, and a file that cannot be used is named with the reason, "
        "without changing the others. Each group is run as 200 simulated collaborations.</div>"
        '<div class="try"><b>Ask the room:</b><ul><li>Which contexts separate the groups whose '
        "collaborations dissolved from those that reached synergy?</li><li>Which CMOCs explain it? "
        "(Open the CMOC browser to find them.)</li><li>What would the group that dissolved change first, "
        "and why?</li></ul></div></div>")


@dataclass
class Group:
    name: str
    scenario: Scenario
    result: Result

    def summary(self) -> dict[str, object]:
        r = self.result
        end = r.months - 1
        defaults = ctxreg.defaults()
        changed = [f"{ctxreg.registry()[k].label} {v:g}" if isinstance(v, float) else f"{ctxreg.registry()[k].label}: {v}"
                   for k, v in self.scenario.contexts.items() if v != defaults.get(k)]
        return {"group": self.name, "title": self.scenario.title, "partners": self.scenario.partners,
                "months": r.months, "contexts set": "; ".join(changed) or "(all defaults)",
                "trust at end": round(float(r.mean("trust")[end]), 2),
                "faith at end": round(float(r.mean("faith")[end]), 2),
                "in synergy at end": round(float(r.in_synergy()[:, end].mean()), 2),
                "dissolved by end": round(float((r.dissolved_month >= 0).mean()), 2)}


class WorkshopDashboard(W.VBox):
    key = "workshop"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.groups: list[Group] = []
        self.status = W.HTML()
        controls, manage = self._loading_row(), self._managing_row()
        self.figure = self._chart()
        self.key_html = W.HTML()
        self.table = W.HTML()
        self.export = W.HTML()
        foot = W.HTML('<div class="iockit cite">Simulated with iockit\'s model of the review\'s CMOCs (docs/model.md). '
                      f"Source: Aunger et al., Systematic Reviews 2021;10:82. {dashboard_words('workshop').sources}</div>")
        super().__init__([W.HTML(HEAD), controls, self.status, self.key_html, self.figure, self.table, manage,
                          self.export, foot], layout=W.Layout(width="100%", max_width="1400px"))
        self.add_class("iockit")
        self.add_class("iockit-workshop")
        self._set_large(True)
        if large_requested() is False:
            self.large.value = False
        self.redraw()

    # --- building ---------------------------------------------------------------------------------------
    def _loading_row(self) -> W.HBox:
        """Load the groups' files, add a preset for comparison, large type on or off."""
        self.upload = W.FileUpload(accept=".yaml,.yml", multiple=True, description="Load the groups' files",
                                   tooltip="Choose the scenario files (YAML) the groups sent you, several at once",
                                   layout=W.Layout(width="auto"))  # without a tooltip the button's title reads "null"
        self.upload.observe(safe(self.status)(self._uploaded), names="value")
        self.preset = W.Dropdown(options=[("Add a preset for comparison...", "")] + [(load_scenario(n).title, n) for n in names()],
                                 value="", layout=W.Layout(width="420px"))
        self.preset.observe(safe(self.status)(self._preset), names="value")
        self.large = W.ToggleButton(value=True, description="Large type for projection", icon="text-height",
                                    tooltip="Make all text large enough to read from the back of a room")
        self.large.observe(lambda ch: self._set_large(ch["new"]), names="value")
        return W.HBox([self.upload, self.preset, self.large], layout=W.Layout(flex_flow="row wrap"))

    def _managing_row(self) -> W.HBox:
        """Remove one group, or clear them all."""
        self.remove_choice = W.Dropdown(options=[("(group)", "")], value="", layout=W.Layout(width="260px"))
        self.remove_button = W.Button(description="Remove group", icon="trash")
        self.remove_button.on_click(safe(self.status)(lambda _: self.remove(self.remove_choice.value)))
        self.clear_button = W.Button(description="Clear all", icon="undo")
        self.clear_button.on_click(safe(self.status)(lambda _: self.clear()))
        return W.HBox([self.remove_choice, self.remove_button, self.clear_button], layout=W.Layout(flex_flow="row wrap"))

    def _chart(self) -> Figure:
        """Mean trust in each group's collaborations, month by month (one line per group)."""
        self.xs, self.ys = LinearScale(min=1, max=36), LinearScale(min=0, max=1)
        self.lines = Lines(x=np.arange(1, 37), y=np.zeros((1, 36)), scales={"x": self.xs, "y": self.ys},
                           colors=["#ffffff"], stroke_width=4)
        return Figure(marks=[self.lines], axes=[Axis(scale=self.xs, label="Month"),
                                                Axis(scale=self.ys, orientation="vertical", label="Mean trust")],
                      title="Mean trust in each group's collaborations", animation_duration=0,
                      layout=W.Layout(height="420px", width="100%"))

    def _set_large(self, on: bool) -> None:
        (self.add_class if on else self.remove_class)("iockit-large")

    # --- groups ---------------------------------------------------------------------------------------
    def add(self, name: str, scenario: Scenario) -> Group:
        if len(self.groups) >= MAX_GROUPS:
            raise IockitError("groups", len(self.groups) + 1, f"at most {MAX_GROUPS} groups on one screen (remove one first)")
        taken = {g.name for g in self.groups}
        base, n = name, 2
        while name in taken:
            name, n = f"{base} ({n})", n + 1
        group = Group(name, scenario, run(scenario.inputs(runs=RUNS, seed=self.seed)))
        self.groups.append(group)
        return group

    def load_files(self, files: list[tuple[str, bytes]]) -> list[str]:
        """Add a group per file; return one message per file that could not be used (nothing else changes)."""
        problems = []
        for name, content in files:
            try:
                sc = parse_scenario_bytes(content, name)
                self.add(name.rsplit(".", 1)[0], sc)
            except IockitError as exc:
                problems.append(f"{name}: {exc.message}")
        self.redraw()
        loaded = len(files) - len(problems)
        msg = f"Loaded {loaded} of {len(files)} file(s)."
        if problems:
            self.status.value = ('<div class="iockit alert">' + esc(msg) + " Not loaded (nothing changed for them):<ul>"
                                 + "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul></div>")
        else:
            self.status.value = f'<div class="iockit status">{esc(msg)}</div>'
        return problems

    def remove(self, name: str) -> None:
        self.groups = [g for g in self.groups if g.name != name]
        self.redraw()

    def clear(self) -> None:
        self.groups = []
        self.status.value = ""
        self.redraw()

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        pairs = [(getattr(f, "name", None) or f["name"], bytes(getattr(f, "content", None) or f["content"])) for f in files]
        self.upload.value = ()
        self.load_files(pairs)

    def _preset(self, change: dict) -> None:
        if change["new"]:
            sc = load_scenario(change["new"])
            self.add(sc.title, sc)
            self.preset.value = ""
            self.redraw()

    # --- the pooled view ----------------------------------------------------------------------------
    def rows(self) -> list[dict[str, object]]:
        return [g.summary() for g in self.groups]

    def redraw(self) -> None:
        self.remove_choice.options = [("(group)", "")] + [(g.name, g.name) for g in self.groups]
        months = max([g.result.months for g in self.groups] or [36])
        with self.figure.hold_sync():
            self.xs.max = months
            if self.groups:
                y = np.full((len(self.groups), months), np.nan)
                for i, g in enumerate(self.groups):
                    y[i, : g.result.months] = g.result.mean("trust")
                # groups of different lengths: hold the last value (bqplot cannot draw NaN gaps cleanly)
                for row in y:
                    last = np.where(~np.isnan(row))[0][-1]
                    row[last + 1:] = row[last]
                self.lines.x, self.lines.y = np.arange(1, months + 1), y
                self.lines.colors = GROUP_COLOURS[: len(self.groups)]
                self.lines.opacities = [1.0] * len(self.groups)
            else:
                self.lines.x, self.lines.y = np.arange(1, months + 1), np.zeros((1, months))
                self.lines.opacities = [0.0]
        spans = "".join(f'<span style="margin-right:1.2em;white-space:nowrap"><span style="display:inline-block;'
                        f"width:28px;border-top:5px solid {GROUP_COLOURS[i]};vertical-align:middle;margin-right:6px\">"
                        f"</span>{esc(g.name)}</span>" for i, g in enumerate(self.groups))
        self.key_html.value = f'<div class="iockit">{spans or "No groups loaded yet."}</div>'
        rows = self.rows()
        if rows:
            head = "".join(f"<th>{esc(k)}</th>" for k in rows[0])
            body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in r.values()) + "</tr>" for r in rows)
            self.table.value = f'<div class="iockit"><table class="cmocs pooled"><tr>{head}</tr>{body}</table></div>'
            self.export.value = '<div class="iockit">' + download_link(rows_csv(rows), "iockit-workshop-groups.csv",
                                                                       "text/csv", "Download this table (CSV)") + "</div>"
        else:
            self.table.value = self.export.value = ""
