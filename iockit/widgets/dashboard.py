"""The scaffold of the dashboards that have a context panel (the trust-building loop, inertia versus
synergy, compare two contexts), written once.

A :class:`PanelDashboard` holds the status line, its context panel(s), the month player, the wiring
(a change on a panel re-runs the simulation, a change of month redraws that month), the optional
share-and-save panel, the run settings (``months``, ``runs``, ``seed``, ``set_run``) and the frame with
its words from ``iockit/teach/dashboards.yaml``. A subclass names itself and fills small hooks:

- ``build_charts()``: make its marks and figures (and set ``figure``, the chart the share panel saves);
- ``column()``: what stands right of the panel (or ``body()`` for a layout of its own);
- ``redraw()``: draw a new result (by default: ``show_month()``);
- ``show_month()``: draw the month the player shows;
- ``set_months(months)``: fit the axes to a new number of months.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..sim.inputs import Inputs, check_count
from ..sim.model import Result, run
from ..teach.dashboards import dashboard_words
from ._base import ContextPanel, MonthPlayer, frame, safe


class PanelDashboard(W.VBox):
    """A dashboard driven by context panel(s): every change re-runs ``runs`` collaborations."""

    months = 36
    runs = 200
    key = ""             #: its words in dashboards.yaml, and the name of its saved files
    title = ""           #: the heading of the frame
    played = True        #: a month player above the charts
    end_first = False    #: the player starts at (and returns to, after a new run) the last month

    def __init__(self, seed: int = 0, share: bool = True) -> None:
        self.seed = seed
        self.words = dashboard_words(self.key)
        self.status = W.HTML()
        self.result: Result | None = None
        self.results: tuple[Result, ...] = ()
        self._ran: tuple[tuple[Inputs, Result], ...] = ()   # the last update's (inputs, runs) of each panel
        self.panels = self.make_panels()
        self.panel = self.panels[0]
        self.player = self._make_player()
        self.build_charts()
        self._wire()
        body = self.body()
        self.sharing = None
        if share:
            from .share import SharePanel

            self.sharing = SharePanel(self)
            body = W.VBox([body, self.sharing])
        words = self.words
        super().__init__([frame(self.title, words.intro, list(words.tries), words.sources, body)])
        self.update()
        if self.sharing is not None:
            self.sharing.start()

    # --- hooks ------------------------------------------------------------------------------------
    def make_panels(self) -> tuple[ContextPanel, ...]:
        """The context panel(s); the first is ``panel``, the one a share link describes."""
        return (ContextPanel(),)

    def build_charts(self) -> None:
        raise NotImplementedError

    def column(self) -> list[W.Widget]:
        """The widgets right of the panel, top to bottom."""
        raise NotImplementedError

    def body(self) -> W.Widget:
        """The panel on the left (a third of the width), ``column()`` on the right."""
        return W.HBox([W.Box([self.panel], layout=W.Layout(width="36%")),
                       W.VBox(self.column(), layout=W.Layout(width="64%"))], layout=W.Layout(width="100%"))

    def redraw(self) -> None:
        """Draw a new result (after every run)."""
        self.show_month()

    def show_month(self) -> None:
        """Draw the month the player shows."""

    def set_months(self, months: int) -> None:
        """Fit the axes to ``months`` months."""

    # --- running ----------------------------------------------------------------------------------
    def inputs(self, panel: ContextPanel | None = None, **run_settings: Any) -> Inputs:
        """What ``panel`` (by default ``panel``) shows, with this dashboard's months, runs and seed."""
        settings = {"months": self.months, "runs": self.runs, "seed": self.seed, **run_settings}
        return (self.panel if panel is None else panel).inputs(**settings)

    def update(self) -> None:
        """Run what every panel shows, then redraw. A panel whose inputs did not change since the last run
        keeps its runs (a run is fully determined by its inputs, seed included): on a dashboard with two
        panels, moving one slider runs one ensemble, not two."""
        before = self._ran

        def runs(inputs: Inputs) -> Result:
            return next((r for i, r in before if i == inputs), None) or run(inputs)

        self._ran = tuple((i, runs(i)) for i in (self.inputs(p) for p in self.panels))
        self.results = tuple(r for _, r in self._ran)
        self.result = self.results[0]
        self.redraw()

    def set_run(self, months: int, seed: int, rerun: bool = True) -> None:
        """Simulate ``months`` months with ``seed`` (from the share panel or a shared link)."""
        self.months, self.seed = check_count("months", months), int(seed)
        self.set_months(self.months)
        if self.player is not None:
            self.player.set_months(self.months)
        if rerun:
            self.update()
            if self.player is not None and self.end_first:
                self.player.go_to(self.months)

    # --- internals --------------------------------------------------------------------------------
    def _make_player(self) -> MonthPlayer | None:
        if not self.played:
            return None
        player = MonthPlayer(self.months)
        if self.end_first:
            player.go_to(self.months)
        return player

    def _wire(self) -> None:
        """A change on a panel re-runs; a change of month redraws; a problem is a message on screen."""
        for p in self.panels:
            p.on_change(safe(self.status)(self.update))
        if self.player is not None:
            self.player.month.observe(safe(self.status)(lambda _: self.show_month()), names="value")
