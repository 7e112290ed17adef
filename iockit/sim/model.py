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

STATE = ("trust", "faith", "confidence", "conflict", "progress", "risk_tolerance", "task_complexity",
         "communication", "synergy", "inertia", "achievement", "performance", "dissolved")
AUXILIARY = ("aim_ambition", "functioning", "domination", "trust_requirement", "coordination",
             "cultural_integration", "intra_conflict", "authenticity_effective", "formalisation_effective",
             "shared_vision_effective")
PHASES = ("contemplating", "connecting", "planning", "implementation", "maintenance", "dissolution")
INITIAL = ("trust", "faith", "confidence", "conflict")  # states a learner may set at month 0

LIMITS = {"months": (1, 240), "runs": (1, 100_000), "partners": (2, 12)}
TRUST_THRESHOLD = 0.2   # critical threshold of trust (T3-26)
FAITH_THRESHOLD = 0.2   # critical threshold of faith (T3-33)
BELOW_MONTHS = 3        # months below a threshold before the collaboration dissolves
TASKS = 4               # tasks attempted per month once work has started
PHASE_ENDS = (2, 5, 9, 18)  # months at which contemplating, connecting, planning, implementation end (pace 0.5)
PHASE_EFFORT = (0.0, 0.4, 0.7, 1.0, 1.0)  # share of effort on the aims, by phase


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

    def phase_fractions(self) -> dict[str, np.ndarray]:
        return {p: (self.phase == i).mean(axis=0) for i, p in enumerate(PHASES)}

    def rows(self) -> list[dict[str, Any]]:
        """One row per month: ensemble means of every state variable, the modal phase and the
        fraction of runs in each phase (the CLI's ``simulate`` output)."""
        means = {v: self.mean(v) for v in STATE}
        fractions = self.phase_fractions()
        out = []
        for m in range(self.months):
            row: dict[str, Any] = {"month": m + 1}
            row.update({v: round(float(means[v][m]), 4) for v in STATE})
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


def carrier_weight(mandated: float, integration: float) -> float:
    """E13 (Fig. 4): the share of partnership functioning carried by confidence rather than trust."""
    return 0.35 * (mandated + integration)


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


def _clip(x):
    """Keep within 0..1 (np.minimum/np.maximum: several times cheaper per call than np.clip)."""
    return np.minimum(np.maximum(x, 0.0), 1.0)


def entry_trust_shift(entry_point: str) -> float:
    """E0: what Table 2's entry point does to initial trust, from the text (entry_points.csv)."""
    from ..theory import load_theory

    effect = load_theory().entry_points[entry_point].effect_on_initial_trust
    return {"raised": 0.1, "lowered": -0.1}.get(effect, 0.0)


def _run(c: dict, pc: list[dict[str, float]], init: dict[str, float], months: int, runs: int, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    n = len(pc)
    ii, jj = np.triu_indices(n, k=1)
    size = np.array([p["organisation_size"] for p in pc])
    stake = np.array([p["stakeholder_involvement"] for p in pc])
    wf = np.array([p["workforce_stability"] for p in pc])
    flex = np.array([p["flexibility"] for p in pc])
    g = {k: float(v) for k, v in c.items() if k != "entry_point"}

    # --- derived contexts (constant over a run) ---------------------------------------------
    form = max(g["mandated"], g["integration"])
    formalisation = g["formalisation"] + 0.4 * form * (1 - g["formalisation"])             # E1  TX-40
    authenticity = _clip(g["authenticity"] + 0.4 * (stake - 0.5))                          # E2  T3-31, TX-24
    cultural_integration = _clip(0.5 * g["cultural_compatibility"] + 0.5 * g["leadership_style"])  # E3 T3-39, TX-28
    coordination = _clip(0.6 * g["information_exchange"] + 0.4 * g["interoperability"])     # E4  TX-19
    complexity = float(_clip(0.5 + 0.35 * (size.mean() - 0.5) + 0.15 * (g["integration"] - 0.5)  # E5
                             - 0.3 * (g["task_simplicity"] - 0.5) - 0.25 * (g["interoperability"] - 0.5)
                             - 0.25 * (g["regulatory_support"] - 0.5)))  # T3-40..44, TX-20, TX-33..36
    trust_req = float(_clip(0.2 + 0.6 * complexity))                                        # E6  T3-41, T3-43
    domination = _clip(0.1 + 0.3 * g["mandated"] + 0.3 * (1 - g["power_balance"])           # E7  T3-28..30,
                       + 0.25 * (1 - g["resource_equality"]) + 0.5 * np.abs(size[ii] - size[jj])  # TX-12, TX-14,
                       + 0.1 * (size.mean() - 0.5)                                           # TX-38, T3-38
                       + 0.3 * (1 - g["leadership_style"]) * (1 - g["mandated"]))
    intra = _clip(0.6 * (1 - wf) + 0.4 * (1 - stake) - 0.1)                                 # E8  T3-06, T3-10
    shift = entry_trust_shift(str(c["entry_point"]))

    # --- month 0 ------------------------------------------------------------------------------
    trust0 = _clip(0.5 + 0.3 * (g["prior_collaboration"] - 0.5) + 0.2 * (formalisation - 0.5)  # E9  T3-21, T3-22,
                   - 0.35 * (domination - 0.35) + shift + 0.1 * (g["leadership_style"] - 0.5))  # T3-28..30, T3-36
    trust = np.broadcast_to(trust0, (runs, len(ii))).copy()
    if "trust" in init:
        trust[:] = init["trust"]
    shared_vision = float(_clip(g["shared_vision"] + 0.3 * g["mandated"] * (1 - g["leadership_style"])  # E10 T3-37
                                * (1 - trust.mean())))
    faith0 = _clip(0.5 + 0.3 * (authenticity - 0.5) - 0.2 * (complexity - 0.5)             # E11 TX-16, TX-32
                   + 0.1 * (g["prior_collaboration"] - 0.5))
    faith = np.broadcast_to(faith0, (runs, n)).copy()
    if "faith" in init:
        faith[:] = init["faith"]
    conf_target = float(_clip(0.1 + 0.5 * formalisation * (0.3 + 0.7 * form)                 # E12 T3-27, TX-40
                              + 0.15 * g["accountability"] + 0.15 * g["conflict_resolution"]))
    confidence = np.full(runs, init.get("confidence", 0.5 * conf_target))
    conflict = np.full(runs, init.get("conflict", 0.1))
    progress = np.full(runs, 0.4)
    perf_sum = np.zeros(runs)
    success_rate = np.full(runs, 0.5)
    alive = np.ones(runs, dtype=bool)
    low_trust = np.zeros(runs, dtype=int)
    low_faith = np.zeros(runs, dtype=int)
    dissolved_month = np.full(runs, -1)
    reason = np.full(runs, "", dtype=object)

    out = {v: np.zeros((runs, months)) for v in STATE + AUXILIARY}
    phase = np.zeros((runs, months), dtype=np.int8)
    events = {k: np.zeros((runs, months), dtype=np.int16) for k in ("successes", "failures", "conflict_events")}
    scale = 1.5 - g["pace"]
    ends = [e * scale for e in PHASE_ENDS]
    w = carrier_weight(g["mandated"], g["integration"])                                    # E13 Fig. 4
    flex_m, wf_m, intra_m = flex.mean(), wf.mean(), intra.mean()
    dom_m, auth_m = float(domination.mean()), float(authenticity.mean())  # loop invariants

    for m in range(months):
        ph = int(np.searchsorted(ends, m, side="right"))
        effort = PHASE_EFFORT[ph]
        tm, fm = trust.mean(axis=1), faith.mean(axis=1)
        communication = _clip(0.25 * g["communication_strategy"] + 0.2 * g["proximity"]     # E14 T3-35, TX-37,
                              + 0.35 * tm + 0.2 * (1 - complexity))                        # T3-40, T3-42
        basis = (1 - w) * tm + w * confidence                                              # E13 T3-05, TX-41
        functioning = _clip(0.45 * basis + 0.3 * fm + 0.15 * communication + 0.1 * coordination)  # E15 T3-01..04
        synergy = 1 / (1 + np.exp(-(functioning - 0.5) / 0.05))                            # E16 T3-01..05
        inertia = 1 - synergy                                                              # E16 T3-02
        risk = _clip(0.15 + 0.7 * tm + 0.15 * (progress - 0.5) - 0.3 * (trust_req - 0.5))  # E17 T3-22, T3-23, TX-01, TX-13
        capacity = _clip(0.3 + 0.45 * synergy + 0.1 * (flex_m - 0.5) + 0.1 * (wf_m - 0.5)  # E18
                         + 0.1 * (coordination - 0.5) - 0.2 * (complexity - 0.5) - 0.1 * (g["absent_actors"] - 0.2))
        aims = np.clip(0.5 * risk + 0.5 * capacity + 0.8 * (g["ambition"] - 0.5), 0.02, 1.0)  # E19 trust-building loop
        p_success = np.clip(0.8 + 1.2 * (capacity - aims) + 0.1 * (g["role_clarity"] - 0.5), 0.03, 0.97)  # E20
        k = rng.binomial(TASKS, p_success) if effort > 0 else np.zeros(runs, dtype=int)
        fails = (TASKS - k) if effort > 0 else np.zeros(runs, dtype=int)
        achievement = effort * aims * k / TASKS                                            # E21 T3-24, T3-25
        perf_sum += achievement * (0.5 + 0.5 * synergy)                                    # E22 T3-01, T3-03
        if effort > 0:
            success_rate = k / TASKS
        # conflict (E23-E25)
        pressure = _clip(0.3 * (1 - g["cultural_compatibility"]) * (0.5 + communication)   # T3-15, T3-34
                         + 0.2 * (1 - shared_vision) + 0.15 * (1 - g["pace"])              # T3-16, T3-14
                         + 0.15 * (1 - coordination) + 0.1 * dom_m             # TX-19
                         + 0.3 * fails / TASKS + 0.15 * np.maximum(0, aims - capacity))    # T3-18, TX-02
        pressure = pressure * (1 - 0.5 * g["accountability"]) * (1 - 0.3 * tm)             # T3-13, TX-31
        event = rng.random(runs) < 0.5 * pressure
        conflict = _clip(conflict * (0.85 - 0.25 * g["conflict_resolution"]) + 0.3 * event + 0.1 * pressure)
        # trust (E26), per pair
        shock = 0.1 * event * (1 - 1.1 * g["conflict_resolution"]) * (1 - 0.4 * g["accountability"])  # TX-08..10
        d_trust = (0.035 * effort * (k - fails * (0.5 + aims)) / TASKS                      # T3-24, TX-17, T3-18
                   + 0.02 * (communication - 0.5) + 0.02 * (cultural_integration - 0.5)   # TX-21, T3-35, T3-39
                   + 0.02 * (g["leadership_style"] - 0.5) + 0.02 * (progress - 0.5)       # T3-36, TX-01
                   - 0.03 * (dom_m - 0.35) + 0.01 * (flex_m - 0.5)            # T3-28..30, TX-31
                   - 0.05 * conflict - shock)                                             # T3-26, TX-06
        trust = _clip(trust + d_trust[:, None] + rng.normal(0, 0.01, trust.shape))
        # perception of progress (E27)
        target = _clip(0.1 + effort * (0.15 * success_rate + 0.9 * achievement / max(effort, 1e-9))
                       + (1 - effort) * 0.35
                       + 0.1 * (g["evaluation"] - 0.5) + 0.1 * (g["role_clarity"] - 0.5)  # T3-11, T3-12
                       + 0.1 * (flex_m - 0.5) + 0.1 * (wf_m - 0.5) - 0.15 * (g["absent_actors"] - 0.2)  # T3-09, T3-10, T3-08
                       - 0.15 * (complexity - 0.5) + 0.1 * (fm - 0.5) + 0.1 * (tm - 0.5)  # T3-44, T3-32, T3-36
                       - 0.15 * (intra_m - 0.3))                                          # T3-06
        progress = _clip(progress + 0.3 * (target - progress))
        # faith (E28), per organisation: relaxes towards what progress, authenticity and trust support
        faith_target = _clip(0.15 + 0.45 * progress[:, None] + 0.25 * authenticity            # T3-06..12, T3-31, T3-32
                             + 0.1 * tm[:, None] - 0.15 * (complexity - 0.5)                   # T3-19, T3-20, TX-32
                             - 0.2 * (intra - 0.3) + 0.1 * effort * (k / TASKS - 0.5)[:, None])  # T3-06, T3-25
        faith = _clip(faith + 0.1 * (faith_target - faith) + rng.normal(0, 0.01, faith.shape))
        # confidence (E12)
        confidence = _clip(confidence + 0.15 * (conf_target - confidence) - 0.02 * conflict)

        # dissolution (E29, T3-26, T3-33): trust or faith below its critical threshold for BELOW_MONTHS months
        tm_now = trust.mean(axis=1)
        low_trust = np.where(tm_now < TRUST_THRESHOLD, low_trust + 1, 0)
        low_faith = np.where(faith.min(axis=1) < FAITH_THRESHOLD, low_faith + 1, 0)
        ends_now = alive & ((low_trust >= BELOW_MONTHS) | (low_faith >= BELOW_MONTHS))
        reason[ends_now] = np.where(low_trust[ends_now] >= BELOW_MONTHS, "trust", "faith")
        dissolved_month[ends_now] = m
        alive &= ~ends_now

        values = {"trust": tm_now, "faith": faith.mean(axis=1), "confidence": confidence,
                  "conflict": conflict, "progress": progress, "risk_tolerance": risk,
                  "task_complexity": complexity, "communication": communication, "synergy": synergy,
                  "inertia": inertia, "achievement": achievement, "performance": perf_sum / (m + 1),
                  "dissolved": (~alive).astype(float), "aim_ambition": aims, "functioning": functioning,
                  "domination": dom_m, "trust_requirement": trust_req, "coordination": coordination,
                  "cultural_integration": cultural_integration, "intra_conflict": intra_m,
                  "authenticity_effective": auth_m, "formalisation_effective": formalisation,
                  "shared_vision_effective": shared_vision}
        for v, arr in values.items():
            out[v][:, m] = arr
        phase[:, m] = ph
        events["successes"][:, m] = k
        events["failures"][:, m] = fails
        events["conflict_events"][:, m] = event
        # a dissolved collaboration stays dissolved: its state freezes, it achieves nothing more
        dead = ~alive
        if dead.any():
            phase[dead, m] = PHASES.index("dissolution")
            for v in ("synergy", "inertia", "achievement"):
                out[v][dead, m] = 0.0
            if m > 0:
                prev = dissolved_month < m
                frozen = dead & prev
                for v in ("trust", "faith", "confidence", "conflict", "progress", "risk_tolerance",
                          "communication", "aim_ambition", "functioning", "performance"):
                    out[v][frozen, m] = out[v][frozen, m - 1]
                events["successes"][frozen, m] = 0
                events["failures"][frozen, m] = 0
                events["conflict_events"][frozen, m] = 0
    return Result(dict(c), pc, init, months, runs, seed, out, phase, events, dissolved_month,
                  np.asarray(reason, dtype=str))
