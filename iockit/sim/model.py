"""The collaboration simulator: a monthly, stochastic model whose every term is a CMOC of the review.

``simulate(contexts, months, runs, seed, partners)`` returns a :class:`Result` holding, for each
state variable, an array of shape (runs, months), plus the inputs that made it. The loop over months
is vectorised over runs (numpy). Equations and the CMOC ids each term encodes: ``docs/model.md``;
the term names used there (E1, E2, ...) are in the comments below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import equations as eq
from .equations import (  # noqa: F401  (re-exported: the model's public constants)
    FAITH_THRESHOLD,
    PHASE_EFFORT,
    PHASE_ENDS,
    SYNERGY_LINE,
    TASKS,
    TRUST_THRESHOLD,
    carrier_weight,
    in_synergy,
)
from .inputs import INITIAL, LIMITS, Inputs, check_count, check_initial  # noqa: F401  (re-exported)
from .record import AUXILIARY, EVENTS, PHASES, STATE, SURVIVOR, FullRecord, Means, MeansRecord  # noqa: F401


@dataclass
class Result:
    """What a simulation made, with the inputs that made it."""

    contexts: dict[str, float | str]
    partner_contexts: list[dict[str, float]]
    initial: dict[str, float]
    months: int
    runs: int
    seed: int
    series: dict[str, np.ndarray]          # variable -> (runs, months)
    phase: np.ndarray                      # (runs, months) index into PHASES
    events: dict[str, np.ndarray]          # successes, failures, conflict_events: (runs, months)
    dissolved_month: np.ndarray            # (runs,), -1 where the collaboration survived
    dissolved_reason: np.ndarray = field(default_factory=lambda: np.array([]))  # (runs,) "", "trust", "faith"
    inputs: Inputs | None = None           # the checked inputs that made it

    @property
    def partners(self) -> int:
        return len(self.partner_contexts)

    def mean(self, variable: str) -> np.ndarray:
        """Ensemble mean of a variable, by month."""
        return self.series[variable].mean(axis=0)

    def active(self) -> np.ndarray:
        """Share of runs not dissolved, by month."""
        return 1.0 - self.series["dissolved"].mean(axis=0)

    def mean_active(self, variable: str) -> np.ndarray:
        """Mean of a variable over the runs still active, by month; NaN in a month where none is."""
        alive = self.series["dissolved"] == 0
        count = alive.sum(axis=0)
        total = np.where(alive, self.series[variable], 0.0).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def in_synergy(self) -> np.ndarray:
        """(runs, months): active and at or above the synergy line (the one rule, E16)."""
        return in_synergy(self.series["synergy"]) & (self.series["dissolved"] == 0)

    def phase_fractions(self) -> dict[str, np.ndarray]:
        return {p: (self.phase == i).mean(axis=0) for i, p in enumerate(PHASES)}

    def means(self) -> Means:
        """The ensemble means by month (what :func:`summarise` computes without keeping every run)."""
        return Means(self.months, {v: self.mean(v) for v in STATE}, self.active(),
                     {v: self.mean_active(v) for v in SURVIVOR}, self.phase_fractions())

    def rows(self) -> list[dict[str, Any]]:
        """One row per month: ensemble means of every state variable, ``active`` (share not dissolved),
        ``synergy_active`` and ``inertia_active`` (means over the runs still active; None when none is),
        the modal phase and the fraction of runs in each phase (the CLI's ``simulate`` output)."""
        return self.means().rows()


def simulate(contexts: Mapping[str, object] | None = None, months: int = 36, runs: int = 200, seed: int = 0,
             partners: int = 2, partner_overrides: Sequence[Mapping[str, object]] | None = None,
             initial: Mapping[str, float] | None = None) -> Result:
    """Run ``runs`` collaborations of ``partners`` organisations for ``months`` months.

    ``contexts`` overrides the data package's defaults (``iockit contexts``); ``partner_overrides`` gives
    partner-level contexts per organisation (e.g. one large and one small); ``initial`` sets trust,
    faith, confidence or conflict at month 0 instead of deriving them from the contexts. The arguments
    are checked by building one :class:`~iockit.sim.inputs.Inputs`; :func:`run` takes one directly.
    """
    return run(Inputs(contexts or {}, partners, tuple(partner_overrides or ()), initial or {}, months, runs, seed))


def entry_trust_shift(entry_point: str) -> float:
    """E0: what Table 2's entry point does to initial trust, from the text (entry_points.csv)."""
    from ..theory import load_theory

    return eq.ENTRY_SHIFT.get(load_theory().entry_points[entry_point].effect_on_initial_trust, 0.0)


def run(inputs: Inputs) -> Result:
    """Simulate ``inputs``: the stages of docs/model.md in order (derive, month 0, then each month's
    step, dissolution and record), keeping every variable of every run."""
    rec = FullRecord(inputs.runs, inputs.months)
    st = _simulate(inputs, rec)
    return Result(dict(inputs.contexts), inputs.partner_contexts(), dict(inputs.initial), inputs.months,
                  inputs.runs, inputs.seed, rec.out, rec.phase, rec.events, st.dissolved_month,
                  np.asarray(st.reason, dtype=str), inputs)


def summarise(inputs: Inputs) -> Means:
    """Simulate ``inputs`` as :func:`run` does, keeping only the ensemble means by month: the same
    numbers as ``run(inputs).means()`` (up to rounding in the last digits), in memory that grows with
    runs + months rather than runs x months (what ``iockit simulate`` prints)."""
    rec = MeansRecord(inputs.runs, inputs.months)
    _simulate(inputs, rec)
    return rec.result()


def _simulate(inputs: Inputs, rec: FullRecord | MeansRecord) -> eq.State:
    c = dict(inputs.contexts)
    rng = np.random.default_rng(inputs.seed)
    g = {k: float(v) for k, v in c.items() if k != "entry_point"}
    d = eq.derive(g, inputs.partner_contexts(), inputs.theory.entry_points[str(c["entry_point"])].effect_on_initial_trust)
    st = eq.start(rng, g, d, dict(inputs.initial), inputs.runs)
    for m in range(inputs.months):
        ph = eq.phase_of(d, m)
        month = _step(rng, g, d, st, PHASE_EFFORT[ph])
        eq.dissolve(rng, d, st, m, month)
        rec.record(m, ph, d, st, month)
    return st


def _step(rng: np.random.Generator, g: dict[str, float], d: eq.Derived, st: eq.State, effort: float) -> dict:
    """One month (E13-E28), every run at once; returns the month's values for the record."""
    tm, fm = st.trust.mean(axis=1), st.faith.mean(axis=1)
    mo = eq.functioning(g, d, st, tm, fm)
    mo.update(eq.tasks(rng, g, d, st, tm, mo["synergy"], effort))
    mo["conflict_events"] = eq.conflict(rng, g, d, st, tm, mo)
    eq.trust(rng, g, d, st, mo, effort)
    eq.progress(g, d, st, tm, fm, effort, mo["achievement"])
    eq.faith_and_confidence(rng, d, st, tm, mo, effort)
    return mo
