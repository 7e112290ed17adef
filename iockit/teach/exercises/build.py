"""Build: build a CMOC from an evidence excerpt (the review's verbatim quote): pick its context,
mechanism and outcome among factors, and say whether each link raises or lowers the next."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ...errors import IockitError
from ...lookup import check_name
from ...theory import CMOC, load_theory
from .common import ROLES, Feedback, _cmoc, _order, _sign, cmoc_line


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


def _wrong_factors(c: CMOC, picked: dict[str, str], label: dict[str, str]) -> list[str]:
    wrong = []
    for role in ROLES:
        if picked[role] not in _factors_for(c, role):
            right = " or ".join(label[k] for k in _factors_for(c, role))
            wrong.append(f"the {role} is \u201c{getattr(c, role)}\u201d ({right}), not {label[picked[role]]}")
    return wrong


def _wrong_signs(c: CMOC, picked: dict[str, str], signs: tuple[int, int], label: dict[str, str]) -> list[str]:
    wrong = []
    for (a, b), sign, part in (((picked['context'], picked['mechanism']), signs[0], "context to mechanism"),
                               ((picked['mechanism'], picked['outcome']), signs[1], "mechanism to outcome")):
        coded = _path_sign(c, a, b)
        if coded is None and part == "mechanism to outcome":
            coded = _path_sign(c, picked["context"], b)
        if coded is not None and coded != sign:
            word = "raises" if coded > 0 else "lowers"
            wrong.append(f"from {part}, more {label[a]} {word} {label[b]} in {c.id}")
    return wrong


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
    wrong = _wrong_factors(c, picked, label) or _wrong_signs(c, picked, signs, label)
    details = (f"Evidence: \u201c{c.quote}\u201d ({c.quote_source})", cmoc_line(c))
    if wrong:
        return Feedback(False, "Not yet: " + "; ".join(wrong) + ". Read the excerpt again: what is the situation, "
                        "what changes in how the partners reason or act, and what results?", details, (c.id,))
    return Feedback(True, f"Right: this is {c.id} as the review states it. Your CMOC: "
                    f"{label[picked['context']]} \u2192 {label[picked['mechanism']]} \u2192 {label[picked['outcome']]}.",
                    details, (c.id,))


def answer_build(cmoc_id: str) -> tuple[str, str, str, str, str]:
    """A right answer to the build exercise of ``cmoc_id`` (for lecturers' notes): factors and the two signs."""
    c = _cmoc(cmoc_id)
    for cx, m, o in itertools.product(c.context_factors[:2], c.mechanism_factors[:2], c.outcome_factors[:2]):
        first = _path_sign(c, cx, m)
        second = _path_sign(c, m, o)
        second = _path_sign(c, cx, o) if second is None else second
        if first is not None and second is not None:
            return cx, m, o, "+" if first > 0 else "-", "+" if second > 0 else "-"
    raise IockitError("cmoc", cmoc_id, "a CMOC whose links run context -> mechanism -> outcome")
