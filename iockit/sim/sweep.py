"""One-at-a-time sweeps: move one context over its range, everything else as given, and read what a
class would see at one month (``iockit sweep KEY``).

Built on :func:`~iockit.sim.model.simulate` and the arrays of its :class:`~iockit.sim.model.Result`
only. Every value of the sweep runs with the same seed (common random numbers), so differences
between rows come from the context, not from noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import contexts as ctxreg
from ..errors import IockitError
from .model import Result, simulate

#: The columns of a sweep row, in order, after the swept value.
COLUMNS = ("trust", "confidence", "conflict", "synergy_active", "inertia_active", "active", "dissolved")
#: Also measured for each value (the calibration patterns read them), not printed by default.
EXTRA = ("faith", "progress", "achievement", "performance", "synergy", "inertia")
MAX_STEPS = 101


def sweep_values(key: str, steps: int = 11) -> list[float | str]:
    """``steps`` evenly spaced values over the context's range (every choice, for a choice context)."""
    ctx = ctxreg.check_key(key, "key")
    if ctx.kind == "choice":
        return list(ctxreg.choices(ctx.key))
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or not 2 <= steps <= MAX_STEPS:
        raise IockitError("steps", steps, f"a whole number from 2 to {MAX_STEPS}")
    return [round(float(v), 10) for v in np.linspace(ctx.minimum, ctx.maximum, int(steps))]


def survivors(result: Result, month: int | None = None) -> dict[str, float | None]:
    """At ``month`` (1-based; default the last): the share of runs still active and the mean synergy
    and inertia of those runs (None when none is active): :meth:`Result.active` and
    :meth:`Result.mean_active`."""
    m = _month_index(result, month)
    out: dict[str, float | None] = {"active": float(result.active()[m])}
    for v in ("synergy", "inertia"):
        value = result.mean_active(v)[m]
        out[f"{v}_active"] = None if np.isnan(value) else float(value)
    return out


def _month_index(result: Result, month: int | None) -> int:
    if month is None:
        return result.months - 1
    if isinstance(month, bool) or not isinstance(month, (int, np.integer)) or not 1 <= month <= result.months:
        raise IockitError("month", month, f"a whole number from 1 to {result.months} (the months simulated)")
    return int(month) - 1


def summarise(result: Result, month: int | None = None) -> dict[str, float | None]:
    """One sweep row's measurements (without the swept value): ensemble means at ``month`` of trust,
    confidence, conflict (and :data:`EXTRA`), the survivors' synergy and inertia, and the shares
    active and dissolved."""
    m = _month_index(result, month)
    row: dict[str, float | None] = {v: float(result.series[v][:, m].mean())
                                    for v in ("trust", "confidence", "conflict")}
    row.update(survivors(result, month))
    row["dissolved"] = float(result.series["dissolved"][:, m].mean())
    row.update({v: float(result.series[v][:, m].mean()) for v in EXTRA})
    return {k: row[k] for k in (*COLUMNS, *EXTRA)}


def _base_kwargs(base: Mapping[str, Any] | None, key: str, value: float | str) -> dict[str, Any]:
    kw: dict[str, Any] = {k: v for k, v in (base or {}).items()}
    contexts = dict(kw.get("contexts") or {})
    contexts[key] = value
    kw["contexts"] = contexts
    overrides = kw.get("partner_overrides")
    if overrides:
        # a partner-level context swept moves every partner: drop the partners' own values of it
        kw["partner_overrides"] = [{k: v for k, v in o.items() if k != key} for o in overrides]
    return kw


def sweep_results(key: str, steps: int = 11, base: Mapping[str, Any] | None = None, runs: int = 200,
                  seed: int = 0) -> list[tuple[float | str, Result]]:
    """The value and the :class:`Result` for each value of the sweep.

    ``base`` holds :func:`simulate`'s keyword arguments (``contexts``, ``partners``,
    ``partner_overrides``, ``initial``, ``months``), e.g. a scenario's ``simulate_kwargs()``.
    """
    ctx = ctxreg.check_key(key, "key")
    base = dict(base or {})
    for name in ("runs", "seed"):
        base.pop(name, None)
    return [(v, simulate(runs=runs, seed=seed, **_base_kwargs(base, ctx.key, v)))
            for v in sweep_values(ctx.key, steps)]


def sweep(key: str, steps: int = 11, base: Mapping[str, Any] | None = None, runs: int = 200, seed: int = 0,
          month: int | None = None) -> list[dict[str, Any]]:
    """One row per value of ``key``: the value, then :data:`COLUMNS` and :data:`EXTRA` at ``month``."""
    ctx = ctxreg.check_key(key, "key")
    out = []
    for value, result in sweep_results(ctx.key, steps, base, runs, seed):
        _month_index(result, month)
        out.append({ctx.key: value, **summarise(result, month)})
    return out
