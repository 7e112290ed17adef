"""Calibration patterns: the shapes the simulator must reproduce, each tied to what the review says.

The patterns, their quotes and their numeric targets are data (``patterns.yaml`` beside this module,
shipped in the wheel); this module holds one measurement per pattern. A measurement reads only
:func:`~iockit.sim.model.simulate` and the arrays of its result, through a :class:`Lab` that runs each
distinct simulation once, so patterns that share a simulation (and the tests) share its cost.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .. import contexts as ctxreg
from .inputs import Inputs
from .model import Result, run
from .scenarios import load_preset
from .sweep import summarise, survivors, sweep_values, with_value

HERE = Path(__file__).resolve().parent
REMEDIES = {"formalisation": 1.0, "shared_vision": 0.8, "accountability": 1.0, "conflict_resolution": 1.0}
EARLY_WINS = {"ambition": 0.3}
PRESETS = ("defaults", "voluntary_alliance", "mandated_buddying", "large_trust_merger",
           "integrated_care_partnership")


@dataclass(frozen=True)
class Quote:
    line: int
    text: str


@dataclass(frozen=True)
class Pattern:
    id: int
    key: str
    title: str
    quotes: tuple[Quote, ...]
    target: str
    numbers: dict[str, Any]


@dataclass(frozen=True)
class Criterion:
    """One measured part of a pattern: what was measured, its value, and whether it meets the target."""

    name: str
    value: Any
    ok: bool


@dataclass(frozen=True)
class Outcome:
    pattern: Pattern
    criteria: tuple[Criterion, ...]
    seed: int = 0

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.criteria)

    @property
    def values(self) -> dict[str, Any]:
        return {c.name: c.value for c in self.criteria}

    def measured_text(self) -> str:
        return "; ".join(f"{c.name} {_show(c.value)}{'' if c.ok else ' (FAIL)'}" for c in self.criteria)

    @staticmethod
    def show(value: Any) -> str:
        """A measured value as the report prints it (three decimals)."""
        return _show(value)

    def as_record(self) -> dict[str, Any]:
        p = self.pattern
        return {"pattern": p.id, "title": p.title, "lines": [q.line for q in p.quotes],
                "quote": p.quotes[0].text if p.quotes else "", "target": p.target,
                "measured": self.measured_text().replace("; ", ";"), "result": "pass" if self.passed else "FAIL"}


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        return f"{value:.3f}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


@cache
def _data() -> dict[str, Any]:
    import yaml

    return yaml.safe_load((HERE / "patterns.yaml").read_text(encoding="utf-8"))


def settings() -> dict[str, int]:
    return dict(_data()["settings"])


def load_patterns() -> list[Pattern]:
    return [Pattern(int(p["id"]), p["key"], p["title"],
                    tuple(Quote(int(q["line"]), q["text"]) for q in p.get("quotes") or ()),
                    " ".join(p["target"].split()), dict(p.get("numbers") or {}))
            for p in _data()["patterns"]]


#: The series a measurement reads; a :class:`Lab` keeps only these of each run (memory: a full result of
#: 1,000 runs x 36 months is 6.6 MB, these are 2.6 MB).
KEPT = ("trust", "faith", "confidence", "conflict", "progress", "achievement", "synergy", "inertia", "dissolved")


class Lab:
    """Runs simulations once each (seed, runs and months from ``patterns.yaml`` unless given). Runs are
    kept with the series of :data:`KEPT` only; sweeps are kept as one summary row per value."""

    def __init__(self, runs: int | None = None, seed: int | None = None, months: int | None = None) -> None:
        s = settings()
        self.runs, self.seed = runs or s["runs"], s["seed"] if seed is None else seed
        self.months, self.steps = months or s["months"], s["sweep_steps"]
        self._cache: dict[str, Result] = {}
        self._sweeps: dict[tuple[str, str, int], list[tuple[float | str, dict[str, Any]]]] = {}

    def run(self, preset: str = "defaults", contexts: Mapping[str, Any] | None = None,
            initial: Mapping[str, float] | None = None) -> Result:
        """A preset (or the defaults) with some contexts changed and some states set at month 0."""
        key = json.dumps([preset, dict(contexts or {}), dict(initial or {})], sort_keys=True)
        if key not in self._cache:
            r = self._simulate(preset, contexts, initial)
            self._cache[key] = dataclasses.replace(r, series={v: r.series[v] for v in KEPT})
        return self._cache[key]

    def inputs(self, preset: str, contexts: Mapping[str, Any] | None = None,
               initial: Mapping[str, float] | None = None) -> Inputs:
        """A preset's inputs (or the defaults') at the Lab's months, runs and seed, with ``contexts`` set (a
        partner-level context set here moves every partner) and ``initial`` states at month 0."""
        base = Inputs(months=self.months, runs=self.runs, seed=self.seed)
        if preset != "defaults":
            base = load_preset(preset).inputs(months=self.months, runs=self.runs, seed=self.seed)
        for key, value in (contexts or {}).items():
            base = with_value(base, key, value)
        return base.replace(initial={**base.initial, **dict(initial)}) if initial else base

    def _simulate(self, preset: str, contexts: Mapping[str, Any] | None,
                  initial: Mapping[str, float] | None) -> Result:
        return run(self.inputs(preset, contexts, initial))

    def sweep(self, key: str, preset: str = "defaults", steps: int | None = None) -> list[tuple[float | str, dict]]:
        """One-at-a-time sweep of ``key`` from ``preset``: per value, :func:`~iockit.sim.sweep.summarise`
        at the last month plus ``progress_mean`` and ``achievement_mean`` over runs and months."""
        steps = steps or self.steps
        if (preset, key, steps) not in self._sweeps:
            rows = []
            for v in sweep_values(key, steps):
                r = self._simulate(preset, {key: v}, None)
                rows.append((v, {**summarise(r), "progress_mean": float(r.series["progress"].mean()),
                                 "achievement_mean": float(r.series["achievement"].mean())}))
            self._sweeps[(preset, key, steps)] = rows
        return self._sweeps[(preset, key, steps)]


# --- what the measurements read --------------------------------------------------------------

def dissolved(r: Result, month: int | None = None) -> float:
    """Share of runs dissolved by ``month`` (1-based; default the last)."""
    return float(r.series["dissolved"][:, (month or r.months) - 1].mean())


def active_mean(r: Result, variable: str, months: slice = slice(None)) -> float:
    """Mean of ``variable`` over the run-months in which the run was still active."""
    alive = r.series["dissolved"][:, months] < 0.5
    values = r.series[variable][:, months]
    return float(values[alive].mean()) if alive.any() else float("nan")


# --- one measurement per pattern -------------------------------------------------------------

def _p1(n: dict, lab: Lab) -> list[Criterion]:
    mb, d = lab.run("mandated_buddying"), lab.run()
    share, base = dissolved(mb), dissolved(d)
    gap = float((mb.mean("trust") - d.mean("trust")).max())
    return [Criterion("dissolved by month 36", share, n["dissolved_min"] <= share <= n["dissolved_max"]),
            Criterion("times the defaults' share", share / base if base else None,
                      share >= n["times_defaults"] * base),
            Criterion("largest monthly trust gap over the defaults", gap, gap < 0)]


def _p2(n: dict, lab: Lab) -> list[Criterion]:
    out = []
    for preset in PRESETS:
        r = lab.run(preset)
        dm = r.dissolved_month
        gone = dm >= 0
        if not gone.any():
            out.append(Criterion(f"{preset}: none dissolved", True, True))
            continue
        median = float(np.median(dm[gone] + 1))
        upto = np.arange(r.months)[None, :] <= dm[gone][:, None]
        conflicts = (r.events["conflict_events"][gone] * upto).sum(axis=1)
        failures = (r.events["failures"][gone] * upto).sum(axis=1)
        loop = float(((conflicts > 0) & (failures > 0)).mean())
        out.append(Criterion(f"{preset}: median month", median, median >= n["median_month_min"]))
        out.append(Criterion(f"{preset}: through the loop", loop, loop >= n["through_loop_min"]))
    return out


def _p3(n: dict, lab: Lab) -> list[Criterion]:
    mb = lab.run("mandated_buddying")
    fx = lab.run("mandated_buddying", {"formalisation": 1.0, "accountability": 1.0})
    cut = dissolved(mb) - dissolved(fx)
    syn0, syn1 = active_mean(mb, "synergy"), active_mean(fx, "synergy")
    trust = float(fx.series["trust"].mean())
    return [Criterion("dissolution cut", cut, cut >= n["cut_min"]),
            Criterion("survivors' synergy before, after", [syn0, syn1], syn1 > syn0),
            Criterion("mean trust", trust, trust <= n["trust_max"])]


def _p4(n: dict, lab: Lab) -> list[Criterion]:
    mb, va = lab.run("mandated_buddying"), lab.run("voluntary_alliance")
    levers = {**REMEDIES, **EARLY_WINS}
    all_ = lab.run("mandated_buddying", levers)
    base, after = dissolved(mb), dissolved(all_)
    singles = {k: abs(base - dissolved(lab.run("mandated_buddying", {k: v}))) for k, v in levers.items()}
    trust, va_trust = float(all_.series["trust"].mean()), float(va.series["trust"].mean())
    return [Criterion("dissolved before, after", [base, after], after <= n["ratio_max"] * base),
            Criterion("mean trust after, voluntary alliance", [trust, va_trust], trust < va_trust),
            Criterion("largest single-lever move", max(singles.values()), max(singles.values()) <= n["single_max"]),
            Criterion("single-lever moves", singles, True)]


def _p5(n: dict, lab: Lab) -> list[Criterion]:
    conf = n["initial_confidence"]
    runs = [lab.run("defaults", {"mandated": 1.0}, {"trust": t, "confidence": conf}) for t in n["initial_trust"]]
    conflict = [active_mean(r, "conflict") for r in runs]
    synergy = [active_mean(r, "synergy") for r in runs]
    return [Criterion("conflict by initial trust", conflict, all(np.diff(conflict) < 0)),
            Criterion("synergy by initial trust", synergy, all(np.diff(synergy) > 0))]


def _p6(n: dict, lab: Lab) -> list[Criterion]:
    r = lab.run("voluntary_alliance")
    tm = r.mean("trust")
    end = r.series["trust"][:, -1]
    median, p5 = float(np.median(end)), float(np.percentile(end, 5))
    after = slice(n["after_month"], r.months)
    low = (r.series["synergy"][:, after] < 0.5) & (r.series["dissolved"][:, after] < 0.5)
    dip = float(low.any(axis=1).mean())
    return [Criterion("dissolved", dissolved(r), dissolved(r) <= n["dissolved_max"]),
            Criterion("mean trust months 1, 12, 36", [tm[0], tm[11], tm[-1]], tm[11] > tm[0] and tm[-1] > tm[0]),
            Criterion("median trust month 36", median, median <= n["median_max"]),
            Criterion("5th percentile", p5, p5 <= n["p5_max"]),
            Criterion("runs dipping below the synergy line", dip, n["dip_min"] <= dip <= n["dip_max"])]


def _p7(n: dict, lab: Lab) -> list[Criterion]:
    r, d = lab.run("large_trust_merger"), lab.run()
    inertia = r.mean_active("inertia")[: n["through_month"]]
    start = n["confidence_from_month"] - 1
    margin = float((r.mean("confidence") - r.mean("trust"))[start:].min())
    ends = [survivors(lab.run("defaults", {"integration": v}))["inertia_active"] for v in (0.0, 1.0)]
    rise = float(ends[1] - ends[0]) if None not in ends else float("nan")
    return [Criterion("dissolved, defaults", [dissolved(r), dissolved(d)], dissolved(r) <= dissolved(d)),
            Criterion("lowest survivors' inertia to month 24", float(np.nanmin(inertia)),
                      bool(np.nanmin(inertia) >= n["inertia_min"])),
            Criterion("smallest lead of confidence over trust", margin, margin > 0),
            Criterion("integration 0 -> 1: survivors' inertia rises by", rise, rise >= n["integration_inertia_min"])]


def _p8(n: dict, lab: Lab) -> list[Criterion]:
    r, fixed = lab.run("integrated_care_partnership"), lab.run("integrated_care_partnership", REMEDIES)
    by12, by36, rem = dissolved(r, 12), dissolved(r), dissolved(fixed)
    return [Criterion("dissolved by month 12", by12, by12 <= n["by12_max"]),
            Criterion("dissolved by month 36", by36, n["by36_min"] <= by36 <= n["by36_max"]),
            Criterion("with the remedies", rem, rem < n["remedied_max"])]


def _p9(n: dict, lab: Lab) -> list[Criterion]:
    curve = lab.sweep("ambition", steps=n["steps"])
    values = [v for v, _ in curve]
    progress = [row["progress_mean"] for _, row in curve]
    achieve = [row["achievement_mean"] for _, row in curve]
    gone = {v: row["dissolved"] for v, row in curve}
    p_peak, a_peak = values[int(np.argmax(progress))], values[int(np.argmax(achieve))]
    lo, hi = n["peak_min"], n["peak_max"]
    return [Criterion("progress peaks at", p_peak, lo <= p_peak <= hi),
            Criterion("achievement peaks at", a_peak, lo <= a_peak <= hi),
            Criterion("dissolved at 0.5, 0.6", [gone[0.5], gone[0.6]], gone[0.6] <= n["step_ratio_max"] * gone[0.5]),
            Criterion("dissolved at 1.0", gone[1.0], gone[1.0] < n["top_dissolved_max"])]


DISPLAYED = ("trust", "faith", "confidence", "conflict", "synergy_active", "inertia_active", "dissolved")


def context_ranges(lab: Lab) -> dict[str, dict[str, float]]:
    """For every context swept over its range: how far each displayed outcome moves at the last month."""
    out = {}
    for key in ctxreg.registry():
        rows = [row for _, row in lab.sweep(key)]
        out[key] = {v: (max(x) - min(x)) if (x := [row[v] for row in rows if row[v] is not None]) else 0.0
                    for v in DISPLAYED}
    return out


def _p10(n: dict, lab: Lab) -> list[Criterion]:
    moves = {k: m["dissolved"] for k, m in context_ranges(lab).items()}
    top = max(moves, key=moves.__getitem__)
    lead, prior = moves["leadership_style"], moves["prior_collaboration"]
    return [Criterion(f"largest move ({top})", moves[top], moves[top] <= n["range_max"]),
            Criterion("leadership style, past collaboration", [lead, prior], lead <= prior)]


def _p11(n: dict, lab: Lab) -> list[Criterion]:
    best = {k: max(m.values()) for k, m in context_ranges(lab).items()}
    weakest = min(best, key=best.__getitem__)
    flat = [k for k, v in best.items() if v < n["range_min"]]
    return [Criterion(f"weakest context ({weakest})", best[weakest], best[weakest] >= n["range_min"]),
            Criterion("contexts that move nothing", flat, not flat)]


def _p12(n: dict, lab: Lab) -> list[Criterion]:
    r = lab.run("defaults", n["contexts"])
    faith = float((r.dissolved_reason == "faith").mean())
    trust = float((r.dissolved_reason == "trust").mean())
    return [Criterion("dissolved through faith", faith, faith >= n["faith_min"]),
            Criterion("dissolved through trust", trust, True)]


def _p13(n: dict, lab: Lab) -> list[Criterion]:
    share = dissolved(lab.run())
    return [Criterion("dissolved by month 36", share, n["dissolved_min"] <= share <= n["dissolved_max"])]


MEASURES: dict[str, Callable[[dict, Lab], list[Criterion]]] = {
    "mandate_not_fatal": _p1, "dissolution_through_the_loop": _p2, "confidence_substitutes": _p3,
    "remedies_work_partially": _p4, "trust_still_pays": _p5, "voluntary_alliance_not_certain": _p6,
    "merger_into_inertia": _p7, "icp_high_risk_not_doomed": _p8, "realistic_ambition": _p9,
    "no_single_lever_decides": _p10, "every_context_visible": _p11, "faith_dissolution": _p12,
    "defaults_one_in_ten": _p13,
}


def measure(pattern: Pattern, lab: Lab | None = None) -> Outcome:
    lab = lab or Lab()
    return Outcome(pattern, tuple(MEASURES[pattern.key](pattern.numbers, lab)), lab.seed)


def measure_all(lab: Lab | None = None) -> list[Outcome]:
    """Every pattern, measured on one shared :class:`Lab`."""
    lab = lab or Lab()
    return [measure(p, lab) for p in load_patterns()]


def measured(seed: int | None = None) -> tuple[Outcome, ...]:
    """Every pattern at the settings of ``patterns.yaml`` (another ``seed`` if given), measured once per
    process and data package: ``iockit fidelity``, its report and the tests share the result."""
    seed = settings()["seed"] if seed is None else seed
    return _measured(seed, os.environ.get("IOCKIT_DATA", ""))


@lru_cache(maxsize=4)
def _measured(seed: int, data: str) -> tuple[Outcome, ...]:
    return tuple(measure_all(shared_lab(seed, data)))


@lru_cache(maxsize=4)
def shared_lab(seed: int = 0, data: str = "") -> Lab:
    """One :class:`Lab` per seed and data package for the whole process (``data``: ``IOCKIT_DATA``)."""
    return Lab(seed=seed)
