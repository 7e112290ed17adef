"""Exercise checkers: each takes a learner's answer and returns :class:`Feedback` that says whether it
is right and why, in the review's own words (its Table 3 cells, text CMOCs and quotes) with its
reference numbers. The answer keys are the theory data itself (``datasets/``) and
``iockit/teach/poe.yaml``; nothing here is in a learner's notebook.

Five kinds of exercise:

- ``classify``: is a statement from the review a context, a mechanism or an outcome?
- ``build``: build a CMOC from an evidence excerpt (context, mechanism, outcome and the signs).
- ``poe``: predict what changing one context does, observe it in the simulator, explain it with CMOCs.
- ``cases``: reproduce Murray et al.'s two accountable care organisations [47] and name the CMOCs.
- ``contest``: propose a new CMOC and see where it attaches to the web and which loops it makes.

Wrong input (an unknown item, role or factor) raises :class:`~iockit.errors.IockitError`; a wrong
*answer* is not an error, it gets feedback.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import IockitError
from ..lookup import check_name, normalise_key
from ..theory import CMOC, load_theory

ROLES = ("context", "mechanism", "outcome")
SIGNS = {"+": 1, "-": -1, "raises": 1, "lowers": -1, 1: 1, -1: -1}

# The review's Methods section, verbatim (seed lines 28): what each part of a CMOC is.
ROLE_MEANING = {
    "context": ("contexts refer to the situations into which interventions are introduced that affect the "
                "operation of the intervention mechanisms [25]"),
    "mechanism": ("Mechanisms, in realist terms, are the interactions between programme resources and the changes "
                  "in reasoning by programme actors that occur as a result — both of which can be mechanisms in "
                  "their own right [27]"),
    "outcome": ("Generative causation implies that mechanisms generate outcomes and that these mechanisms are "
                "context-sensitive [26]"),
}
# The review's Conflict section, verbatim: the same thing can play different parts.
LEVEL_OF_ANALYSIS = ("the review notes that \u201cconflict can be both a context and a mechanism depending on the "
                     "element of analysis\u201d (section Inter-organisational conflict)")


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``correct`` (None when there is no right answer, as in ``contest``),
    a one-paragraph ``message`` in plain words, supporting ``details`` (CMOC rows, quotes), and the
    CMOC ids it rests on."""

    correct: bool | None
    message: str
    details: tuple[str, ...] = ()
    cmocs: tuple[str, ...] = ()

    @property
    def verdict(self) -> str:
        return {True: "correct", False: "not yet", None: "noted"}[self.correct]

    def text(self) -> str:
        return " ".join([self.message, *self.details])


def cmoc_line(c: CMOC) -> str:
    """'T3-26 (Table 3, row 26 (Trust)): Significant conflict (context) → ... [47, 69]'."""
    return (f"{c.id}, {c.provenance}: {c.context} (context) \u2192 {c.mechanism} (mechanism) \u2192 "
            f"{c.outcome} (outcome) {c.cites()}")


def _cmoc(ident: str, field_name: str = "cmoc") -> CMOC:
    cmocs = load_theory().cmocs
    key = ident.strip().upper()
    if key not in cmocs:
        raise IockitError(field_name, ident, "a CMOC id such as T3-26 or TX-10 (see `iockit cmocs`)")
    return cmocs[key]


def _order(seed: str, items: Sequence[Any]) -> list[Any]:
    """A fixed shuffle (the same every time for the same item), so lessons and answer keys agree."""
    return sorted(items, key=lambda x: hashlib.sha256(f"{seed}|{x}".encode()).hexdigest())


# --- classify -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClassifyItem:
    id: str          # "T3-26/context"
    cmoc: str
    role: str
    statement: str


def classify_items(cmoc_ids: Iterable[str]) -> list[ClassifyItem]:
    """The context, mechanism and outcome cells of these CMOCs, as statements to classify (mixed order)."""
    items = []
    for ident in cmoc_ids:
        c = _cmoc(ident)
        items += [ClassifyItem(f"{c.id}/{role}", c.id, role, getattr(c, role)) for role in ROLES]
    return _order("classify", items)


def _classify_item(item_id: str) -> ClassifyItem:
    cmoc_id, _, role = item_id.partition("/")
    c = _cmoc(cmoc_id, "item")
    if role not in ROLES:
        raise IockitError("item", item_id, "an item id like T3-26/context (CMOC id / context, mechanism or outcome)")
    return ClassifyItem(item_id, c.id, role, getattr(c, role))


def _same_words_elsewhere(statement: str, cmoc_id: str) -> list[tuple[CMOC, str]]:
    words = statement.strip().lower()
    return [(c, role) for c in load_theory().cmocs.values() for role in ROLES
            if c.id != cmoc_id and getattr(c, role).strip().lower() == words]


def check_classify(item_id: str, answer: str) -> Feedback:
    """Is the statement of ``item_id`` the ``answer`` (context, mechanism or outcome) of its CMOC?"""
    item = _classify_item(item_id)
    role = check_name("answer", answer, ROLES, "lessons")
    c = _cmoc(item.cmoc)
    others = _same_words_elsewhere(item.statement, c.id)
    other_roles = [(o, r) for o, r in others if r != item.role]
    details = [cmoc_line(c)]
    if role == item.role:
        msg = (f"Right: \u201c{item.statement}\u201d is the {item.role} in {c.id}. In the review's Methods, "
               f"{ROLE_MEANING[item.role]}.")
    else:
        msg = (f"Not quite: in {c.id} \u201c{item.statement}\u201d is the {item.role}, not the {role}. "
               f"In the review's Methods, {ROLE_MEANING[item.role]}.")
    if other_roles:
        o, r = other_roles[0]
        details.append(f"The same words are the {r} of {o.id}: CMOCs chain, so what is an outcome or mechanism "
                       f"in one configuration can be the context of the next; {LEVEL_OF_ANALYSIS}.")
    return Feedback(role == item.role, msg, tuple(details), (c.id, *(o.id for o, _ in other_roles[:1])))


# --- build a CMOC from an excerpt ---------------------------------------------------------------

@dataclass(frozen=True)
class BuildItem:
    cmoc: str
    excerpt: str
    excerpt_source: str
    options: dict[str, tuple[str, ...]]   # role -> factor keys to choose from (the right ones among them)


def _factors_for(c: CMOC, role: str) -> tuple[str, ...]:
    return getattr(c, f"{role}_factors")


def build_item(cmoc_id: str, choices: int = 5) -> BuildItem:
    """The evidence excerpt (the review's verbatim quote) of a CMOC, with factor choices for each role:
    the coded factors plus others that play that role elsewhere in the review."""
    c = _cmoc(cmoc_id)
    if not c.quote:
        raise IockitError("cmoc", cmoc_id, "a CMOC with an evidence quote (see the quote column of cmocs.csv)")
    theory = load_theory()
    options = {}
    for role in ROLES:
        right = list(_factors_for(c, role))
        pool = [k for k, f in theory.factors.items() if role in f.roles and k not in c.factors]
        n_right = min(len(right), 2)
        opts = right[:n_right] + _order(c.id + role, pool)[: max(choices - n_right, 0)]
        options[role] = tuple(_order(c.id + role + "opts", opts))
    return BuildItem(c.id, c.quote, c.quote_source, options)


def _sign(value: object, field_name: str) -> int:
    if value not in SIGNS:
        raise IockitError(field_name, value, "'+' (raises) or '-' (lowers)")
    return SIGNS[value]  # type: ignore[index]


def _path_sign(c: CMOC, a: str, b: str) -> int | None:
    """The sign of the CMOC's own chain of links from ``a`` to ``b`` (product along it), if there is one."""
    frontier, seen = [(a, 1)], {a}
    while frontier:
        node, sign = frontier.pop(0)
        for ln in c.links:
            if ln.source == node and ln.target not in seen:
                if ln.target == b:
                    return sign * ln.sign
                seen.add(ln.target)
                frontier.append((ln.target, sign * ln.sign))
    return None


def check_build(cmoc_id: str, context: str, mechanism: str, outcome: str,
                context_sign: object, outcome_sign: object) -> Feedback:
    """Check a CMOC built from the excerpt of ``cmoc_id``: three factors and the signs of the two links
    (context -> mechanism, mechanism -> outcome)."""
    c = _cmoc(cmoc_id)
    theory = load_theory()
    picked = {role: check_name(role, str(value), theory.factors, "factors")
              for role, value in zip(ROLES, (context, mechanism, outcome), strict=True)}
    signs = (_sign(context_sign, "context_sign"), _sign(outcome_sign, "outcome_sign"))
    label = {k: theory.factors[k].label for k in theory.factors}
    wrong: list[str] = []
    for role in ROLES:
        if picked[role] not in _factors_for(c, role):
            right = " or ".join(label[k] for k in _factors_for(c, role))
            wrong.append(f"the {role} is \u201c{getattr(c, role)}\u201d ({right}), not {label[picked[role]]}")
    if not wrong:
        for (a, b), sign, part in (((picked['context'], picked['mechanism']), signs[0], "context to mechanism"),
                                   ((picked['mechanism'], picked['outcome']), signs[1], "mechanism to outcome")):
            coded = _path_sign(c, a, b)
            if coded is None and part == "mechanism to outcome":
                coded = _path_sign(c, picked["context"], b)
            if coded is not None and coded != sign:
                word = "raises" if coded > 0 else "lowers"
                wrong.append(f"from {part}, more {label[a]} {word} {label[b]} in {c.id}")
    details = (f"Evidence: \u201c{c.quote}\u201d ({c.quote_source})", cmoc_line(c))
    if wrong:
        return Feedback(False, "Not yet: " + "; ".join(wrong) + ". Read the excerpt again: what is the situation, "
                        "what changes in how the partners reason or act, and what results?", details, (c.id,))
    return Feedback(True, f"Right: this is {c.id} as the review states it. Your CMOC: "
                    f"{label[picked['context']]} \u2192 {label[picked['mechanism']]} \u2192 {label[picked['outcome']]}.",
                    details, (c.id,))


# --- predict, observe, explain ------------------------------------------------------------------

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
        from .. import contexts as ctxreg

        ctx = ctxreg.registry()[self.context]
        where = "a typical collaboration (every context at its default)"
        if self.scenario:
            from ..sim.scenarios import load_scenario

            where = f"the preset \u201c{load_scenario(self.scenario).title}\u201d"
        return (f"Start from {where}. If {ctx.label} changes from {self.low:g} ({_end(ctx, self.low)}) to "
                f"{self.high:g} ({_end(ctx, self.high)}), what happens to the {MEASURES[self.measure]} at month "
                f"{self.month}?")

    def scenario_kwargs(self, value: float) -> dict[str, Any]:
        from ..sim.scenarios import load_scenario

        kw: dict[str, Any] = load_scenario(self.scenario).simulate_kwargs() if self.scenario else {"contexts": {}}
        kw["contexts"] = {**kw["contexts"], self.context: value}
        kw["months"] = max(self.month, kw.get("months", 36))
        for over in kw.get("partner_overrides", []):
            over.pop(self.context, None)
        return kw


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
    import yaml

    from .. import contexts as ctxreg

    raw = yaml.safe_load((Path(__file__).parent / "poe.yaml").read_text(encoding="utf-8"))
    items = {}
    for row in raw["items"]:
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
    from ..sim import simulate

    item = poe_item(item_id)
    values = []
    for v in (item.low, item.high):
        r = simulate(runs=item.runs, seed=item.seed, **item.scenario_kwargs(v))
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
    from ..sim.fidelity import load_encoding

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


# --- two cases (Murray et al. [47]) ---------------------------------------------------------------

CASES_QUOTE = ("\u2018For Access ACO (Accountable Care Organisation), these tensions were resolved through active "
               "conflict resolution, and the alliance remained intact throughout our research period. In contrast, for "
               "Collaborative ACO growing distrust paired with the management partner\u2019s decreased investment and "
               "high fees prompted dissolution\u2019 [47]")
CASES_SOURCE = "Murray et al. (p. 775), quoted in the review's section Accountability and commitment"
INTACT_AT_MOST = 0.2       # share of simulated collaborations dissolved by month 36 for "remained intact"
DISSOLVED_AT_LEAST = 0.5   # ... for "prompted dissolution"
# What the review reports of each case, as contexts, and the CMOCs that carry it.
CASE_A = {"contexts": {"conflict_resolution": (">=", 0.65)},
          "cmocs": ("T3-20", "TX-08", "T3-13", "TX-10"),
          "why": "active conflict resolution (constructive conflict resolution, accountability)"}
CASE_B = {"contexts": {"resource_equality": ("<=", 0.35), "power_balance": ("<=", 0.35)},
          "any_context": True,
          "cmocs": ("T3-29", "TX-14", "TX-12", "T3-26", "T3-19", "TX-09", "TX-06"),
          "must": ("T3-26",),
          "why": ("a dominant management partner keeping the savings, decreasing investment and charging high fees "
                  "(unequal resources, lopsided power), and growing distrust")}


@dataclass(frozen=True)
class CaseRun:
    dissolved: float
    trust: float


def run_case(contexts: Mapping[str, object], months: int = 36, runs: int = 200, seed: int = 0) -> CaseRun:
    from ..sim import simulate

    r = simulate(dict(contexts), months=months, runs=runs, seed=seed)
    return CaseRun(float((r.dissolved_month >= 0).mean()), float(r.mean("trust")[-1]))


def _meets(contexts: Mapping[str, object], rule: Mapping[str, tuple[str, float]], any_: bool) -> bool:
    from .. import contexts as ctxreg

    values = ctxreg.resolve(dict(contexts))
    oks = [(values[k] >= v) if op == ">=" else (values[k] <= v) for k, (op, v) in rule.items()]
    return any(oks) if any_ else all(oks)


def check_cases(access: Mapping[str, object], collaborative: Mapping[str, object],
                access_cmocs: Iterable[str], collaborative_cmocs: Iterable[str]) -> Feedback:
    """Two configurations that should reproduce Access ACO (intact) and Collaborative ACO (dissolved),
    for the reasons the review gives, and the CMOCs named for each."""
    a_ids = [_cmoc(i, "access_cmocs").id for i in access_cmocs]
    b_ids = [_cmoc(i, "collaborative_cmocs").id for i in collaborative_cmocs]
    a, b = run_case(access), run_case(collaborative)
    problems: list[str] = []
    if a.dissolved > INTACT_AT_MOST:
        problems.append(f"your Access ACO dissolves in {a.dissolved:.0%} of runs; the review says it remained intact")
    if b.dissolved < DISSOLVED_AT_LEAST:
        problems.append(f"your Collaborative ACO dissolves in only {b.dissolved:.0%} of runs; the review says "
                        "distrust prompted dissolution")
    if not _meets(access, CASE_A["contexts"], False):
        problems.append("Access ACO stayed intact through " + str(CASE_A["why"]) + ": set Conflict resolution high")
    if not _meets(collaborative, CASE_B["contexts"], True):
        problems.append("Collaborative ACO broke down through " + str(CASE_B["why"]) +
                        ": lower Resource equality or Balance of power")
    if not a_ids or any(i not in CASE_A["cmocs"] for i in a_ids):
        problems.append("for Access ACO name CMOCs about conflict resolution or accountability (e.g. T3-20, TX-10)")
    if not b_ids or any(i not in CASE_B["cmocs"] for i in b_ids):
        problems.append("for Collaborative ACO name CMOCs about domination, unequal resources and loss of trust "
                        "(e.g. T3-29, TX-12)")
    elif not set(CASE_B["must"]) & set(b_ids):
        problems.append("for Collaborative ACO, which CMOC says significant conflict takes trust past its critical "
                        "threshold to dissolution? (T3-26)")
    theory = load_theory()
    ids = ("T3-20", "T3-13", "T3-29", "TX-12", "T3-26")
    details = (f"Evidence: {CASES_QUOTE} ({CASES_SOURCE}).",
               f"Simulated (200 collaborations each, 36 months): Access ACO {a.dissolved:.0%} dissolved, mean trust "
               f"{a.trust:.2f}; Collaborative ACO {b.dissolved:.0%} dissolved, mean trust {b.trust:.2f}.",
               *(cmoc_line(theory.cmocs[i]) for i in ids))
    if problems:
        return Feedback(False, "Not yet: " + "; ".join(problems) + ".", details, ids)
    return Feedback(True, "Right: both cases come out as Murray et al. report them, for the reasons the review "
                    "gives.", details, ids)


# --- contest the theory -------------------------------------------------------------------------

@dataclass(frozen=True)
class Proposal:
    """A learner's CMOC, set against the review's web."""

    context: str            # factor keys (existing or new)
    mechanism: str
    outcome: str
    context_sign: int
    outcome_sign: int
    context_text: str
    mechanism_text: str
    outcome_text: str
    evidence: str = ""
    new_factors: tuple[str, ...] = ()
    attaches: tuple[tuple[str, tuple[str, ...]], ...] = ()    # factor -> CMOCs already naming it
    loops: tuple[str, ...] = ()                                 # loops the new links close, in words
    contradicts: tuple[str, ...] = ()                           # existing links stated with the other sign
    restates: tuple[str, ...] = ()                              # CMOCs that already state the same links
    links: tuple[tuple[str, str, int], ...] = field(default=())

    def as_record(self, ident: str = "LEARNER-01") -> dict[str, str]:
        """A row in the shape of ``datasets/cmocs.csv`` (source 'learner'), to add to a copy of the package."""
        return {"id": ident, "source": "learner", "group": "", "heading": "", "context": self.context_text,
                "mechanism": self.mechanism_text, "outcome": self.outcome_text, "context_factors": self.context,
                "mechanism_factors": self.mechanism, "outcome_factors": self.outcome,
                "links": ";".join(f"{a}->{b}:{'+' if s > 0 else '-'}" for a, b, s in self.links),
                "references": "", "quote": "", "quote_source": "", "section": "", "table_row": "",
                "seed_line": "", "same_as": ";".join(self.restates), "related": "", "notes": self.evidence}

    def to_csv(self, ident: str = "LEARNER-01") -> str:
        from .._format import render

        return render([self.as_record(ident)], "csv") + "\n"

    def summary(self) -> Feedback:
        parts = []
        if self.restates:
            parts.append("The review already states these links: " + ", ".join(self.restates) + ".")
        if self.contradicts:
            parts.append("It contests the review: " + "; ".join(self.contradicts) + ".")
        if self.new_factors:
            parts.append("New to the web: " + ", ".join(self.new_factors) + ".")
        attach = [f"{k} ({len(ids)} CMOCs, e.g. {', '.join(ids[:3])})" for k, ids in self.attaches if ids]
        parts.append("It attaches to the web at " + ("; ".join(attach) if attach else "no existing factor") + ".")
        parts.append(("It closes " + str(len(self.loops)) + " feedback loop(s).") if self.loops
                     else "It closes no feedback loop of up to 6 factors.")
        return Feedback(None, " ".join(parts), self.loops, tuple(i for _, ids in self.attaches for i in ids[:3]))


def _factor_key(value: str, field_name: str) -> str:
    key = normalise_key(value)
    if not key or len(key) > 60 or not all(ch.isalnum() or ch == "_" for ch in key):
        raise IockitError(field_name, value, "a factor key (see `iockit factors`) or a short new name in words")
    return key


def _text(value: str, field_name: str) -> str:
    text = " ".join(str(value).split())
    if not text or len(text) > 300:
        raise IockitError(field_name, value, "a statement of 1 to 300 characters")
    return text


def propose(context: str, mechanism: str, outcome: str, context_sign: object = "+", outcome_sign: object = "+",
            context_text: str = "", mechanism_text: str = "", outcome_text: str = "", evidence: str = "",
            max_loop: int = 6) -> Proposal:
    """Set a proposed CMOC against the web: what it attaches to, what it restates or contradicts, and
    which feedback loops its two links close (up to ``max_loop`` factors)."""
    import networkx as nx

    from ..web import _collapsed, build_web

    theory = load_theory()
    keys = [_factor_key(v, r) for v, r in ((context, "context"), (mechanism, "mechanism"), (outcome, "outcome"))]
    if len(set(keys)) < 3:
        raise IockitError("factors", keys, "three different factors for context, mechanism and outcome")
    signs = (_sign(context_sign, "context_sign"), _sign(outcome_sign, "outcome_sign"))
    texts = []
    for given, key, role in zip((context_text, mechanism_text, outcome_text), keys, ROLES, strict=True):
        fallback = theory.factors[key].label if key in theory.factors else key.replace("_", " ")
        texts.append(_text(given or fallback, f"{role}_text"))
    if len(evidence) > 2000:
        raise IockitError("evidence", evidence[:40] + "...", "up to 2000 characters")
    links = ((keys[0], keys[1], signs[0]), (keys[1], keys[2], signs[1]))
    web = build_web(theory)
    g = _collapsed(web)
    restates, contradicts = [], []
    for a, b, s in links:
        if g.has_edge(a, b):
            rel = g.edges[a, b]["relation"]
            same, other = (rel.positive, rel.negative) if s > 0 else (rel.negative, rel.positive)
            restates += same
            if other:
                word = "raises" if s > 0 else "lowers"
                contradicts.append(f"you say {a} {word} {b}; {', '.join(other)} state the opposite")
    attaches = tuple((k, tuple(c.id for c in theory.cmocs_for(k))) for k in keys if k in theory.factors)
    new = tuple(k for k in keys if k not in theory.factors)
    h = nx.DiGraph()
    for a, b in g.edges:
        h.add_edge(a, b, sign=g.edges[a, b]["relation"].sign)
    for a, b, s in links:
        h.add_edge(a, b, sign=s)
    new_edges = {(a, b) for a, b, _ in links}
    loops = []
    for cycle in nx.simple_cycles(h, length_bound=max_loop):
        path = [*cycle, cycle[0]]
        pairs = list(itertools.pairwise(path))
        if not new_edges & set(pairs) or (len(cycle) < 2):
            continue
        if all(g.has_edge(a, b) for a, b in pairs) and all(
                g.edges[a, b]["relation"].sign == s for a, b, s in links if (a, b) in pairs):
            continue  # the web had this loop already
        start = next(i for i, pair in enumerate(pairs) if pair in new_edges)  # read from the proposed link
        cycle = cycle[start:] + cycle[:start]
        path = [*cycle, cycle[0]]
        pairs = list(itertools.pairwise(path))
        sign = 1
        for a, b in pairs:
            sign *= h.edges[a, b]["sign"]
        kind = {1: "reinforcing", -1: "balancing", 0: "contested"}[sign]
        loops.append(f"{kind}: " + " \u2192 ".join(path))
    loops = sorted(set(loops), key=lambda s: (len(s), s))
    return Proposal(keys[0], keys[1], keys[2], signs[0], signs[1], *texts, evidence=evidence, new_factors=new,
                    attaches=attaches, loops=tuple(loops), contradicts=tuple(contradicts),
                    restates=tuple(dict.fromkeys(restates)), links=links)


# --- the before/after questionnaire --------------------------------------------------------------

def check_question(item_id: str, answer: int) -> Feedback:
    """A questionnaire answer (0-based option index) against the key, with the review's reason."""
    from .lessons import questionnaire

    items = {q.id: q for q in questionnaire()}
    key = check_name("item", item_id, items, "lessons")
    q = items[key]
    if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(q.options):
        raise IockitError("answer", answer, f"an option number from 0 to {len(q.options) - 1}")
    right = answer == q.answer
    head = "Right." if right else f"The review's answer is \u201c{q.options[q.answer]}\u201d."
    return Feedback(right, f"{head} {q.explanation}")


# --- answer keys (for lecturers' notes and for rehearsing the lessons) ----------------------------

def answer_build(cmoc_id: str) -> tuple[str, str, str, str, str]:
    """A right answer to the build exercise of ``cmoc_id``: factors and the two signs."""
    c = _cmoc(cmoc_id)
    for cx, m, o in itertools.product(c.context_factors[:2], c.mechanism_factors[:2], c.outcome_factors[:2]):
        first = _path_sign(c, cx, m)
        second = _path_sign(c, m, o)
        second = _path_sign(c, cx, o) if second is None else second
        if first is not None and second is not None:
            return cx, m, o, "+" if first > 0 else "-", "+" if second > 0 else "-"
    raise IockitError("cmoc", cmoc_id, "a CMOC whose links run context -> mechanism -> outcome")


def answer_cases() -> tuple[dict[str, float], dict[str, float], list[str], list[str]]:
    """One configuration that reproduces both of Murray et al.'s cases [47], with the CMOCs."""
    return ({"conflict_resolution": 0.9, "accountability": 0.8},
            {"conflict_resolution": 0.2, "resource_equality": 0.1, "power_balance": 0.2},
            ["T3-20", "TX-10"], ["T3-29", "TX-12", "T3-26"])
