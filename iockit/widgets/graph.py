"""The one place iockit touches ipycytoscape.

ipycytoscape 1.3.3 (2022) is barely maintained, so every diagram goes through :class:`GraphView`:
swap the backend here and nothing else changes. Handlers are registered before display, the
figure keeps the 400px height ipycytoscape's CSS assumes, and if the library is missing or fails,
the view degrades to a readable list of the same nodes and links (``IOCKIT_NO_CYTOSCAPE=1`` forces
this, for tests and for machines where the diagram will not draw). Because a canvas is not
keyboard-operable, a dropdown offers every node too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as W

from ._base import esc, log


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    category: str = ""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    sign: int
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.source}__{self.target}"


def _cytoscape():
    if os.environ.get("IOCKIT_NO_CYTOSCAPE"):
        raise ImportError("IOCKIT_NO_CYTOSCAPE is set")
    import ipycytoscape

    return ipycytoscape


class GraphView(W.VBox):
    """A directed graph diagram with click selection, per-element styling and a text fallback."""

    def __init__(self, nodes: Sequence[Node], edges: Sequence[Edge], layout: str = "circle",
                 on_select: Callable[[str, str], None] | None = None, chooser_label: str = "Factor",
                 layout_options: dict | None = None) -> None:
        self._layout_options = dict(layout_options or {})
        self.nodes, self.edges = list(nodes), list(edges)
        self._on_select = on_select
        self.chooser = W.Dropdown(options=[("(choose)", "")] + [(n.label, n.id) for n in self.nodes], value="",
                                  description=chooser_label, layout=W.Layout(width="420px"))
        self.chooser.observe(lambda ch: ch["new"] and self._select("node", ch["new"]), names="value")
        self.fallback = False
        try:
            self.widget = self._build_cytoscape(layout)
        except Exception as exc:
            log.warning("diagram unavailable, showing a list instead: %s", exc)
            self.fallback = True
            self.widget = W.HTML(self._as_list())
        super().__init__([self.chooser, self.widget], layout=W.Layout(width="100%"))

    def _build_cytoscape(self, layout: str):
        cy = _cytoscape().CytoscapeWidget()
        cy.graph.add_graph_from_json({
            "nodes": [{"data": {"id": n.id, "label": n.label, "category": n.category}} for n in self.nodes],
            "edges": [{"data": {"id": e.id, "source": e.source, "target": e.target, "label": e.label,
                                "sign": e.sign}} for e in self.edges],
        }, directed=True)
        cy.on("node", "click", lambda node: self._select("node", node["data"]["id"]))   # before display
        cy.on("edge", "click", lambda edge: self._select("edge", edge["data"]["id"]))
        cy.set_layout(name=layout, animate=False, fit=True, padding=30, **self._layout_options)
        cy.layout.height = "400px"  # ipycytoscape's CSS fits the graph to 400px before our layout applies
        cy.layout.width = "100%"
        cy.min_zoom, cy.max_zoom = 0.3, 3.0
        self._base_style: list[dict] = []
        return cy

    def _as_list(self) -> str:
        label = {n.id: n.label for n in self.nodes}
        items = "".join(f"<li>{esc(label[e.source])} &rarr; {esc(label[e.target])} "
                        f"({'+' if e.sign > 0 else '-'}){(' ' + esc(e.label)) if e.label else ''}</li>"
                        for e in self.edges)
        return ('<div class="iockit"><p class="cite">The diagram could not be drawn here, so here it is as a list: '
                'each line is a causal link, + meaning more leads to more, - meaning more leads to less.</p>'
                f"<ul>{items}</ul></div>")

    def _select(self, kind: str, ident: str) -> None:
        if self._on_select is not None:
            self._on_select(kind, ident)

    def style(self, rules: list[dict]) -> None:
        """Apply cytoscape style rules (ignored, harmlessly, in the list fallback)."""
        if not self.fallback:
            self.widget.set_style(rules)

    def click(self, kind: str, ident: str) -> None:
        """What a click on a node or edge does (used by tests and keyboard users)."""
        self._select(kind, ident)
