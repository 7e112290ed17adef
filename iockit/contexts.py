"""The context registry: the simulator's inputs, read from ``datasets/contexts.csv``.

One source for the CLI (``iockit contexts``, ``--set``), the dashboard sliders and the docs: key,
label, group, range, default, the words for each end, and whether a partner can override it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ._data import read_rows, resolve_package_dir, split_list
from .errors import IockitError
from .lookup import check_name


@dataclass(frozen=True)
class Context:
    key: str
    label: str
    group: str
    kind: str  # "number" or "choice"
    minimum: float
    maximum: float
    default: float | str
    low_label: str
    high_label: str
    partner_level: bool
    description: str
    references: tuple[int, ...]

    @property
    def allowed(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(choices(self.key))
        return f"a number from {self.minimum:g} ({self.low_label}) to {self.maximum:g} ({self.high_label})"

    def check(self, value: object, field: str | None = None) -> float | str:
        """The value, checked: never clamped, never silently converted."""
        field = field or self.key
        if self.kind == "choice":
            if not isinstance(value, str):
                raise IockitError(field, value, self.allowed)
            return check_name(field, value, choices(self.key), "entry points")
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise IockitError(field, value, self.allowed)
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                raise IockitError(field, value, self.allowed) from None
        else:
            number = float(value)
        if not math.isfinite(number) or not self.minimum <= number <= self.maximum:
            raise IockitError(field, value, self.allowed)
        return number


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    order: int


@lru_cache(maxsize=1)
def _registry() -> tuple[dict[str, Context], tuple[Group, ...], dict[str, tuple[str, ...]]]:
    base = resolve_package_dir(None)
    _, rows = read_rows(base / "contexts.csv")
    ctx = {}
    for r in rows:
        number = r["kind"] == "number"
        ctx[r["key"]] = Context(
            r["key"], r["label"], r["group"], r["kind"],
            float(r["minimum"]) if number else 0.0, float(r["maximum"]) if number else 0.0,
            float(r["default"]) if number else r["default"], r["low_label"], r["high_label"],
            r["partner_level"] == "yes", r["description"], tuple(int(x) for x in split_list(r["references"])),
        )
    _, grows = read_rows(base / "context_groups.csv")
    groups = tuple(sorted((Group(g["key"], g["label"], int(g["order"])) for g in grows), key=lambda g: g.order))
    _, eps = read_rows(base / "entry_points.csv")
    return ctx, groups, {"entry_point": tuple(e["key"] for e in eps)}


def registry() -> dict[str, Context]:
    """Every context, keyed, in registry order."""
    return dict(_registry()[0])


def groups() -> tuple[Group, ...]:
    return _registry()[1]


def choices(key: str) -> tuple[str, ...]:
    return _registry()[2].get(key, ())


def defaults() -> dict[str, float | str]:
    return {k: c.default for k, c in _registry()[0].items()}


def check_key(key: str, field: str = "context") -> Context:
    reg = _registry()[0]
    return reg[check_name(field, key, reg, "contexts")]


def resolve(overrides: Mapping[str, object] | None = None, field_prefix: str = "") -> dict[str, float | str]:
    """Defaults updated with ``overrides``, every key and value checked."""
    out = defaults()
    for key, value in (overrides or {}).items():
        ctx = check_key(str(key), f"{field_prefix}{key}" if field_prefix else "context")
        out[ctx.key] = ctx.check(value, f"{field_prefix}{ctx.key}")
    return out


def parse_assignment(text: str) -> tuple[str, str]:
    """``'shared_vision=0.8'`` -> ``('shared_vision', '0.8')`` (the CLI's ``--set``)."""
    if "=" not in text:
        raise IockitError("--set", text, "KEY=VALUE, for example shared_vision=0.8 (see `iockit contexts`)")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def context_records() -> list[dict[str, object]]:
    """Every context with its range, default and the CMOC ids it drives (the CMOCs the model encodes
    that name it as a context, or whose fidelity check moves it)."""
    from .sim.fidelity import load_encoding
    from .theory import load_theory

    theory = load_theory()
    encoded = {e.cmoc: e for e in load_encoding() if e.encoded}
    out = []
    for key, ctx in _registry()[0].items():
        ids = [cid for cid, cm in theory.cmocs.items() if cid in encoded
               and (key in cm.context_factors or encoded[cid].check_context == key)]
        out.append({"key": key, "label": ctx.label, "group": ctx.group, "allowed": ctx.allowed,
                    "default": ctx.default, "partner_level": ctx.partner_level,
                    "description": ctx.description, "references": list(ctx.references), "cmocs": ids})
    return out
