"""One-at-a-time sweeps: move one context over its range, everything else as given, and read what a
class would see at one month (``iockit sweep KEY``).

Built on the simulator's public entry points (:func:`~iockit.sim.model.run` with an
:class:`~iockit.sim.inputs.Inputs`) and the arrays of its :class:`~iockit.sim.model.Result` only.
Every value of the sweep runs with the same seed (common random numbers), so differences between
rows come from the context, not from noise.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import IockitError
from ..lookup import check_name
from ..theory import Theory, load_theory
from .inputs import Inputs
from .model import Result, run

#: The columns of a sweep row, in order, after the swept value.
COLUMNS = ("trust", "confidence", "conflict", "synergy_active", "inertia_active", "active", "dissolved")
#: Also measured for each value (the calibration patterns read them), not printed by the CLI's table.
EXTRA = ("faith", "progress", "achievement", "performance", "synergy", "inertia")
MAX_STEPS = 101


def context_key(key: str, theory: Theory | None = None) -> str:
    """The canonical name of a context (case and spaces forgiven), or one clear error."""
    theory = theory or load_theory()
    return check_name("key", str(key), theory.contexts, "contexts")


def sweep_values(key: str, steps: int = 11, theory: Theory | None = None) -> list[float | str]:
    """``steps`` evenly spaced values over the context's range (every choice, for a choice context)."""
    theory = theory or load_theory()
    ctx = theory.contexts[context_key(key, theory)]
    if ctx.kind == "choice":
        return list(ctx.choices)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or not 2 <= steps <= MAX_STEPS:
        raise IockitError("steps", steps, f"a whole number from 2 to {MAX_STEPS}")
    return [round(float(v), 10) for v in np.linspace(ctx.minimum, ctx.maximum, int(steps))]


def _month_index(result: Result, month: int | None) -> int:
    if month is None:
        return result.months - 1
    if isinstance(month, bool) or not isinstance(month, (int, np.integer)) or not 1 <= month <= result.months:
        raise IockitError("month", month, f"a whole number from 1 to {result.months} (the months simulated)")
    return int(month) - 1


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


def summarise(result: Result, month: int | None = None) -> dict[str, float | None]:
    """One sweep row's measurements (without the swept value): ensemble means at ``month`` of trust,
    confidence, conflict (and :data:`EXTRA`), the survivors' synergy and inertia, and the shares
    active and dissolved."""
    m = _month_index(result, month)
    row: dict[str, float | None] = {v: float(result.series[v][:, m].mean()) for v in ("trust", "confidence", "conflict")}
    row.update(survivors(result, month))
    row["dissolved"] = float(result.series["dissolved"][:, m].mean())
    row.update({v: float(result.series[v][:, m].mean()) for v in EXTRA})
    return {k: row[k] for k in (*COLUMNS, *EXTRA)}


def with_value(inputs: Inputs, key: str, value: float | str) -> Inputs:
    """``inputs`` with one context set; a partner-level context set this way moves every partner (the
    partners' own values of it are dropped)."""
    overrides = [{k: v for k, v in o.items() if k != key} for o in inputs.partner_overrides]
    return inputs.replace(contexts={key: value}, partner_overrides=tuple(overrides))


def sweep_runs(key: str, inputs: Inputs, steps: int = 11) -> list[tuple[float | str, Result]]:
    """The value and the :class:`Result` for each value of the sweep, from ``inputs``."""
    name = context_key(key, inputs.theory)
    return [(v, run(with_value(inputs, name, v))) for v in sweep_values(name, steps, inputs.theory)]


def sweep_inputs(key: str, inputs: Inputs, steps: int = 11, month: int | None = None) -> list[dict[str, Any]]:
    """One row per value of ``key``: the value, then :data:`COLUMNS` and :data:`EXTRA` at ``month``."""
    name = context_key(key, inputs.theory)
    if month is not None:
        _month_index(run(inputs.replace(runs=1)), month)  # a month outside the run: refused before the work
    return [{name: value, **summarise(result, month)} for value, result in sweep_runs(name, inputs, steps)]


def sweep(key: str, steps: int = 11, inputs: Inputs | None = None, month: int | None = None) -> list[dict[str, Any]]:
    """:func:`sweep_inputs` from ``inputs`` (default: the data package's defaults, 200 runs, seed 0), e.g.
    a preset's ``load_preset(name).inputs(runs=1000)``."""
    return sweep_inputs(key, inputs if inputs is not None else Inputs(), steps, month)
