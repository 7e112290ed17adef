"""Predict, observe, explain: predict what changing one context does, observe it in the simulator,
explain it with the CMOCs that carry the effect. The items are ``iockit/teach/poe.yaml``."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...errors import IockitError
from ...lookup import check_name, normalise_key
from ...theory import load_theory
from .common import Feedback, _cmoc, _order, cmoc_line, read_teaching_yaml

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
    explain: tuple[str, ...]
    runs: int = 200
    seed: int = 0

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
                       float(row["high"]), row["measure"], int(row["month"]), tuple(row["explain"]))
        ctxreg.check_key(item.context, "context")
        if item.measure not in MEASURES:
            raise IockitError("measure", item.measure, ", ".join(MEASURES))
        for ident in item.explain:
            _cmoc(ident, "explain")
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


def check_prediction(item_id: str, prediction: str) -> Feedback:
    """Compare a prediction (rises, falls, stays about the same) with what the simulator shows."""
    item = poe_item(item_id)
    pred = check_name("prediction", prediction, [normalise_key(p) for p in PREDICTIONS], "lessons")
    obs = observe(item.id)
    right = pred == normalise_key(obs.direction)
    seen = (f"The simulation ({item.runs} collaborations, seed {item.seed}) shows the {MEASURES[item.measure]} at "
            f"month {item.month} going from {obs.before:.2f} to {obs.after:.2f}: it {obs.direction}.")
    head = "Your prediction matches. " if right else "Not what the model shows. "
    return Feedback(right, head + seen + " Now explain it: which CMOCs carry this effect?",
                    (f"The model's terms for {item.context} come from: " + "; ".join(item.explain) + " (docs/model.md).",),
                    item.explain)


def explain_options(item_id: str, n: int = 5) -> tuple[str, ...]:
    """CMOC ids to choose from: the ones that carry the effect, and others from elsewhere in the web."""
    item = poe_item(item_id)
    from ...sim.fidelity import load_encoding

    others = [e.cmoc for e in load_encoding() if e.encoded and e.cmoc not in item.explain
              and e.check_context not in (item.context, f"initial:{item.context}")]
    return tuple(_order(item.id, list(item.explain[:3]) + _order(item.id + "d", others)[: n - min(3, len(item.explain))]))


def check_explanation(item_id: str, chosen: Iterable[str]) -> Feedback:
    """Are the chosen CMOCs the ones that carry the item's effect? All chosen must be right, and at least one."""
    item = poe_item(item_id)
    picked = [_cmoc(i, "cmocs").id for i in chosen]
    theory = load_theory()
    right = set(item.explain)
    wrong = [i for i in picked if i not in right]
    details = tuple(cmoc_line(theory.cmocs[i]) for i in item.explain)
    if not picked:
        return Feedback(False, "Choose at least one CMOC that explains what you observed.", details, item.explain)
    if wrong:
        why = "; ".join(f"{i} is about {theory.cmocs[i].context.lower()}, not {item.context.replace('_', ' ')}"
                        for i in wrong)
        return Feedback(False, f"Not yet: {why}. The effect of {item.context.replace('_', ' ')} runs through "
                        f"{', '.join(item.explain)}.", details, item.explain)
    missed = sorted(right - set(picked))
    more = f" {', '.join(missed)} also carry it." if missed else ""
    return Feedback(True, f"Right: {', '.join(picked)} explain it.{more}", details, item.explain)
