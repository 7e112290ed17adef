"""Fidelity to the review: for every CMOC the model encodes, moving its context from low to high
(everything else at defaults) must move its mechanism and outcome the way the review states.

The expectations are data (``datasets/encoding.csv``): which CMOC a model term encodes, how to move
its context, and the direction each variable must take. Each check compares two ensembles run with
the same seed (common random numbers), averaged over runs and months (for ``dissolved``: the share
dissolved by the last month).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import IockitError
from ..records import Encoding
from ..theory import load_theory
from .model import Result, simulate

CHECK_MONTHS = 24
TOLERANCE = 1e-3  # a smaller change counts as no change: the check fails


@dataclass(frozen=True)
class Check:
    encoding: Encoding
    mechanism_change: float | None
    outcome_change: float

    @staticmethod
    def _ok(change: float | None, effect: str) -> bool:
        if not effect or change is None:
            return True
        return change > TOLERANCE if effect == "+" else change < -TOLERANCE

    @property
    def passed(self) -> bool:
        e = self.encoding
        return self._ok(self.mechanism_change, e.mechanism_effect) and self._ok(self.outcome_change, e.outcome_effect)

    def as_record(self) -> dict[str, object]:
        e = self.encoding
        return {
            "cmoc": e.cmoc, "terms": list(e.model_terms),
            "move": f"{e.check_context} {e.check_low:g} -> {e.check_high:g}" + (f" (with {_base_text(e.check_base)})" if e.check_base else ""),
            "mechanism": f"{e.mechanism_variable} {e.mechanism_effect} ({self.mechanism_change:+.3f})" if e.mechanism_effect else "",
            "outcome": f"{e.outcome_variable} {e.outcome_effect} ({self.outcome_change:+.3f})",
            "result": "pass" if self.passed else "FAIL",
        }


def _base_text(base: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in base.items())


def load_encoding() -> list[Encoding]:
    """Every row of the encoding table, from the loaded theory."""
    return list(load_theory().encoding.values())


def _run(e: Encoding, value: float, runs: int, seed: int) -> Result:
    contexts: dict[str, object] = dict(e.check_base)
    initial: dict[str, float] = {}
    if e.check_context.startswith("initial:"):
        initial[e.check_context.split(":", 1)[1]] = value
    else:
        contexts[e.check_context] = value
    return simulate(contexts, months=CHECK_MONTHS, runs=runs, seed=seed, initial=initial)


def _measure(result: Result, variable: str) -> float:
    if variable == "dissolved":
        return float(result.series["dissolved"][:, -1].mean())
    return float(result.series[variable].mean())


def check_cmoc(e: Encoding, runs: int = 200, seed: int = 0) -> Check:
    if not e.encoded or e.check_low is None or e.check_high is None:
        raise IockitError("cmoc", e.cmoc, "a CMOC the model encodes (see `iockit fidelity`)")
    low, high = _run(e, e.check_low, runs, seed), _run(e, e.check_high, runs, seed)
    mech = None
    if e.mechanism_variable:
        mech = _measure(high, e.mechanism_variable) - _measure(low, e.mechanism_variable)
    out = _measure(high, e.outcome_variable) - _measure(low, e.outcome_variable)
    return Check(e, mech, out)


@dataclass(frozen=True)
class FidelityReport:
    checks: list[Check]
    not_encoded: list[Encoding]
    table3_total: int
    table3_encoded: int

    @property
    def coverage(self) -> float:
        return self.table3_encoded / self.table3_total

    @property
    def all_passed(self) -> bool:
        return all(c.passed for c in self.checks)


def fidelity(runs: int = 200, seed: int = 0) -> FidelityReport:
    """Run every fidelity check (>= 200 runs each, fixed seed)."""
    encodings = load_encoding()
    checks = [check_cmoc(e, runs, seed) for e in encodings if e.encoded]
    t3 = [e for e in encodings if e.cmoc.startswith("T3-")]
    return FidelityReport(checks, [e for e in encodings if not e.encoded], len(t3), sum(e.encoded for e in t3))
