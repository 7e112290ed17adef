"""The model's equations, in the stages of ``docs/model.md``: derive the contexts' effects (E0-E8,
E12, E13), month 0 (E9-E11), one month's step (E14-E28), dissolution (E29).

Each function carries the term numbers it computes; each term's comment names the CMOCs it encodes.
A context read from the inputs is ``g["key"]``; its effective value, once other contexts have acted on
it, has its own name ending in ``_eff`` (``formalisation_eff``, ``shared_vision_eff``, ...).
Functions take and return arrays over runs, so one call moves every run of the ensemble.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

TRUST_THRESHOLD = 0.2   # critical threshold of the basis of collaboration: trust, or confidence in its place (T3-26)
FAITH_THRESHOLD = 0.2   # critical threshold of faith (T3-33)
THRESHOLD_WIDTH = 0.06  # E29: how sharply the chance of breaking rises as the basis falls through its threshold
BREAK_CHANCE = 0.5      # E29: chance that a conflict breaks a collaboration far below its threshold
TOO_MANY_FAILURES = 3.0  # E29: remembered failed tasks at which a conflict can break the collaboration in full
MEMORY = 0.9            # E29: share of last month's remembered failures that carries over
FAITH_EXIT = 0.25       # E29: monthly chance that an organisation whose faith is far below its threshold leaves
TRUST_SPREAD = 0.15     # E9: spread (sd) of initial trust between collaborations with the same contexts
TASKS = 4               # tasks attempted per month once work has started
PHASE_ENDS = (2, 5, 9, 18)  # months at which contemplating, connecting, planning, implementation end (pace 0.5)
PHASE_EFFORT = (0.0, 0.4, 0.7, 1.0, 1.0)  # share of effort on the aims, by phase
NOISE_ROWS = 8192       # runs per slice when drawing pairwise noise (memory only: the draws are the same)
SYNERGY_LINE = 0.5      # synergy at or above this line: the collaboration is in synergy, else in inertia (E16)


def in_synergy(synergy: Any) -> Any:
    """The one rule for "in synergy" (E16): partnership functioning at or above the synergy line."""
    return np.asarray(synergy) >= SYNERGY_LINE


def clip(x: Any) -> Any:
    """Keep within 0..1 (np.minimum/np.maximum: several times cheaper per call than np.clip)."""
    return np.minimum(np.maximum(x, 0.0), 1.0)


def carrier_weight(mandated: float, integration: float) -> float:
    """E13 (Fig. 4): the share of partnership functioning carried by confidence rather than trust.
    A mandate alone can make formal control the main basis (mandated buddying, line 287), integration
    adds to it; trust always keeps a quarter."""
    return min(0.75, 0.5 * mandated + 0.4 * integration)


ENTRY_SHIFT = {"raised": 0.1, "lowered": -0.1}  # E0: Table 2's entry point and initial trust


@dataclass(frozen=True)
class Derived:
    """What the contexts do that stays fixed for a run (E0-E8, E12, E13); per partner or pair arrays."""

    pairs: tuple[np.ndarray, np.ndarray]
    flexibility: np.ndarray
    workforce_stability: np.ndarray
    formality: float                 # max(mandated, integration)
    formalisation_eff: float         # E1
    authenticity_eff: np.ndarray     # E2, per partner
    cultural_integration: float      # E3
    coordination: float              # E4
    complexity: float                # E5
    trust_requirement: float         # E6
    domination: np.ndarray           # E7, per pair
    domination_ongoing: float        # E7 without the mandate's share, which acts on initial trust only (E26)
    intra_conflict: np.ndarray       # E8, per partner
    entry_shift: float               # E0
    confidence_target: float         # E12
    carrier: float                   # E13
    phase_ends: tuple[float, ...]
    flexibility_mean: float = 0.0    # means over partners and pairs, fixed for a run (loop invariants)
    workforce_mean: float = 0.0
    domination_mean: float = 0.0
    intra_mean: float = 0.0

    def __post_init__(self) -> None:
        for name, arr in (("flexibility_mean", self.flexibility), ("workforce_mean", self.workforce_stability),
                          ("domination_mean", self.domination), ("intra_mean", self.intra_conflict)):
            object.__setattr__(self, name, float(arr.mean()))


def derive(g: dict[str, float], partners: list[dict[str, float]], entry_effect: str) -> Derived:
    """E0-E8, E12, E13: the contexts' effects that stay fixed for a run."""
    ii, jj = np.triu_indices(len(partners), k=1)
    size = np.array([p["organisation_size"] for p in partners])
    stake = np.array([p["stakeholder_involvement"] for p in partners])
    wf = np.array([p["workforce_stability"] for p in partners])
    form = max(g["mandated"], g["integration"])
    formalisation_eff = g["formalisation"] + 0.4 * form * (1 - g["formalisation"])         # E1  TX-40
    complexity = float(clip(0.5 + 0.35 * (size.mean() - 0.5) + 0.15 * (g["integration"] - 0.5)  # E5
                            - 0.3 * (g["task_simplicity"] - 0.5) - 0.25 * (g["interoperability"] - 0.5)
                            - 0.25 * (g["regulatory_support"] - 0.5)))  # T3-40..44, TX-20, TX-33..36
    domination = clip(0.1 + 0.3 * g["mandated"] + 0.3 * (1 - g["power_balance"])            # E7  T3-28..30,
                      + 0.25 * (1 - g["resource_equality"]) + 0.5 * np.abs(size[ii] - size[jj])  # TX-12, TX-14,
                      + 0.1 * (size.mean() - 0.5)                                            # TX-38, T3-38
                      + 0.1 * (1 - g["leadership_style"]) * (1 - g["mandated"]))
    return Derived(
        pairs=(ii, jj), flexibility=np.array([p["flexibility"] for p in partners]), workforce_stability=wf,
        formality=form, formalisation_eff=formalisation_eff,
        authenticity_eff=clip(g["authenticity"] + 0.4 * (stake - 0.5)),                    # E2  T3-31, TX-24
        cultural_integration=clip(0.5 * g["cultural_compatibility"] + 0.5 * g["leadership_style"]),  # E3 T3-39
        coordination=clip(0.6 * g["information_exchange"] + 0.4 * g["interoperability"]),   # E4  TX-19
        complexity=complexity,
        trust_requirement=float(clip(0.2 + 0.6 * complexity)),                              # E6  T3-41, T3-43
        domination=domination, domination_ongoing=float(domination.mean()) - 0.3 * g["mandated"],
        intra_conflict=clip(0.6 * (1 - wf) + 0.4 * (1 - stake) - 0.1),                      # E8  T3-06, T3-10
        entry_shift=ENTRY_SHIFT.get(entry_effect, 0.0),                                     # E0  Table 2
        confidence_target=float(clip(0.1 + 0.5 * formalisation_eff * (0.3 + 0.7 * form)      # E12 T3-27, TX-40
                                     + 0.15 * g["accountability"] + 0.15 * g["conflict_resolution"])),
        carrier=carrier_weight(g["mandated"], g["integration"]),                            # E13 Fig. 4
        phase_ends=tuple(e * (1.5 - g["pace"]) for e in PHASE_ENDS),
    )


@dataclass
class State:
    """What changes month by month, for every run: pairwise trust, per-organisation faith, the rest per run."""

    trust: np.ndarray        # (runs, pairs)
    faith: np.ndarray        # (runs, partners)
    confidence: np.ndarray
    conflict: np.ndarray
    progress: np.ndarray
    shared_vision_eff: float  # E10, fixed once month-0 trust is known
    perf_sum: np.ndarray
    success_rate: np.ndarray
    alive: np.ndarray
    failures_recent: np.ndarray  # E29: failed tasks remembered, decaying by MEMORY a month
    dissolved_month: np.ndarray
    reason: np.ndarray
    trust_mean: np.ndarray | None = None  # mean over pairs after this month's step (set by dissolve)


def start(rng: np.random.Generator, g: dict[str, float], d: Derived, initial: dict[str, float],
          runs: int) -> State:
    """Month 0: E9 (trust, spread between collaborations by TRUST_SPREAD), E10 (shared vision under a
    mandate), E11 (faith); conflict 0.1, progress 0.4, confidence at half its target; ``initial``
    replaces any of trust, faith, confidence, conflict (exactly, without spread)."""
    trust0 = clip(0.5 + 0.45 * (g["prior_collaboration"] - 0.5) + 0.2 * (d.formalisation_eff - 0.5)  # E9 T3-21,
                  - 0.35 * (d.domination - 0.35) + d.entry_shift + 0.05 * (g["leadership_style"] - 0.5))  # T3-22,
    trust = rng.normal(0, TRUST_SPREAD, (runs, len(d.pairs[0])))                           # T3-28..30, T3-36
    trust += trust0                                     # in place: the pairwise array is the big one
    np.minimum(np.maximum(trust, 0.0, out=trust), 1.0, out=trust)
    if "trust" in initial:
        trust[:] = initial["trust"]
    shared_vision_eff = float(clip(g["shared_vision"] + 0.3 * g["mandated"] * (1 - g["leadership_style"])  # E10
                                   * (1 - trust.mean())))                                               # T3-37
    faith0 = clip(0.5 + 0.3 * (d.authenticity_eff - 0.5) - 0.2 * (d.complexity - 0.5)      # E11 TX-16, TX-32
                  + 0.15 * (g["prior_collaboration"] - 0.5))
    faith = np.broadcast_to(faith0, (runs, len(d.flexibility))).copy()
    if "faith" in initial:
        faith[:] = initial["faith"]
    return State(
        trust=trust, faith=faith, confidence=np.full(runs, initial.get("confidence", 0.5 * d.confidence_target)),
        conflict=np.full(runs, initial.get("conflict", 0.1)), progress=np.full(runs, 0.4),
        shared_vision_eff=shared_vision_eff, perf_sum=np.zeros(runs), success_rate=np.full(runs, 0.5),
        alive=np.ones(runs, dtype=bool), failures_recent=np.zeros(runs),
        dissolved_month=np.full(runs, -1), reason=np.full(runs, "", dtype=object),
    )


def phase_of(d: Derived, month: int) -> int:
    """Lifecycle phase index of a month (0-based), from the pace-scaled phase ends."""
    return int(np.searchsorted(d.phase_ends, month, side="right"))


def functioning(g: dict[str, float], d: Derived, st: State, tm: np.ndarray, fm: np.ndarray) -> dict[str, Any]:
    """E14 communication, E13 the trust/confidence basis, E15 functioning (conflict pulls the partners'
    attention to repairing the collaboration, line 280), E16 synergy and inertia."""
    communication = clip(0.25 * g["communication_strategy"] + 0.2 * g["proximity"]          # E14 T3-35, TX-37,
                         + 0.35 * tm + 0.2 * (1 - d.complexity))                           # T3-40, T3-42
    basis = (1 - d.carrier) * tm + d.carrier * st.confidence                               # E13 T3-05, TX-41
    func = clip(0.08 + 0.45 * basis + 0.3 * fm + 0.15 * communication + 0.1 * d.coordination  # E15 T3-01..04
                - 0.4 * st.conflict)                                                       # line 280
    synergy = 1 / (1 + np.exp(-(func - 0.5) / 0.05))                                       # E16 T3-01..05
    return {"communication": communication, "functioning": func, "synergy": synergy, "inertia": 1 - synergy}


def tasks(rng: np.random.Generator, g: dict[str, float], d: Derived, st: State, tm: np.ndarray,
          synergy: np.ndarray, effort: float) -> dict[str, Any]:
    """E17 risk tolerance, E18 capacity, E19 aims (the trust-building loop), E20-E21 tasks, E22 performance."""
    runs = len(tm)
    risk = clip(0.15 + 0.7 * tm + 0.15 * (st.progress - 0.5) - 0.3 * (d.trust_requirement - 0.5))  # E17 T3-22,
    capacity = clip(0.3 + 0.45 * synergy + 0.1 * (d.flexibility_mean - 0.5)                # T3-23, TX-01, TX-13
                    + 0.1 * (d.workforce_mean - 0.5) + 0.1 * (d.coordination - 0.5)        # E18
                    - 0.2 * (d.complexity - 0.5) - 0.1 * (g["absent_actors"] - 0.2))
    aims = np.clip(0.5 * risk + 0.5 * capacity + 0.5 * (g["ambition"] - 0.5), 0.02, 1.0)  # E19 T3-22, T3-23
    overreach = 1 / (1 + np.exp(-(aims - capacity - 0.3) / 0.12))                          # E20 T3-24, T3-25
    p_success = np.clip(0.95 - 0.85 * overreach + 0.1 * (g["role_clarity"] - 0.5), 0.03, 0.97)
    k = rng.binomial(TASKS, p_success) if effort > 0 else np.zeros(runs, dtype=int)
    fails = (TASKS - k) if effort > 0 else np.zeros(runs, dtype=int)
    achievement = effort * aims * k / TASKS                                                # E21 T3-24, T3-25
    st.perf_sum += achievement * (0.5 + 0.5 * synergy)                                     # E22 T3-01, T3-03
    if effort > 0:
        st.success_rate = k / TASKS
    return {"risk_tolerance": risk, "capacity": capacity, "aim_ambition": aims, "successes": k,
            "failures": fails, "achievement": achievement}


def conflict(rng: np.random.Generator, g: dict[str, float], d: Derived, st: State, tm: np.ndarray,
             mo: dict[str, Any]) -> np.ndarray:
    """E23 conflict pressure, E24 conflict events, E25 conflict; returns this month's events."""
    pressure = clip(0.3 * (1 - g["cultural_compatibility"]) * (0.5 + mo["communication"])  # T3-15, T3-34
                    + 0.2 * (1 - st.shared_vision_eff) + 0.15 * (1 - g["pace"])            # T3-16, T3-14
                    + 0.15 * (1 - d.coordination) + 0.1 * d.domination_mean              # TX-19
                    + 0.3 * mo["failures"] / TASKS                                          # T3-18
                    + 0.15 * np.maximum(0, mo["aim_ambition"] - mo["capacity"]))           # TX-02
    pressure = pressure * (1 - 0.5 * g["accountability"]) * (1 - 0.45 * tm)                # T3-13, TX-31, line 289
    event = rng.random(len(tm)) < 0.5 * pressure                                           # E24
    st.conflict = clip(st.conflict * (0.85 - 0.25 * g["conflict_resolution"])             # E25 TX-08, TX-09
                       + 0.3 * event + 0.1 * pressure)
    return event


def trust(rng: np.random.Generator, g: dict[str, float], d: Derived, st: State, mo: dict[str, Any],
          effort: float) -> None:
    """E26: pairwise trust moves with achievement and failure, communication, culture, leadership,
    progress, domination, flexibility, conflict and conflict shocks, plus noise. Successes build less
    trust where confidence carries the collaboration (they are credited to the contract, Smith [75]);
    gains shrink as trust nears 1, so even a good history leaves room to move (line 280)."""
    shock = (0.12 * mo["conflict_events"] * (1 - 1.1 * g["conflict_resolution"])            # TX-08..10
             * (1 - 0.4 * g["accountability"]))
    k, fails = mo["successes"], mo["failures"]
    d_trust = (0.035 * effort * (k * (1 - 0.8 * d.carrier)                                # T3-24, TX-17, T3-18
                                 - fails * (0.5 + mo["aim_ambition"])) / TASKS
               + 0.02 * (mo["communication"] - 0.5) + 0.01 * (d.cultural_integration - 0.5)  # TX-21, T3-35, T3-39
               + 0.005 * (g["leadership_style"] - 0.5) + 0.02 * (st.progress - 0.5)       # T3-36, TX-01
               - 0.015 * (d.domination_ongoing - 0.35) + 0.01 * (d.flexibility_mean - 0.5)  # T3-28, T3-29, TX-31
               - 0.04 * st.conflict - shock)                                               # T3-26, TX-06
    # step = d_trust where it lowers trust; where it raises trust, d_trust x ((1 - trust) / 0.5)^2. Written
    # in place (one pairwise array besides trust and the noise): with 12 partners and 100,000 runs each
    # pairwise array is 53 MB.
    step = np.subtract(1.0, st.trust)
    step /= 0.5
    np.square(step, out=step)
    step *= d_trust[:, None]
    np.copyto(step, np.broadcast_to(d_trust[:, None], step.shape), where=(d_trust <= 0)[:, None])
    step += st.trust
    for lo in range(0, len(step), NOISE_ROWS):  # the noise in slices of runs: the same draws, less memory
        part = step[lo:lo + NOISE_ROWS]
        part += rng.normal(0, 0.03, part.shape)
    np.maximum(step, 0.0, out=step)
    st.trust = np.minimum(step, 1.0, out=step)                                              # clip to 0..1


def progress(g: dict[str, float], d: Derived, st: State, tm: np.ndarray, fm: np.ndarray, effort: float,
             achievement: np.ndarray) -> None:
    """E27: perception of progress relaxes towards what the work, evaluation and the partners support."""
    target = clip(0.1 + effort * (0.3 * st.success_rate + 0.75 * achievement / max(effort, 1e-9))
                  + (1 - effort) * 0.35
                  + 0.1 * (g["evaluation"] - 0.5) + 0.1 * (g["role_clarity"] - 0.5)        # T3-11, T3-12
                  + 0.1 * (d.flexibility_mean - 0.5) + 0.1 * (d.workforce_mean - 0.5)      # T3-09, T3-10
                  - 0.15 * (g["absent_actors"] - 0.2)                                       # T3-08
                  - 0.15 * (d.complexity - 0.5) + 0.1 * (fm - 0.5) + 0.1 * (tm - 0.5)      # T3-44, T3-32, T3-36
                  - 0.15 * (d.intra_mean - 0.3))                                 # T3-06
    st.progress = clip(st.progress + 0.3 * (target - st.progress))


def faith_and_confidence(rng: np.random.Generator, d: Derived, st: State, tm: np.ndarray, mo: dict[str, Any],
                         effort: float) -> None:
    """E28: faith, per organisation, relaxes towards what progress, authenticity and trust support, and
    intra-organisational conflicts (more likely with churn and excluded staff) knock it down;
    E12: confidence relaxes towards its target, worn down by conflict, conflicts and failed tasks."""
    faith_target = clip(0.1 + 0.45 * st.progress[:, None] + 0.3 * d.authenticity_eff     # T3-06..12, T3-31,
                        + 0.1 * tm[:, None] - 0.15 * (d.complexity - 0.5)                  # T3-32, T3-19, T3-20,
                        - 0.3 * (d.intra_conflict - 0.3)                                   # TX-32, T3-06
                        + 0.1 * effort * (mo["successes"] / TASKS - 0.5)[:, None])         # T3-25
    intra_event = rng.random(st.faith.shape) < 0.4 * d.intra_conflict                      # T3-06, line 131
    st.faith = clip(st.faith + 0.1 * (faith_target - st.faith) - 0.06 * intra_event
                    + rng.normal(0, 0.01, st.faith.shape))
    st.confidence = clip(st.confidence + 0.15 * (d.confidence_target - st.confidence) - 0.02 * st.conflict
                         - 0.05 * effort * mo["failures"] / TASKS - 0.05 * mo["conflict_events"])


def dissolve(rng: np.random.Generator, d: Derived, st: State, month: int, mo: dict[str, Any]) -> None:
    """E29 (T3-26, T3-33; lines 241, 279): a collaboration breaks in a conflict once failed tasks have
    piled up, with a chance that rises as its basis (trust, or confidence in its place, E13) falls
    through the critical threshold; an organisation whose faith is far below its threshold may leave."""
    st.trust_mean = st.trust.mean(axis=1)
    st.failures_recent = MEMORY * st.failures_recent + mo["failures"]
    basis = (1 - d.carrier) * st.trust_mean + d.carrier * st.confidence
    p_break = (BREAK_CHANCE / (1 + np.exp(-(TRUST_THRESHOLD - basis) / THRESHOLD_WIDTH))
               * np.minimum(1, st.failures_recent / TOO_MANY_FAILURES))
    by_trust = mo["conflict_events"] & (rng.random(len(basis)) < p_break)
    deficit = clip((FAITH_THRESHOLD - st.faith.min(axis=1)) / (FAITH_THRESHOLD / 2))
    by_faith = rng.random(len(basis)) < FAITH_EXIT * deficit
    ends_now = st.alive & (by_trust | by_faith)
    st.reason[ends_now] = np.where(by_trust[ends_now], "trust", "faith")
    st.dissolved_month[ends_now] = month
    st.alive &= ~ends_now
