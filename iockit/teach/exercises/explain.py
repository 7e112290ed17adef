"""Which CMOCs explain a change a learner made, read from the encoding table (``datasets/encoding.csv``,
:attr:`iockit.theory.Theory.encoding`) rather than from a list per exercise.

Each encoded CMOC says how the model tests it: its context moved from ``check_low`` to ``check_high``
and the way its mechanism and outcome then go. A CMOC explains a learner's change of the same context
when

1. its tested span matches the span the learner moved (most closely among that context's CMOCs: where
   the review states one effect for unambitious aims and another for overambitious ones, moving from
   realistic to overambitious is explained by the overambition rows, not by the unambitious ones), and
2. followed in the direction the learner moved (a row tested from high to low is read backwards), it
   moves the measure the way the simulation showed. A row whose variables are not the measure reaches
   it through the variables other rows tie together (conflict lowers trust in T3-26, and so on).
"""

from __future__ import annotations

import functools
from collections import deque
from dataclasses import dataclass

from ...records import Encoding
from ...theory import load_theory

#: A row fits a span when its overlap with it is at least this share of the closest row's overlap.
CLOSEST = 0.75


def _rows(context: str) -> list[Encoding]:
    return [e for e in load_theory().encoding.values() if e.encoded and e.check_low is not None
            and e.check_high is not None and e.check_context in (context, f"initial:{context}")]


def overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """How alike two spans of a context are (shared length over joint length, 0 to 1), whatever their direction."""
    (a0, a1), (b0, b1) = sorted(a), sorted(b)
    shared = max(0.0, min(a1, b1) - max(a0, b0))
    joint = max(a1, b1) - min(a0, b0)
    return shared / joint if joint > 0 else float(a0 == b0)


@functools.lru_cache(maxsize=1)
def _ties() -> dict[str, dict[str, int]]:
    """Variables the encoding says move together (+1) or against each other (-1), from each row's
    mechanism and outcome (and, for a row that starts from a variable's initial value, that variable)."""
    ties: dict[str, dict[str, int]] = {}

    def tie(a: str, b: str, sign: int) -> None:
        if a and b and a != b:
            ties.setdefault(a, {})[b] = sign
            ties.setdefault(b, {})[a] = sign

    for e in load_theory().encoding.values():
        if not e.encoded:
            continue
        m, o = _effect(e.mechanism_effect), _effect(e.outcome_effect)
        if m and o:
            tie(e.mechanism_variable, e.outcome_variable, m * o)
        if e.check_context.startswith("initial:"):
            start = e.check_context.split(":", 1)[1]
            for var, eff in ((e.mechanism_variable, m), (e.outcome_variable, o)):
                if eff:
                    tie(start, var, eff)
                    break
    return ties


def _effect(text: str) -> int:
    return {"+": 1, "-": -1}.get(text, 0)


def tie_sign(a: str, b: str) -> tuple[int | None, int]:
    """How ``b`` moves when ``a`` rises, along the shortest chain of tied variables (1, -1, or 0 when
    chains of that length disagree; None when no chain joins them), and the chain's length."""
    if a == b:
        return 1, 0
    ties = _ties()
    signs: dict[str, set[int]] = {a: {1}}
    frontier, depth = deque([a]), 0
    while frontier and b not in signs:
        depth += 1
        layer: dict[str, set[int]] = {}
        for _ in range(len(frontier)):
            node = frontier.popleft()
            for nxt, s in ties.get(node, {}).items():
                if nxt not in signs:
                    layer.setdefault(nxt, set()).update(x * s for x in signs[node])
        signs.update(layer)
        frontier.extend(layer)
    if b not in signs:
        return None, depth
    return (signs[b].pop() if len(signs[b]) == 1 else 0), depth


def effect_on(e: Encoding, measure: str, low: float, high: float) -> tuple[int | None, int]:
    """How ``measure`` moves, by this row, when its context goes from ``low`` to ``high`` (1, -1, 0 when
    the chains disagree, None when the row does not reach it), and through how many tied variables."""
    assert e.check_low is not None and e.check_high is not None
    flip = 1 if (e.check_high - e.check_low) * (high - low) > 0 else -1
    found: list[tuple[int, int]] = []
    for var, eff in ((e.outcome_variable, e.outcome_effect), (e.mechanism_variable, e.mechanism_effect)):
        if var and _effect(eff):
            sign, depth = tie_sign(var, measure)
            if sign is not None:
                found.append((depth, flip * _effect(eff) * sign))
    if not found:
        return None, 99
    depth, sign = min(found)
    return sign, depth


@dataclass(frozen=True)
class ExplainKey:
    """The CMOCs that explain a change: ``core`` (the closest to the measure: a learner names at least
    one) and ``also`` (reaching it through more variables); the other CMOCs of the same context, with
    the span they hold for (``other_span``) or the way they would move the measure (``other_way``)."""

    core: tuple[str, ...]
    also: tuple[str, ...]
    other_span: dict[str, tuple[float, float]]
    other_way: dict[str, int]

    @property
    def right(self) -> tuple[str, ...]:
        return self.core + self.also


def explain_key(context: str, low: float, high: float, measure: str, observed: int | None = None) -> ExplainKey:
    """The CMOCs that explain moving ``context`` from ``low`` to ``high`` when ``measure`` moved the
    way ``observed`` says (1 up, -1 down; None or 0: not known, every fitting row counts)."""
    rows = _rows(context)
    fit = {e.cmoc: overlap((e.check_low, e.check_high), (low, high)) for e in rows}  # type: ignore[arg-type]
    best = max(fit.values(), default=0.0)
    right: dict[str, int] = {}
    other_span: dict[str, tuple[float, float]] = {}
    other_way: dict[str, int] = {}
    for e in rows:
        if best == 0 or fit[e.cmoc] < CLOSEST * best:
            other_span[e.cmoc] = (e.check_low, e.check_high)  # type: ignore[assignment]
            continue
        sign, depth = effect_on(e, measure, low, high)
        if not observed or sign in (None, 0) or sign == observed:
            right[e.cmoc] = depth
        else:
            other_way[e.cmoc] = sign
    nearest = min(right.values(), default=0)
    core = tuple(sorted(i for i, d in right.items() if d == nearest))
    also = tuple(sorted(i for i, d in right.items() if d != nearest))
    return ExplainKey(core, also, other_span, other_way)
