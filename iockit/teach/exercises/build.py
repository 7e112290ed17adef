"""Build: build a CMOC from an evidence excerpt (the review's verbatim quote): pick its context,
mechanism and outcome among factors, and say whether each link raises or lowers the next."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ...errors import IockitError
from ...lookup import check_name
from ...theory import CMOC, load_theory
from .common import ROLES, Feedback, _cmoc, _order, _sign, chain_words, cmoc_line


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


#: Wrong tries after which the build widget shows the review's row without being asked.
ANSWER_AFTER = 3
HINTS = ("which part", "the review's words", "the answer")   # what each level of help gives


def _quote_refs(c: CMOC) -> set[int]:
    from ..lessons import reference_numbers

    return set(reference_numbers(c.quote_source)) or set(c.references)


def _off(c: CMOC, picked: dict[str, str], signs: tuple[int, int]) -> list[str]:
    """The parts of a built CMOC that do not fit ``c``: roles first; the signs only once the factors fit."""
    roles = [role for role in ROLES if picked[role] not in _factors_for(c, role)]
    if roles:
        return roles
    off = []
    for (a, b), sign, part in (((picked["context"], picked["mechanism"]), signs[0], "context_sign"),
                               ((picked["mechanism"], picked["outcome"]), signs[1], "outcome_sign")):
        coded = _path_sign(c, a, b)
        if coded is None and part == "outcome_sign":
            coded = _path_sign(c, picked["context"], b)
        if coded is not None and coded != sign:
            off.append(part)
    return off


PART_WORDS = {"context": "the context", "mechanism": "the mechanism", "outcome": "the outcome",
              "context_sign": "the sign of the link from context to mechanism",
              "outcome_sign": "the sign of the link from mechanism to outcome"}


def _alternative(c: CMOC, picked: dict[str, str], signs: tuple[int, int]) -> CMOC | None:
    """Another row of the review that cites the excerpt's source and that the built CMOC fits."""
    refs = _quote_refs(c)
    for other in load_theory().cmocs.values():
        if other.id != c.id and refs & set(other.references) and not _off(other, picked, signs):
            return other
    return None


def _picked(context: str, mechanism: str, outcome: str) -> dict[str, str]:
    theory = load_theory()
    return {role: check_name(role, str(value), theory.factors, "factors")
            for role, value in zip(ROLES, (context, mechanism, outcome), strict=True)}


def check_build(cmoc_id: str, context: str, mechanism: str, outcome: str,
                context_sign: object, outcome_sign: object) -> Feedback:
    """Check a CMOC built from the excerpt of ``cmoc_id``: three factors and the signs of the two links
    (context -> mechanism, mechanism -> outcome). A wrong build is told which part is off, not the row
    (see :func:`build_hint`); a build that fits another row citing the same source is right by that row."""
    c = _cmoc(cmoc_id)
    picked = _picked(context, mechanism, outcome)
    signs = (_sign(context_sign, "context_sign"), _sign(outcome_sign, "outcome_sign"))
    label = {k: f.label for k, f in load_theory().factors.items()}
    yours = chain_words([label[picked[r]] for r in ROLES], signs)
    off = _off(c, picked, signs)
    if not off:
        return Feedback(True, f"Right: this is {c.id} as the review states it. Your CMOC: {yours}.",
                        (f"Evidence: \u201c{c.quote}\u201d ({c.quote_source})", cmoc_line(c)), (c.id,))
    other = _alternative(c, picked, signs)
    if other is not None:
        refs = ", ".join(str(n) for n in sorted(_quote_refs(c) & set(other.references)))
        return Feedback(True, f"Right by another row of the review: your CMOC ({yours}) is {other.id}, which also "
                        f"cites [{refs}]. The review quotes this excerpt for another CMOC too: can you find it?",
                        (cmoc_line(other),), (other.id,), (other.id,))
    parts = [PART_WORDS[p] for p in off]
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return Feedback(False, f"Not yet: {listed} {'does' if len(parts) == 1 else 'do'} not fit this excerpt. Read it "
                    "again: what is the situation, what changes in how the partners reason or act, and what results?")


def build_hint(cmoc_id: str, context: str, mechanism: str, outcome: str, context_sign: object,
               outcome_sign: object, level: int) -> Feedback:
    """Help after a wrong build: level 1 gives the review's words for the first part that is off (or asks
    about the direction of a link); level 2 gives the answer, the review's row."""
    c = _cmoc(cmoc_id)
    if level >= 2:
        right = answer_build(c.id)
        labels = [load_theory().factors[k].label for k in right[:3]]
        return Feedback(None, f"The review's CMOC for this excerpt is {c.id}: "
                        f"{chain_words(labels, [1 if s == '+' else -1 for s in right[3:]])}.",
                        (f"Evidence: \u201c{c.quote}\u201d ({c.quote_source})", cmoc_line(c)), (c.id,))
    picked = _picked(context, mechanism, outcome)
    signs = (_sign(context_sign, "context_sign"), _sign(outcome_sign, "outcome_sign"))
    off = _off(c, picked, signs) or ["context"]
    first = off[0]
    if first in ROLES:
        return Feedback(None, f"Hint: in the review's words, {PART_WORDS[first]} here is \u201c{getattr(c, first)}\u201d. "
                        "Which factor is that?")
    a, b = ("context", "mechanism") if first == "context_sign" else ("mechanism", "outcome")
    label = {k: f.label for k, f in load_theory().factors.items()}
    return Feedback(None, f"Hint: read the excerpt for the direction: does more {label[picked[a]]} bring more "
                    f"{label[picked[b]]}, or less?")


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
