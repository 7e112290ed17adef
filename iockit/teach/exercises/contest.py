"""Contest the theory: propose a new CMOC and see where it attaches to the review's web of causality,
what it restates or contradicts, and which feedback loops its two links close."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from ...errors import IockitError
from ...lookup import normalise_key
from ...theory import Theory, load_theory
from .common import ROLES, Feedback, _sign

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


def _texts(theory: Theory, keys: list[str], given: tuple[str, str, str]) -> list[str]:
    texts = []
    for words, key, role in zip(given, keys, ROLES, strict=True):
        fallback = theory.factors[key].label if key in theory.factors else key.replace("_", " ")
        texts.append(_text(words or fallback, f"{role}_text"))
    return texts


def _against_web(g: Any, links: tuple[Link, ...]) -> tuple[list[str], list[str]]:
    """CMOCs that already state the proposed links, and the proposed links the web states the other way."""
    restates, contradicts = [], []
    for a, b, s in links:
        if g.has_edge(a, b):
            rel = g.edges[a, b]["relation"]
            same, other = (rel.positive, rel.negative) if s > 0 else (rel.negative, rel.positive)
            restates += same
            if other:
                word = "raises" if s > 0 else "lowers"
                contradicts.append(f"you say {a} {word} {b}; {', '.join(other)} state the opposite")
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
    keys = [_factor_key(v, r) for v, r in ((context, "context"), (mechanism, "mechanism"), (outcome, "outcome"))]
    if len(set(keys)) < 3:
        raise IockitError("factors", keys, "three different factors for context, mechanism and outcome")
    signs = (_sign(context_sign, "context_sign"), _sign(outcome_sign, "outcome_sign"))
    texts = _texts(theory, keys, (context_text, mechanism_text, outcome_text))
    if len(evidence) > 2000:
        raise IockitError("evidence", evidence[:40] + "...", "up to 2000 characters")
    links = ((keys[0], keys[1], signs[0]), (keys[1], keys[2], signs[1]))
    g = _collapsed(build_web(theory))
    restates, contradicts = _against_web(g, links)
    attaches = tuple((k, tuple(c.id for c in theory.cmocs_for(k))) for k in keys if k in theory.factors)
    new = tuple(k for k in keys if k not in theory.factors)
    return Proposal(keys[0], keys[1], keys[2], signs[0], signs[1], *texts, evidence=evidence, new_factors=new,
                    attaches=attaches, loops=tuple(_new_loops(g, links, max_loop)), contradicts=tuple(contradicts),
                    restates=tuple(dict.fromkeys(restates)), links=links)
