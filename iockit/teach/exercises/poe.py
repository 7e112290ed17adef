"""Predict, observe, explain: predict what changing one context does, observe it in the simulator,
explain it with the CMOCs that carry the effect. The items are ``iockit/teach/poe.yaml``; which CMOCs
explain each item's change is read from the encoding table (:mod:`.explain`), following the span and
the direction of the change, not listed per item. The model's CMOCs are shown only once a learner
has checked an explanation."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...errors import IockitError
from ...lookup import check_name, normalise_key
from ...theory import load_theory
from .common import Feedback, _cmoc, _order, cmoc_line, read_teaching_yaml
from .explain import ExplainKey, explain_key

if TYPE_CHECKING:
    from ...sim.inputs import Inputs

PREDICTIONS = ("rises", "falls", "stays about the same")
SAME = 0.03  # a change smaller than this (on the 0-1 scale) counts as "about the same"
MEASURES = {"trust": "mean trust", "faith": "mean faith", "confidence": "mean confidence",
            "synergy": "mean partnership synergy", "inertia": "mean collaborative inertia",
            "performance": "mean collaborative performance", "conflict": "mean conflict",
            "dissolved": "share of collaborations dissolved"}


@dataclass(frozen=True)
class PoeItem:
    id: str
    lesson: str
    scenario: str | None
    context: str
    low: float
    high: float
    measure: str
    month: int
    runs: int = 200
    seed: int = 0

    @property
    def explain(self) -> tuple[str, ...]:
        """The CMOCs that carry the change the simulation shows (from the encoding table)."""
        return key_for(self.id).right

    def question(self) -> str:
        from ... import contexts as ctxreg

        ctx = ctxreg.registry()[self.context]
        where = "a typical collaboration (every context at its default)"
        if self.scenario:
            from ...sim.scenarios import load_scenario

            where = f"the preset \u201c{load_scenario(self.scenario).title}\u201d"
        return (f"Start from {where}. If {ctx.label} changes from {self.low:g} ({_end(ctx, self.low)}) to "
                f"{self.high:g} ({_end(ctx, self.high)}), what happens to the {MEASURES[self.measure]} at month "
                f"{self.month}?")

    def inputs(self, value: float) -> Inputs:
        """The item's starting point with its context at ``value``, run for at least the item's months,
        with the item's ensemble (runs, seed). Partners' own values of that context are removed, so the
        change reaches every partner."""
        from ...sim.inputs import Inputs
        from ...sim.scenarios import load_scenario

        if not self.scenario:
            return Inputs({self.context: value}, months=max(self.month, 36), runs=self.runs, seed=self.seed)
        sc = load_scenario(self.scenario)
        overrides = tuple({k: v for k, v in o.items() if k != self.context} for o in sc.partner_overrides)
        return sc.inputs(months=max(self.month, sc.months if sc.months is not None else 36), runs=self.runs,
                         seed=self.seed, contexts={self.context: value}, partner_overrides=overrides)


def _end(ctx: Any, value: float) -> str:
    """The words for a value: the registry's words near either end, else 'mid-range'."""
    span = ctx.maximum - ctx.minimum
    if value <= ctx.minimum + 0.25 * span:
        return ctx.low_label
    if value >= ctx.maximum - 0.25 * span:
        return ctx.high_label
    return "mid-range"


@functools.lru_cache(maxsize=1)
def poe_items() -> dict[str, PoeItem]:
    from ... import contexts as ctxreg

    items = {}
    for row in read_teaching_yaml("poe.yaml")["items"]:
        item = PoeItem(row["id"], row["lesson"], row.get("scenario"), row["context"], float(row["low"]),
                       float(row["high"]), row["measure"], int(row["month"]))
        ctxreg.check_key(item.context, "context")
        if item.measure not in MEASURES:
            raise IockitError("measure", item.measure, ", ".join(MEASURES))
        items[item.id] = item
    return items


def poe_item(item_id: str) -> PoeItem:
    return poe_items()[check_name("item", item_id, poe_items(), "lessons")]


@dataclass(frozen=True)
class Observation:
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def direction(self) -> str:
        if abs(self.change) < SAME:
            return PREDICTIONS[2]
        return PREDICTIONS[0] if self.change > 0 else PREDICTIONS[1]


@functools.lru_cache(maxsize=32)
def observe(item_id: str) -> Observation:
    """Run the simulator at the item's two values of its context (same seed, same ensemble)."""
    from ...sim.model import run

    item = poe_item(item_id)
    values = []
    for v in (item.low, item.high):
        r = run(item.inputs(v))
        values.append(float(r.mean(item.measure)[item.month - 1]))
    return Observation(*values)


def key_for(item_id: str) -> ExplainKey:
    """Which CMOCs explain the item's change, given what the simulation shows."""
    item = poe_item(item_id)
    obs = observe(item.id)
    observed = 0 if obs.direction == PREDICTIONS[2] else (1 if obs.change > 0 else -1)
    return explain_key(item.context, item.low, item.high, item.measure, observed)


def check_prediction(item_id: str, prediction: str) -> Feedback:
    """Compare a prediction (rises, falls, stays about the same) with what the simulator shows. The
    CMOCs that explain it are not named yet: that is the next question."""
    item = poe_item(item_id)
    pred = check_name("prediction", prediction, [normalise_key(p) for p in PREDICTIONS], "lessons")
    obs = observe(item.id)
    right = pred == normalise_key(obs.direction)
    seen = (f"The simulation ({item.runs} collaborations, seed {item.seed}) shows the {MEASURES[item.measure]} at "
            f"month {item.month} going from {obs.before:.2f} to {obs.after:.2f}: it {obs.direction}.")
    head = "Your prediction matches. " if right else "Not what the model shows. "
    return Feedback(right, head + seen + " Now explain it: which CMOCs carry this effect?")


def explain_options(item_id: str, n: int = 6) -> tuple[str, ...]:
    """CMOC ids to choose from: those whose tested span matches the change (read from the encoding, no
    simulation needed), up to two of the same context that hold for another span, and others from
    elsewhere in the web."""
    item = poe_item(item_id)
    fitting = explain_key(item.context, item.low, item.high, item.measure)
    right = list(fitting.right[:3])
    same = _order(item.id + "s", sorted(fitting.other_span))[:2]
    taken = set(fitting.right) | set(fitting.other_span)
    others = [e.cmoc for e in load_theory().encoding.values() if e.encoded and e.cmoc not in taken]
    return tuple(_order(item.id, right + same + _order(item.id + "d", others)[: max(n - len(right) - len(same), 1)]))


def _span(item: PoeItem, lo: float, hi: float) -> str:
    from ... import contexts as ctxreg

    ctx = ctxreg.registry()[item.context]
    return f"from {lo:g} ({_end(ctx, lo)}) to {hi:g} ({_end(ctx, hi)})"


def _why_wrong(item: PoeItem, ident: str, key: ExplainKey) -> str:
    from ... import contexts as ctxreg

    label = ctxreg.registry()[item.context].label
    if ident in key.other_span:
        lo, hi = key.other_span[ident]
        return (f"{ident} is about {label} moving {_span(item, lo, hi)}, but you moved it "
                f"{_span(item, item.low, item.high)}")
    if ident in key.other_way:
        way = "raise" if key.other_way[ident] > 0 else "lower"
        return (f"{ident} would {way} the {MEASURES[item.measure]} when {label} changes this way: it is in the "
                "model, but another effect outweighs it here")
    c = load_theory().cmocs[ident]
    return f"{ident} is about {c.context[0].lower() + c.context[1:]}, not {label}"


def _ids(ids: list[str] | tuple[str, ...], one: str, many: str) -> str:
    return f"{', '.join(ids)} {one if len(ids) == 1 else many}"


def _hint(item: PoeItem) -> str:
    from ... import contexts as ctxreg

    ctx = ctxreg.registry()[item.context]
    return (f"Hint: you moved {ctx.label} towards {_end(ctx, item.high)}. Look for the CMOCs about that, and ask "
            f"which of them reach the {MEASURES[item.measure]}. Check again to see the model's CMOCs.")


def check_explanation(item_id: str, chosen: Iterable[str], reveal: bool = True) -> Feedback:
    """Are the chosen CMOCs ones that carry the item's effect (at least one of the nearest, none wrong)?
    The model's CMOCs are named only when ``reveal`` (the widget reveals them at the second check, or
    when the explanation is right); an empty choice asks for one and reveals nothing."""
    item = poe_item(item_id)
    picked = [_cmoc(i, "cmocs").id for i in chosen]
    if not picked:
        return Feedback(False, "Choose at least one CMOC that explains what you observed, then check.")
    key = key_for(item.id)
    wrong = [i for i in picked if i not in key.right]
    ok = not wrong and bool(set(picked) & set(key.core))
    theory = load_theory()
    if ok:
        missed = [i for i in key.core if i not in picked]
        msg = f"Right: {_ids(picked, 'explains', 'explain')} it." + (
            f" {_ids(missed, 'also carries', 'also carry')} it." if missed else "")
        if key.also:
            msg += f" {_ids(key.also, 'reaches', 'reach')} it through other parts of the web."
    elif wrong:
        msg = "Not yet: " + "; ".join(_why_wrong(item, i, key) for i in wrong) + "."
    else:
        msg = (f"Not yet: {_ids(picked, 'reaches', 'reach')} the {MEASURES[item.measure]} only through other parts "
               "of the web. Which CMOC carries the change most directly?")
    if not (reveal or ok):
        return Feedback(False, f"{msg} {_hint(item)}")
    shown = key.core + key.also
    msg += f" In the model this change runs through {', '.join(shown)}."
    return Feedback(ok, msg, tuple(cmoc_line(theory.cmocs[i]) for i in shown), shown)
