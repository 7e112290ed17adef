"""Which contexts matter most: global sensitivity analysis of the simulator over the contexts' ranges.

The kit's own code only maps contexts to SALib's *problem* and evaluates; sampling and the analysis
are SALib's (Morris elementary effects, or Sobol' variance-based indices by Saltelli's scheme).

- :func:`space` turns a fixed point (one :class:`~iockit.sim.inputs.Inputs`: defaults, a scenario,
  ``--set``) into the contexts that vary and their bounds: every numeric context varies over its
  ``[minimum, maximum]`` from the loaded theory (``contexts.csv``), except those held: the ones named
  in ``held`` (the CLI's ``--set``), the entry point (a choice, held at the fixed point's value), and a
  partner-level context that the scenario sets for every partner separately.
- :class:`Plan` says how: method, samples, runs per parameter set, seed, month, second order.
- :func:`sensitivity` samples, evaluates every parameter set as an ensemble of ``runs`` runs of the
  vectorised engine (``run(Inputs(...))``, in chunks: in-process, on a local Dask cluster or on an
  existing one, :mod:`iockit.sim.evaluate`) and analyses one or more outcomes. Each parameter set's
  ensemble seed is derived from the plan's seed and the set's row number only, so the numbers are
  identical however the work was split and wherever it ran.

SALib (and Dask) are optional (``pip install 'iockit[sweeps]'``) and imported inside functions, so
importing this module costs nothing more than the simulator.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from ..errors import IockitError
from ..lookup import check_name
from .evaluate import Task, evaluate
from .inputs import Inputs, check_count, check_seed
from .model import PHASES, STATE

METHODS = ("morris", "sobol")
#: Every numeric output column of ``iockit simulate`` (``Result.rows()``); an outcome is one of them.
OUTCOMES = (*STATE, "active", "synergy_active", "inertia_active", *(f"phase_{p}" for p in PHASES))
COLUMNS = {"morris": ("context", "mu_star", "mu_star_conf", "sigma"),
           "sobol": ("context", "S1", "S1_conf", "ST", "ST_conf")}
PAIR_COLUMNS = ("other", "S2", "S2_conf")
DEFAULT_SAMPLES = {"morris": 20, "sobol": 256}
MORRIS_LEVELS = 4
MAX_SAMPLES = 1 << 16
PRECOMPUTED = "_sensitivity"   # package folder of the results shipped for the presets
#: The outcomes whose indices are shipped for the presets (one evaluation serves them all).
SHIPPED_OUTCOMES = ("dissolved", "trust", "faith", "confidence", "conflict", "synergy_active", "performance")


def _need_salib() -> None:
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise IockitError("sensitivity", "SALib", "an installation with the sweeps extra: "
                          "pip install 'iockit[sweeps]'") from None


# --- the space: which contexts vary, over which bounds ------------------------------------------------------------

@dataclass(frozen=True)
class Space:
    """The contexts that vary (with their bounds) around a fixed point, and those held at it."""

    base: Inputs
    varied: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    held: tuple[str, ...]

    def problem(self) -> dict[str, Any]:
        """SALib's problem dictionary."""
        return {"num_vars": len(self.varied), "names": list(self.varied), "bounds": [list(b) for b in self.bounds]}

    def labels(self) -> dict[str, str]:
        """Each varied context's label for people (from the data package)."""
        return {k: self.base.theory.contexts[k].label for k in self.varied}


def space(base: Inputs, held: Iterable[str] = ()) -> Space:
    """The space around ``base``: numeric contexts vary over their range, except those ``held``
    (checked names), choices, and partner-level contexts the base sets for every partner."""
    theory = base.theory
    held_keys = {check_name("context", str(k), theory.contexts, "contexts") for k in held}
    per_partner = set.intersection(*(set(o) for o in base.partner_overrides)) \
        if len(base.partner_overrides) == base.partners else set()
    varied, bounds, kept = [], [], []
    for key, ctx in theory.contexts.items():
        if ctx.kind != "number" or key in held_keys or key in per_partner or ctx.minimum == ctx.maximum:
            kept.append(key)
        else:
            varied.append(key)
            bounds.append((float(ctx.minimum), float(ctx.maximum)))
    if not varied:
        raise IockitError("--set", ", ".join(sorted(held_keys)), "at least one context left to vary")
    return Space(base, tuple(varied), tuple(bounds), tuple(kept))


# --- the plan ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    """How to analyse: ``samples`` is Morris' number of trajectories r, or Sobol's base sample N (a
    power of two); ``runs`` the ensemble per parameter set; ``month`` 1-based, None for the last."""

    method: str = "morris"
    samples: int | None = None
    runs: int = 200
    seed: int = 0
    month: int | None = None
    second_order: bool = False

    def __post_init__(self) -> None:
        method = check_name("--method", str(self.method), METHODS, "sensitivity --help")
        object.__setattr__(self, "method", method)
        samples = DEFAULT_SAMPLES[method] if self.samples is None else self.samples
        object.__setattr__(self, "samples", _check_samples(method, samples))
        object.__setattr__(self, "runs", check_count("runs", self.runs))
        object.__setattr__(self, "seed", check_seed(self.seed))
        if self.second_order and method != "sobol":
            raise IockitError("--second-order", "morris", "second-order indices with --method sobol only")

    def month_index(self, months: int) -> int:
        """The 0-based month the outcome is read at, checked against the simulation's ``months``."""
        if self.month is None:
            return months - 1
        m = self.month
        if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 1 <= m <= months:
            raise IockitError("--month", m, f"a month from 1 to {months} (the simulation's length)")
        return int(m) - 1

    def sets(self, varied: int) -> int:
        """How many parameter sets the plan evaluates over ``varied`` contexts."""
        if self.method == "morris":
            return (varied + 1) * self.samples
        return self.samples * ((2 * varied + 2) if self.second_order else (varied + 2))


def _check_samples(method: str, n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise IockitError("--samples", n, "a whole number")
    n = int(n)
    if method == "morris" and not 2 <= n <= MAX_SAMPLES:
        raise IockitError("--samples", n, f"a number of Morris trajectories from 2 to {MAX_SAMPLES}")
    if method == "sobol" and (n < 2 or n > MAX_SAMPLES or n & (n - 1)):
        raise IockitError("--samples", n, f"a power of two from 2 to {MAX_SAMPLES} for Sobol (e.g. 256, 1024)")
    return n


def check_outcome(name: str) -> str:
    """An output column of ``iockit simulate`` that the analysis can read."""
    return check_name("--outcome", str(name), OUTCOMES, "simulate --format csv")


# --- sampling and analysis (SALib) ------------------------------------------------------------------------------

def design(sp: Space, plan: Plan) -> np.ndarray:
    """The parameter sets (one row each, columns in ``sp.varied`` order), SALib's sample for the plan."""
    _need_salib()
    problem = sp.problem()
    if plan.method == "morris":
        from SALib.sample import morris

        return morris.sample(problem, plan.samples, num_levels=MORRIS_LEVELS, seed=plan.seed)
    from SALib.sample import sobol

    return sobol.sample(problem, plan.samples, calc_second_order=plan.second_order, scramble=True, seed=plan.seed)


@dataclass(frozen=True)
class Report:
    """The indices of one outcome: one row per varied context (``rows()``, the CLI's output)."""

    method: str
    outcome: str
    month: int                                  # 1-based
    samples: int
    runs: int
    seed: int
    sets: int                                   # parameter sets evaluated
    contexts: tuple[str, ...]                   # the varied contexts, in registry order
    held: tuple[str, ...]
    indices: Mapping[str, tuple[float, ...]]    # column -> one value per varied context
    pairs: tuple[dict[str, Any], ...] = ()      # second-order pairs (Sobol with second_order)
    undefined: int = 0                          # parameter sets with no active run at the month
    labels: Mapping[str, str] = field(default_factory=dict)
    constant: bool = False                      # the outcome took one value in every parameter set

    @property
    def key_index(self) -> str:
        """The index that ranks the contexts: mu_star (Morris) or ST (Sobol)."""
        return "mu_star" if self.method == "morris" else "ST"

    def rows(self) -> list[dict[str, Any]]:
        """One row per varied context, most influential first; then the second-order pairs, if any
        (``context, other, S2, S2_conf``; the other columns empty, and empty in the context rows)."""
        cols = COLUMNS[self.method][1:]
        rows = [{"context": k, **{c: _plain(self.indices[c][i]) for c in cols}} for i, k in enumerate(self.contexts)]
        rows.sort(key=lambda r: -_finite(r[self.key_index]))
        if not self.pairs:
            return rows
        blank = dict.fromkeys(PAIR_COLUMNS)
        return [{**r, **blank} for r in rows] + [{"context": p["context"], **dict.fromkeys(cols), **p}
                                                 for p in self.pairs]

    def columns(self) -> tuple[str, ...]:
        return COLUMNS[self.method] + (PAIR_COLUMNS if self.pairs else ())

    def as_dict(self) -> dict[str, Any]:
        """Everything, as plain JSON values (the shipped results for the dashboard)."""
        return {"method": self.method, "outcome": self.outcome, "month": self.month, "samples": self.samples,
                "runs": self.runs, "seed": self.seed, "sets": self.sets, "held": list(self.held),
                "undefined": self.undefined, "constant": self.constant, "rows": self.rows()}


def _finite(x: float | None) -> float:
    return float(x) if x is not None and np.isfinite(x) else -np.inf


def _plain(x: float) -> float | None:
    """A number for JSON: NaN (an index SALib could not estimate) becomes None."""
    return float(x) if np.isfinite(x) else None


def analyse(sp: Space, plan: Plan, x: np.ndarray, y: np.ndarray, outcome: str, undefined: int = 0) -> Report:
    """SALib's analysis of the outcome values ``y`` (one per row of ``x``)."""
    _need_salib()
    problem = sp.problem()
    pairs: tuple[dict[str, Any], ...] = ()
    with warnings.catch_warnings():  # SALib warns of a constant outcome; the report says it (constant)
        warnings.simplefilter("ignore", UserWarning)
        if plan.method == "morris":
            from SALib.analyze import morris

            res = morris.analyze(problem, x, y, num_levels=MORRIS_LEVELS, seed=plan.seed)
        else:
            from SALib.analyze import sobol

            res = sobol.analyze(problem, y, calc_second_order=plan.second_order, seed=plan.seed)
        if plan.method == "sobol" and plan.second_order:
            pairs = _pairs(sp.varied, res["S2"], res["S2_conf"])
    cols = COLUMNS[plan.method][1:]
    indices = {c: tuple(float(v) for v in np.asarray(res[c], dtype=float)) for c in cols}
    month = plan.month_index(sp.base.months) + 1
    return Report(plan.method, outcome, month, plan.samples, plan.runs, plan.seed, len(y), sp.varied, sp.held,
                  indices, pairs, undefined, sp.labels(), bool(np.ptp(y) == 0))


def _pairs(names: Sequence[str], s2: np.ndarray, conf: np.ndarray) -> tuple[dict[str, Any], ...]:
    out = [{"context": a, "other": names[j], "S2": _plain(s2[i, j]), "S2_conf": _plain(conf[i, j])}
           for i, a in enumerate(names) for j in range(i + 1, len(names))]
    out.sort(key=lambda p: -_finite(p["S2"]))
    return tuple(out)


# --- the whole analysis ---------------------------------------------------------------------------------------

def sensitivity_many(base: Inputs, plan: Plan, outcomes: Sequence[str], held: Iterable[str] = (), *,
                     where: Mapping[str, Any] | None = None,
                     progress: Callable[[int, int], None] | None = None) -> dict[str, Report]:
    """One evaluation, one :class:`Report` per outcome. ``where``: how to evaluate (``workers=N`` for a
    local Dask cluster, ``scheduler=ADDRESS`` for an existing one, ``chunk_size``; default in-process);
    ``progress(done, total)`` is called as chunks finish."""
    names = [check_outcome(o) for o in outcomes]
    sp = space(base, held)
    task = Task.around(base, sp.varied, names, plan.month_index(base.months), plan.runs, plan.seed)
    x = design(sp, plan)
    y = evaluate(task, x, progress=progress, **dict(where or {}))
    reports = {}
    for k, name in enumerate(names):
        col = y[:, k]
        bad = ~np.isfinite(col)
        reports[name] = analyse(sp, plan, x, np.where(bad, 0.0, col), name, int(bad.sum()))
    return reports


def sensitivity(base: Inputs, plan: Plan, outcome: str, held: Iterable[str] = (), *,
                where: Mapping[str, Any] | None = None, progress: Callable[[int, int], None] | None = None) -> Report:
    """The indices of one outcome (see :func:`sensitivity_many`). Where an outcome is undefined for a
    parameter set (``synergy_active`` when no run is still active), it counts as 0 and the
    report's ``undefined`` says how many sets that was."""
    return sensitivity_many(base, plan, [outcome], held, where=where, progress=progress)[check_outcome(outcome)]


# --- the results shipped for the presets -----------------------------------------------------------------------

def check_point(base: Inputs, outcomes: Sequence[str] = SHIPPED_OUTCOMES) -> dict[str, float | None]:
    """The outcomes of a small ensemble at ``base`` (20 runs, seed 0, last month): stored beside the
    shipped results, so a test can tell when the model changed and they must be made again."""
    from .evaluate import outcome_values
    from .model import run

    values = outcome_values(run(base.replace(runs=20, seed=0)), outcomes, base.months - 1)
    return {o: _plain(v) for o, v in zip(outcomes, values, strict=True)}


def precomputed_names() -> list[str]:
    """The fixed points with shipped results: ``defaults`` and the preset names."""
    folder = resources.files("iockit") / PRECOMPUTED
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json")) if folder.is_dir() else []


def load_precomputed(name: str) -> dict[str, Any]:
    """The shipped results for ``name`` (``defaults`` or a preset): ``{"scenario", "check",
    "results": {method: {outcome: Report.as_dict()}}}``, written by ``scripts/make_sensitivity.py``."""
    key = check_name("scenario", name, precomputed_names(), "scenarios")
    text = (resources.files("iockit") / PRECOMPUTED / f"{key}.json").read_text(encoding="utf-8")
    return json.loads(text)
