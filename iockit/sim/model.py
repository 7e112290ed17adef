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

from .. import contexts as ctxreg
from ..errors import IockitError
from . import equations as eq
from .equations import (  # noqa: F401  (re-exported: the model's public constants)
    BELOW_MONTHS,
    FAITH_THRESHOLD,
    PHASE_EFFORT,
    PHASE_ENDS,
    SYNERGY_LINE,
    TASKS,
    TRUST_THRESHOLD,
    carrier_weight,
    in_synergy,
)

STATE = ("trust", "faith", "confidence", "conflict", "progress", "risk_tolerance", "task_complexity",
         "communication", "synergy", "inertia", "achievement", "performance", "dissolved")
AUXILIARY = ("aim_ambition", "functioning", "domination", "trust_requirement", "coordination",
             "cultural_integration", "intra_conflict", "authenticity_effective", "formalisation_effective",
             "shared_vision_effective")
PHASES = ("contemplating", "connecting", "planning", "implementation", "maintenance", "dissolution")
INITIAL = ("trust", "faith", "confidence", "conflict")  # states a learner may set at month 0

EVENTS = ("successes", "failures", "conflict_events")
SURVIVOR = ("synergy", "inertia")  # also reported over the runs still active: synergy_active, inertia_active
LIMITS = {"months": (1, 240), "runs": (1, 100_000), "partners": (2, 12)}


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

    def rows(self) -> list[dict[str, Any]]:
        """One row per month: ensemble means of every state variable, ``active`` (share not dissolved),
        ``synergy_active`` and ``inertia_active`` (means over the runs still active; None when none is),
        the modal phase and the fraction of runs in each phase (the CLI's ``simulate`` output)."""
        means = {v: self.mean(v) for v in STATE}
        means["active"] = self.active()
        survivors = {f"{v}_active": self.mean_active(v) for v in SURVIVOR}
        fractions = self.phase_fractions()
        out = []
        for m in range(self.months):
            row: dict[str, Any] = {"month": m + 1}
            row.update({v: round(float(means[v][m]), 4) for v in (*STATE, "active")})
            row.update({k: None if np.isnan(a[m]) else round(float(a[m]), 4) for k, a in survivors.items()})
            modal = max(PHASES, key=lambda p: fractions[p][m])
            row["phase"] = modal
            row.update({f"phase_{p}": round(float(fractions[p][m]), 4) for p in PHASES})
            out.append(row)
        return out


def check_count(name: str, value: object) -> int:
    """``months``, ``runs`` or ``partners``, checked against :data:`LIMITS`."""
    lo, hi = LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= int(value) <= hi:
        raise IockitError(name, value, f"a whole number from {lo} to {hi}")
    return int(value)


def check_initial(initial: object) -> dict[str, float]:
    """States set at month 0: a mapping of :data:`INITIAL` keys to numbers from 0 to 1."""
    if not isinstance(initial, Mapping):
        raise IockitError("initial", initial, "a mapping of " + ", ".join(INITIAL) + " to numbers from 0 to 1")
    out: dict[str, float] = {}
    for key, value in initial.items():
        if key not in INITIAL:
            raise IockitError("initial", key, "one of " + ", ".join(INITIAL))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise IockitError(f"initial.{key}", value, "a number from 0 to 1")
        out[key] = float(value)
    return out


def _partner_contexts(base: Mapping[str, float | str], partners: int,
                      overrides: Sequence[Mapping[str, object]] | None) -> list[dict[str, float]]:
    reg = ctxreg.registry()
    level = [k for k, c in reg.items() if c.partner_level]
    out = [{k: float(base[k]) for k in level} for _ in range(partners)]
    if overrides is None:
        return out
    if len(overrides) > partners:
        raise IockitError("partner_overrides", len(overrides), f"at most one override set per partner ({partners})")
    for i, over in enumerate(overrides):
        for key, value in over.items():
            ctx = ctxreg.check_key(str(key), f"partners[{i}]")
            if not ctx.partner_level:
                raise IockitError(f"partners[{i}].{ctx.key}", value,
                                  "a partner-level context: " + ", ".join(level))
            out[i][ctx.key] = float(ctx.check(value, f"partners[{i}].{ctx.key}"))
    return out


def simulate(contexts: Mapping[str, object] | None = None, months: int = 36, runs: int = 200, seed: int = 0,
             partners: int = 2, partner_overrides: Sequence[Mapping[str, object]] | None = None,
             initial: Mapping[str, float] | None = None) -> Result:
    """Run ``runs`` collaborations of ``partners`` organisations for ``months`` months.

    ``contexts`` overrides the registry defaults (``iockit contexts``); ``partner_overrides`` gives
    partner-level contexts per organisation (e.g. one large and one small); ``initial`` sets trust,
    faith, confidence or conflict at month 0 instead of deriving them from the contexts.
    """
    months, runs = check_count("months", months), check_count("runs", runs)
    partners = check_count("partners", partners)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise IockitError("seed", seed, "a whole number >= 0")
    c = ctxreg.resolve(contexts)
    pc = _partner_contexts(c, partners, partner_overrides)
    return _run(c, pc, check_initial(initial or {}), months, runs, int(seed))


def entry_trust_shift(entry_point: str) -> float:
    """E0: what Table 2's entry point does to initial trust, from the text (entry_points.csv)."""
    from ..theory import load_theory

    return eq.ENTRY_SHIFT.get(load_theory().entry_points[entry_point].effect_on_initial_trust, 0.0)


def _run(c: dict, pc: list[dict[str, float]], init: dict[str, float], months: int, runs: int, seed: int) -> Result:
    """The stages of docs/model.md in order: derive, month 0, then each month's step, dissolution and record."""
    from ..theory import load_theory

    rng = np.random.default_rng(seed)
    g = {k: float(v) for k, v in c.items() if k != "entry_point"}
    d = eq.derive(g, pc, load_theory().entry_points[str(c["entry_point"])].effect_on_initial_trust)
    st = eq.start(g, d, init, runs)
    rec = _Recorder(runs, months)
    for m in range(months):
        ph = eq.phase_of(d, m)
        month = _step(rng, g, d, st, PHASE_EFFORT[ph])
        eq.dissolve(st, m)
        rec.record(m, ph, d, st, month)
    return Result(dict(c), pc, init, months, runs, seed, rec.out, rec.phase, rec.events, st.dissolved_month,
                  np.asarray(st.reason, dtype=str))


def _step(rng: np.random.Generator, g: dict[str, float], d: eq.Derived, st: eq.State, effort: float) -> dict:
    """One month (E13-E28), every run at once; returns the month's values for the record."""
    tm, fm = st.trust.mean(axis=1), st.faith.mean(axis=1)
    mo = eq.functioning(g, d, st, tm, fm)
    mo.update(eq.tasks(rng, g, d, st, tm, mo["synergy"], effort))
    mo["conflict_events"] = eq.conflict(rng, g, d, st, tm, mo)
    eq.trust(rng, g, d, st, mo, effort)
    eq.progress(g, d, st, tm, fm, effort, mo["achievement"])
    eq.faith_and_confidence(rng, d, st, tm, mo["successes"], effort)
    return mo


class _Recorder:
    """The record of a run: every state and auxiliary variable, phase and events, by month. A dissolved
    collaboration stays dissolved: its state freezes, it achieves nothing more, and it counts as
    neither synergy nor inertia."""

    FROZEN = ("trust", "faith", "confidence", "conflict", "progress", "risk_tolerance", "communication",
              "aim_ambition", "functioning", "performance")

    def __init__(self, runs: int, months: int) -> None:
        self.out = {v: np.zeros((runs, months)) for v in STATE + AUXILIARY}
        self.phase = np.zeros((runs, months), dtype=np.int8)
        self.events = {k: np.zeros((runs, months), dtype=np.int16) for k in EVENTS}

    def record(self, m: int, ph: int, d: eq.Derived, st: eq.State, mo: dict) -> None:
        values = {"trust": st.trust_mean, "faith": st.faith.mean(axis=1), "confidence": st.confidence,
                  "conflict": st.conflict, "progress": st.progress, "task_complexity": d.complexity,
                  "performance": st.perf_sum / (m + 1), "dissolved": (~st.alive).astype(float),
                  "domination": d.domination_mean, "trust_requirement": d.trust_requirement,
                  "coordination": d.coordination, "cultural_integration": d.cultural_integration,
                  "intra_conflict": d.intra_mean, "authenticity_effective": float(d.authenticity_eff.mean()),
                  "formalisation_effective": d.formalisation_eff, "shared_vision_effective": st.shared_vision_eff}
        values.update({v: mo[v] for v in ("risk_tolerance", "communication", "synergy", "inertia", "achievement",
                                          "aim_ambition", "functioning")})
        for v, arr in values.items():
            self.out[v][:, m] = arr
        self.phase[:, m] = ph
        for k in EVENTS:
            self.events[k][:, m] = mo[k]
        dead = ~st.alive
        if dead.any():
            self._freeze(m, dead, st.dissolved_month)

    def _freeze(self, m: int, dead: np.ndarray, dissolved_month: np.ndarray) -> None:
        self.phase[dead, m] = PHASES.index("dissolution")
        for v in ("synergy", "inertia", "achievement"):
            self.out[v][dead, m] = 0.0
        if m > 0:
            frozen = dead & (dissolved_month < m)
            for v in self.FROZEN:
                self.out[v][frozen, m] = self.out[v][frozen, m - 1]
            for k in EVENTS:
                self.events[k][frozen, m] = 0
