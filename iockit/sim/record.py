"""Recording a simulation month by month: the full record (every variable of every run, what
:class:`~iockit.sim.model.Result` holds) or only the ensemble means (what ``iockit simulate`` prints,
in memory that grows with runs + months rather than runs x months).

Both apply the same rule to a dissolved collaboration: it stays dissolved, its state freezes, it
achieves nothing more, and it counts as neither synergy nor inertia.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import equations as eq

STATE = ("trust", "faith", "confidence", "conflict", "progress", "risk_tolerance", "task_complexity",
         "communication", "synergy", "inertia", "achievement", "performance", "dissolved")
AUXILIARY = ("aim_ambition", "functioning", "domination", "trust_requirement", "coordination",
             "cultural_integration", "intra_conflict", "authenticity_effective", "formalisation_effective",
             "shared_vision_effective")
PHASES = ("contemplating", "connecting", "planning", "implementation", "maintenance", "dissolution")
EVENTS = ("successes", "failures", "conflict_events")
SURVIVOR = ("synergy", "inertia")  # also reported over the runs still active: synergy_active, inertia_active
FROZEN = ("trust", "faith", "confidence", "conflict", "progress", "risk_tolerance", "communication",
          "aim_ambition", "functioning", "performance")
DISSOLVED_PHASE = PHASES.index("dissolution")


def month_values(m: int, d: eq.Derived, st: eq.State, mo: dict, variables: tuple[str, ...]) -> dict[str, Any]:
    """This month's value of each variable, per run (or one number for a run-wide constant)."""
    values = {"trust": st.trust_mean, "faith": st.faith.mean(axis=1), "confidence": st.confidence,
              "conflict": st.conflict, "progress": st.progress, "task_complexity": d.complexity,
              "performance": st.perf_sum / (m + 1), "dissolved": (~st.alive).astype(float),
              "domination": d.domination_mean, "trust_requirement": d.trust_requirement,
              "coordination": d.coordination, "cultural_integration": d.cultural_integration,
              "intra_conflict": d.intra_mean, "authenticity_effective": float(d.authenticity_eff.mean()),
              "formalisation_effective": d.formalisation_eff, "shared_vision_effective": st.shared_vision_eff}
    values.update({v: mo[v] for v in ("risk_tolerance", "communication", "synergy", "inertia", "achievement",
                                      "aim_ambition", "functioning")})
    return {v: values[v] for v in variables}


def freeze(values: dict[str, Any], m: int, st: eq.State, previous: dict[str, np.ndarray] | None) -> None:
    """Apply the dissolved runs' rule to this month's ``values`` (in place): no synergy, inertia or
    achievement; a run dissolved in an earlier month keeps last month's ``previous`` values."""
    dead = ~st.alive
    if not dead.any():
        return
    for v in ("synergy", "inertia", "achievement"):
        if v in values:
            values[v] = np.where(dead, 0.0, values[v])
    if m > 0 and previous is not None:
        frozen = dead & (st.dissolved_month < m)
        for v in FROZEN:
            if v in values:
                values[v] = np.where(frozen, previous[v], values[v])


class FullRecord:
    """Every state and auxiliary variable, the phase and the events of every run, by month."""

    def __init__(self, runs: int, months: int) -> None:
        self.out = {v: np.zeros((runs, months)) for v in STATE + AUXILIARY}
        self.phase = np.zeros((runs, months), dtype=np.int8)
        self.events = {k: np.zeros((runs, months), dtype=np.int16) for k in EVENTS}

    def record(self, m: int, ph: int, d: eq.Derived, st: eq.State, mo: dict) -> None:
        values = month_values(m, d, st, mo, STATE + AUXILIARY)
        freeze(values, m, st, {v: self.out[v][:, m - 1] for v in FROZEN} if m > 0 else None)
        for v, arr in values.items():
            self.out[v][:, m] = arr
        dead = ~st.alive
        self.phase[:, m] = np.where(dead, DISSOLVED_PHASE, ph)
        frozen = dead & (st.dissolved_month < m)
        for k in EVENTS:
            self.events[k][:, m] = np.where(frozen, 0, mo[k])


@dataclass
class Means:
    """Ensemble means by month: every state variable, the share active, the survivors' synergy and
    inertia (NaN in a month where no run is active), and the share of runs in each phase."""

    months: int
    means: dict[str, np.ndarray]
    active: np.ndarray
    survivors: dict[str, np.ndarray]
    fractions: dict[str, np.ndarray]

    def rows(self) -> list[dict[str, Any]]:
        """One row per month, as ``iockit simulate`` prints it."""
        out = []
        for m in range(self.months):
            row: dict[str, Any] = {"month": m + 1}
            row.update({v: round(float(self.means[v][m]), 4) for v in STATE})
            row["active"] = round(float(self.active[m]), 4)
            row.update({f"{k}_active": None if np.isnan(a[m]) else round(float(a[m]), 4)
                        for k, a in self.survivors.items()})
            row["phase"] = max(PHASES, key=lambda p: self.fractions[p][m])
            row.update({f"phase_{p}": round(float(self.fractions[p][m]), 4) for p in PHASES})
            out.append(row)
        return out


class MeansRecord:
    """Only the ensemble means, accumulated month by month (memory: runs + months, not runs x months)."""

    def __init__(self, runs: int, months: int) -> None:
        self.runs, self.months = runs, months
        self.sums = {v: np.zeros(months) for v in STATE}
        self.alive_sums = {v: np.zeros(months) for v in SURVIVOR}
        self.alive_count = np.zeros(months)
        self.phase_counts = np.zeros((len(PHASES), months))
        self.previous: dict[str, np.ndarray] | None = None

    def record(self, m: int, ph: int, d: eq.Derived, st: eq.State, mo: dict) -> None:
        values = month_values(m, d, st, mo, (*STATE, "aim_ambition", "functioning"))
        freeze(values, m, st, self.previous)
        self.previous = {v: np.broadcast_to(values[v], (self.runs,)).copy() for v in FROZEN}
        for v in STATE:
            self.sums[v][m] = np.broadcast_to(values[v], (self.runs,)).sum()
        alive = st.alive
        self.alive_count[m] = alive.sum()
        for v in SURVIVOR:
            self.alive_sums[v][m] = values[v][alive].sum()
        dead = int((~alive).sum())
        self.phase_counts[DISSOLVED_PHASE, m] = dead
        self.phase_counts[ph, m] += self.runs - dead

    def result(self) -> Means:
        with np.errstate(invalid="ignore", divide="ignore"):
            survivors = {v: np.where(self.alive_count > 0, self.alive_sums[v] / np.maximum(self.alive_count, 1), np.nan)
                         for v in SURVIVOR}
        means = {v: s / self.runs for v, s in self.sums.items()}
        return Means(self.months, means, 1.0 - means["dissolved"], survivors,
                     {p: self.phase_counts[i] / self.runs for i, p in enumerate(PHASES)})
