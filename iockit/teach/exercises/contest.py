"""Contest the theory: propose a new CMOC and see where it attaches to the review's web of causality,
what it restates or contradicts, and which feedback loops its two links close."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from ...errors import IockitError
from ...lookup import normalise_key
from ...theory import Theory, load_theory
from .common import ROLES, Feedback, _sign, chain_words, sign_word
from .names import find_factor, name_problem

Link = tuple[str, str, int]


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
    links: tuple[Link, ...] = field(default=())
    names: tuple[tuple[str, str], ...] = ()                     # factor key -> the name shown to the learner
    suggestions: tuple[tuple[str, tuple[str, ...]], ...] = ()   # new factor -> closest labels in the review

    def name(self, key: str) -> str:
        factor = load_theory().factors.get(key)
        return dict(self.names).get(key) or (factor.label if factor else key.replace("_", " "))

    def in_words(self) -> str:
        """The proposal's links in words ('Mandated collaboration raises Trust, which raises Faith')."""
        return chain_words([self.name(k) for k in (self.context, self.mechanism, self.outcome)],
                           [self.context_sign, self.outcome_sign])

    def as_record(self, ident: str = "LEARNER-01") -> dict[str, str]:
        """A row in the shape of ``datasets/cmocs.csv`` (source 'learner'), to add to a copy of the package."""
        return {"id": ident, "source": "learner", "group": "", "heading": "", "context": self.context_text,
                "mechanism": self.mechanism_text, "outcome": self.outcome_text, "context_factors": self.context,
                "mechanism_factors": self.mechanism, "outcome_factors": self.outcome,
                "links": ";".join(f"{a}->{b}:{'+' if s > 0 else '-'}" for a, b, s in self.links),
                "references": "", "quote": "", "quote_source": "", "section": "", "table_row": "",
                "seed_line": "", "same_as": ";".join(self.restates), "related": "", "notes": self.evidence}

    def to_csv(self, ident: str = "LEARNER-01") -> str:
        from ..._format import render
        from ..answers import neutralise

        return render([{k: neutralise(v) for k, v in self.as_record(ident).items()}], "csv") + "\n"

    def summary(self) -> Feedback:
        """What the proposal does to the web, in the learner's words and the review's labels."""
        parts = [f"Your CMOC: {self.in_words()}."]
        if self.restates:
            parts.append("The review already states these links: " + ", ".join(self.restates) + ".")
        if self.contradicts:
            parts.append("It contests the review: " + "; ".join(self.contradicts) + ".")
        for key in self.new_factors:
            close = dict(self.suggestions).get(key, ())
            near = f" (closest in the review: {', '.join(close)})" if close else ""
            parts.append(f"New to the web: \u201c{self.name(key)}\u201d{near}.")
        attach = [f"{self.name(k)} ({len(ids)} CMOCs, e.g. {', '.join(ids[:3])})" for k, ids in self.attaches if ids]
        parts.append("It attaches to the web at " + ("; ".join(attach) if attach else "no existing factor") + ".")
        parts.append(("It closes " + str(len(self.loops)) + " feedback loop(s).") if self.loops
                     else "It closes no feedback loop of up to 6 factors.")
        loops = tuple(self._loop_words(lp) for lp in self.loops)
        return Feedback(None, " ".join(parts), loops, tuple(i for _, ids in self.attaches for i in ids[:3]))

    def _loop_words(self, loop: str) -> str:
        kind, _, path = loop.partition(": ")
        return f"{kind}: " + " \u2192 ".join(self.name(k) for k in path.split(" \u2192 "))


def _factor_key(value: str, field_name: str) -> tuple[str, str, tuple[str, ...]]:
    """(key, name to show, suggestions) for what a learner typed: a factor found by label, key or the
    review's words, or a new factor named in words."""
    if name_problem(value, field_name) is not None:
        raise IockitError(field_name, value, "a factor of the review (its name or key) or a short new name in words")
    found = find_factor(value)
    if found.key is not None:
        return found.key, found.shown, ()
    return normalise_key(found.shown), found.shown, found.suggestions


def _text(value: str, field_name: str) -> str:
    text = " ".join(str(value).split())
    if not text or len(text) > 300:
        raise IockitError(field_name, value, "a statement of 1 to 300 characters")
    return text


def _texts(theory: Theory, keys: list[str], given: tuple[str, str, str]) -> list[str]:
    texts = []
    for words, key, role in zip(given, keys, ROLES, strict=True):
        fallback = theory.factors[key].label if key in theory.factors else key.replace("_", " ")
        texts.append(_text(words or fallback, f"{role}_text"))
    return texts


def _against_web(theory: Theory, links: tuple[Link, ...], name: Any) -> tuple[list[str], list[str]]:
    """CMOCs whose own chain of links from a proposed link's start to its end has the same sign (they
    restate it) or the other sign (the proposal contradicts them), directly or through other factors."""
    from .build import _path_sign

    restates, contradicts = [], []
    for a, b, s in links:
        same, other = [], []
        for c in theory.cmocs.values():
            sign = _path_sign(c, a, b) if a in c.factors and b in c.factors else None
            if sign is not None:
                (same if sign == s else other).append(c.id)
        restates += same
        if other:
            contradicts.append(f"you say {name(a)} {sign_word(s)} {name(b)}; {', '.join(other)} state the opposite")
    return restates, contradicts


def _new_loops(g: Any, links: tuple[Link, ...], max_loop: int) -> list[str]:
    """Feedback loops of up to ``max_loop`` factors that the proposed links close, read from a new link."""
    import networkx as nx

    h = nx.DiGraph()
    for a, b in g.edges:
        h.add_edge(a, b, sign=g.edges[a, b]["relation"].sign)
    for a, b, s in links:
        h.add_edge(a, b, sign=s)
    new_edges = {(a, b) for a, b, _ in links}
    loops = []
    for cycle in nx.simple_cycles(h, length_bound=max_loop):
        pairs = list(itertools.pairwise([*cycle, cycle[0]]))
        if not new_edges & set(pairs) or (len(cycle) < 2):
            continue
        if all(g.has_edge(a, b) for a, b in pairs) and all(
                g.edges[a, b]["relation"].sign == s for a, b, s in links if (a, b) in pairs):
            continue  # the web had this loop already
        start = next(i for i, pair in enumerate(pairs) if pair in new_edges)  # read from the proposed link
        cycle = cycle[start:] + cycle[:start]
        path = [*cycle, cycle[0]]
        sign = 1
        for a, b in itertools.pairwise(path):
            sign *= h.edges[a, b]["sign"]
        kind = {1: "reinforcing", -1: "balancing", 0: "contested"}[sign]
        loops.append(f"{kind}: " + " \u2192 ".join(path))
    return sorted(set(loops), key=lambda s: (len(s), s))


def propose(context: str, mechanism: str, outcome: str, context_sign: object = "+", outcome_sign: object = "+",
            context_text: str = "", mechanism_text: str = "", outcome_text: str = "", evidence: str = "",
            max_loop: int = 6) -> Proposal:
    """Set a proposed CMOC against the web: what it attaches to, what it restates or contradicts, and
    which feedback loops its two links close (up to ``max_loop`` factors)."""
    from ...web import _collapsed, build_web

    theory = load_theory()
    found = [_factor_key(v, r) for v, r in ((context, "context"), (mechanism, "mechanism"), (outcome, "outcome"))]
    keys = [k for k, _, _ in found]
    names = tuple(dict.fromkeys((k, shown) for k, shown, _ in found))
    if len(set(keys)) < 3:
        raise IockitError("factors", keys, "three different factors for context, mechanism and outcome")
    signs = (_sign(context_sign, "context_sign"), _sign(outcome_sign, "outcome_sign"))
    texts = _texts(theory, keys, (context_text, mechanism_text, outcome_text))
    if len(evidence) > 2000:
        raise IockitError("evidence", evidence[:40] + "...", "up to 2000 characters")
    links = ((keys[0], keys[1], signs[0]), (keys[1], keys[2], signs[1]))
    g = _collapsed(build_web(theory))
    restates, contradicts = _against_web(theory, links, lambda k: dict(names).get(k, k))
    attaches = tuple((k, tuple(c.id for c in theory.cmocs_for(k))) for k in keys if k in theory.factors)
    new = tuple(k for k in keys if k not in theory.factors)
    return Proposal(keys[0], keys[1], keys[2], signs[0], signs[1], *texts, evidence=evidence, new_factors=new,
                    attaches=attaches, loops=tuple(_new_loops(g, links, max_loop)), contradicts=tuple(contradicts),
                    restates=tuple(dict.fromkeys(restates)), links=links, names=names,
                    suggestions=tuple((k, close) for k, _, close in found if close))
