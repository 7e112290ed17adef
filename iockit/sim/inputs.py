"""One checked value for a simulation's inputs: contexts, partners, per-partner overrides, the
initial state, months, runs and seed.

:class:`Inputs` is immutable and its construction is the check: every way into the simulator (the
CLI's ``--set``, scenario files, share links, exercises and the dashboards) builds one, so one rule
decides what is allowed. Numbers written as text must be plain ASCII decimals (``0.9``, ``.5``,
``1e-3``); a context given twice (also under another spelling of its name) is refused; nothing is
clamped. The contexts are held complete: the data package's defaults, updated with what was given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ..errors import IockitError
from ..lookup import check_name
from ..theory import Theory, load_theory

LIMITS = {"months": (1, 240), "runs": (1, 100_000), "partners": (2, 12)}
INITIAL = ("trust", "faith", "confidence", "conflict")  # states a learner may set at month 0


def check_count(name: str, value: object) -> int:
    """``months``, ``runs`` or ``partners``, checked against :data:`LIMITS`."""
    lo, hi = LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= int(value) <= hi:
        raise IockitError(name, value, f"a whole number from {lo} to {hi}")
    return int(value)


def check_seed(value: object, field_name: str = "seed") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise IockitError(field_name, value, "a whole number >= 0")
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


def _pairs(given: object, field_name: str) -> list[tuple[Any, Any]]:
    if given is None:
        return []
    if isinstance(given, Mapping):
        return list(given.items())
    if isinstance(given, (list, tuple)) and all(isinstance(p, tuple) and len(p) == 2 for p in given):
        return list(given)
    raise IockitError(field_name, given, "a mapping of context keys to values")


def check_contexts(given: object, theory: Theory, prefix: str = "",
                   only_partner_level: bool = False) -> dict[str, float | str]:
    """The contexts ``given`` (a mapping, or (key, value) pairs in the order typed), each key and value
    checked, none twice; returned with canonical keys, only those given."""
    out: dict[str, float | str] = {}
    for key, value in _pairs(given, prefix.rstrip(".") or "contexts"):
        name = check_name(f"{prefix}context", str(key), theory.contexts, "contexts")
        ctx = theory.contexts[name]
        if name in out:
            raise IockitError(f"{prefix}{name}", key, "each context once", f"{name} is already set")
        if only_partner_level and not ctx.partner_level:
            level = ", ".join(k for k, c in theory.contexts.items() if c.partner_level)
            raise IockitError(f"{prefix}{name}", value, "a partner-level context: " + level)
        out[name] = ctx.check(value, f"{prefix}{name}")
    return out


def check_overrides(overrides: object, partners: int, theory: Theory) -> tuple[dict[str, float], ...]:
    """Per-partner contexts: a list of mappings, one per partner (``p1``, ``p2``, ...), partner-level
    keys only; trailing empty sets are dropped (they change nothing)."""
    if overrides is None:
        return ()
    if not isinstance(overrides, (list, tuple)) or not all(isinstance(o, Mapping) for o in overrides):
        raise IockitError("partner_overrides", overrides, "a list of mappings, one per partner")
    if len(overrides) > partners:
        raise IockitError("partner_overrides", len(overrides), f"at most one override set per partner ({partners})")
    out = [{k: float(v) for k, v in check_contexts(o, theory, f"p{i + 1}.", True).items()}
           for i, o in enumerate(overrides)]
    while out and not out[-1]:
        out.pop()
    return tuple(out)


@dataclass(frozen=True)
class Inputs:
    """What a simulation is run with, checked on construction (see the module docstring)."""

    contexts: Mapping[str, Any] = field(default_factory=dict)
    partners: int = 2
    partner_overrides: tuple[Mapping[str, float], ...] = ()
    initial: Mapping[str, float] = field(default_factory=dict)
    months: int = 36
    runs: int = 200
    seed: int = 0
    theory: Theory | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        theory = self.theory if self.theory is not None else load_theory()
        full = {k: c.default for k, c in theory.contexts.items()}
        full.update(check_contexts(self.contexts, theory))
        partners = check_count("partners", self.partners)
        checked = {
            "theory": theory, "contexts": MappingProxyType(full), "partners": partners,
            "partner_overrides": tuple(MappingProxyType(o) for o in
                                       check_overrides(self.partner_overrides, partners, theory)),
            "initial": MappingProxyType(check_initial(self.initial if self.initial is not None else {})),
            "months": check_count("months", self.months), "runs": check_count("runs", self.runs),
            "seed": check_seed(self.seed),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def replace(self, **changes: Any) -> Inputs:
        """A new value with ``changes``, checked again; ``contexts`` given here update the current ones."""
        if "contexts" in changes:
            merged = dict(self.contexts)
            merged.update(check_contexts(changes["contexts"], self.theory))
            changes["contexts"] = merged
        return dataclasses.replace(self, **changes)

    def changed(self) -> dict[str, float | str]:
        """The contexts that differ from the data package's defaults."""
        return {k: v for k, v in self.contexts.items() if v != self.theory.contexts[k].default}

    def partner_contexts(self) -> list[dict[str, float]]:
        """Partner-level contexts of each organisation: the shared value, or the partner's own."""
        level = [k for k, c in self.theory.contexts.items() if c.partner_level]
        out = [{k: float(self.contexts[k]) for k in level} for _ in range(self.partners)]
        for i, over in enumerate(self.partner_overrides):
            out[i].update(over)
        return out
