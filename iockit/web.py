"""The causal web: factors as nodes, CMOC links as signed edges (networkx).

The web is a :class:`networkx.MultiDiGraph` with one edge per link per CMOC, so every edge keeps
the CMOC that states it. Queries collapse it to one signed relation per ordered pair of factors:
a pair stated with both signs is *contested*, which is itself a realist teaching point.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from math import prod
from typing import TYPE_CHECKING

from .lookup import check_factor
from .theory import Theory, load_theory

if TYPE_CHECKING:
    import networkx as nx

REINFORCING, BALANCING, CONTESTED = "reinforcing", "balancing", "contested"


@dataclass(frozen=True)
class Relation:
    """Everything the theory says about ``source -> target``."""

    source: str
    target: str
    positive: tuple[str, ...]  # CMOC ids stating a + link
    negative: tuple[str, ...]  # CMOC ids stating a - link

    @property
    def contested(self) -> bool:
        return bool(self.positive) and bool(self.negative)

    @property
    def sign(self) -> int:
        """+1, -1, or 0 when contested."""
        if self.contested:
            return 0
        return 1 if self.positive else -1

    @property
    def cmocs(self) -> tuple[str, ...]:
        return self.positive + self.negative

    @property
    def symbol(self) -> str:
        return {1: "+", -1: "-", 0: "±"}[self.sign]

    def as_record(self) -> dict[str, object]:
        return {"source": self.source, "target": self.target, "positive": list(self.positive),
                "negative": list(self.negative)}


@dataclass(frozen=True)
class Chain:
    """A causal chain of factors with the relation behind each step."""

    factors: tuple[str, ...]
    relations: tuple[Relation, ...]

    @property
    def sign(self) -> int:
        """Product of the step signs (0 if any step is contested)."""
        return prod(r.sign for r in self.relations)

    @property
    def cmocs(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for r in self.relations:
            for c in r.cmocs:
                seen.setdefault(c, None)
        return tuple(seen)


    def steps(self) -> str:
        """'a -(+)-> b -(-)-> c': the chain with the sign of each step."""
        out = self.factors[0]
        for rel in self.relations:
            out += f" -({rel.symbol})-> {rel.target}"
        return out

    def as_record(self) -> dict[str, object]:
        return {"chain": self.steps(), "length": len(self.relations),
                "effect": {1: "+", -1: "-", 0: "contested"}[self.sign], "cmocs": list(self.cmocs)}


@dataclass(frozen=True)
class Loop(Chain):
    """A feedback loop; ``factors`` starts and ends at the same factor."""

    name: str = ""

    @property
    def polarity(self) -> str:
        return {1: REINFORCING, -1: BALANCING, 0: CONTESTED}[self.sign]

    def as_record(self) -> dict[str, object]:
        return {"name": self.name, "loop": self.steps(), "length": len(self.relations),
                "polarity": self.polarity, "cmocs": list(self.cmocs)}


def build_web(theory: Theory | None = None) -> nx.MultiDiGraph:
    """The causal web of the theory: nodes carry factor attributes, edges carry sign and CMOC."""
    import networkx as nx

    theory = theory or load_theory()
    g = nx.MultiDiGraph(name="iockit causal web")
    for f in theory.factors.values():
        g.add_node(f.key, label=f.label, category=f.category, roles=f.roles)
    for c in theory.cmocs.values():
        for link in c.links:
            g.add_edge(link.source, link.target, key=c.id, sign=link.sign, cmoc=c.id,
                       references=c.references)
    return g


def relations(web: nx.MultiDiGraph) -> dict[tuple[str, str], Relation]:
    """One :class:`Relation` per ordered pair of factors that some CMOC links."""
    pos: dict[tuple[str, str], list[str]] = {}
    neg: dict[tuple[str, str], list[str]] = {}
    for u, v, data in web.edges(data=True):
        (pos if data["sign"] > 0 else neg).setdefault((u, v), []).append(data["cmoc"])
    pairs = sorted(set(pos) | set(neg))
    return {p: Relation(p[0], p[1], tuple(pos.get(p, ())), tuple(neg.get(p, ()))) for p in pairs}


def _collapsed(web: nx.MultiDiGraph) -> nx.DiGraph:
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(web.nodes(data=True))
    for (u, v), rel in relations(web).items():
        g.add_edge(u, v, relation=rel)
    return g


def contested_links(web: nx.MultiDiGraph) -> list[Relation]:
    """Links stated with opposite signs in different CMOCs."""
    return [r for r in relations(web).values() if r.contested]


def chains(web: nx.MultiDiGraph, source: str, target: str, max_length: int = 4,
           theory: Theory | None = None) -> list[Chain]:
    """Every causal chain (simple path) from ``source`` to ``target`` of at most ``max_length`` links,
    shortest first."""
    import networkx as nx

    from .errors import IockitError

    theory = theory or load_theory()
    source = check_factor(theory, source, "CONTEXT")
    target = check_factor(theory, target, "OUTCOME")
    if not 1 <= max_length <= 8:
        raise IockitError("max-length", max_length, "a whole number from 1 to 8")
    g = _collapsed(web)
    paths = nx.all_simple_paths(g, source, target, cutoff=max_length) if source != target else []
    out = [Chain(tuple(p), tuple(g.edges[a, b]["relation"] for a, b in itertools.pairwise(p))) for p in paths]
    return sorted(out, key=lambda c: (len(c.factors), c.factors))


def _canonical(cycle: list[str]) -> tuple[str, ...]:
    """Rotate a cycle to start at its alphabetically first factor (so equal loops compare equal)."""
    i = cycle.index(min(cycle))
    return tuple(cycle[i:] + cycle[:i])


def feedback_loops(web: nx.MultiDiGraph, max_length: int = 4, theory: Theory | None = None) -> list[Loop]:
    """Every feedback loop of at most ``max_length`` factors, classified reinforcing (even number of
    negative links), balancing (odd), or contested (a link stated with both signs). Loops the review
    names (loops.csv) carry their name. Named loops first, then by length."""
    import networkx as nx

    from .errors import IockitError

    theory = theory or load_theory()
    if not 2 <= max_length <= 8:
        raise IockitError("max-length", max_length, "a whole number from 2 to 8")
    names = {_canonical(list(n.factors)): n.label for n in theory.loops.values()}
    g = _collapsed(web)
    loops = []
    for cycle in nx.simple_cycles(g, length_bound=max_length):
        if len(cycle) < 2:
            continue
        cyc = list(_canonical(cycle))
        names_key = tuple(cyc)
        # a named loop is written in causal order; start the loop at its named first factor
        for named in theory.loops.values():
            if _canonical(list(named.factors)) == names_key:
                start = cyc.index(named.factors[0])
                cyc = cyc[start:] + cyc[:start]
        path = [*cyc, cyc[0]]
        rels = tuple(g.edges[a, b]["relation"] for a, b in itertools.pairwise(path))
        loops.append(Loop(tuple(path), rels, names.get(names_key, "")))
    return sorted(loops, key=lambda lp: (lp.name == "", len(lp.factors), lp.factors))
