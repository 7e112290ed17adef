"""Dashboard 3: the whole web of causality. Factors coloured by role, links by sign; filter by
mechanism; click a factor or link for its CMOCs, quotes and references; highlight the chains from a
context to an outcome; list the feedback loops and highlight one; show the contested links."""

from __future__ import annotations

import ipywidgets as W

from ..theory import load_theory
from ..web import build_web, chains, contested_links, feedback_loops, relations
from ._base import esc, frame, safe
from ._palette import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILLION
from .graph import Edge, GraphView, Node

TRIES = ("Highlight the chains from <b>Shared vision</b> to <b>Partnership dissolution</b>.",
         "Choose <b>The trust-building loop</b>: a reinforcing loop, a virtuous or vicious circle.",
         "Tick <b>Show contested links</b>: the review states the effect of ambition both ways.")
CATEGORY_COLOURS = {"context": ORANGE, "functioning": SKY, "performance": GREEN, "dissolution": GREY}


class WebDashboard(W.VBox):
    def __init__(self) -> None:
        self.theory = t = load_theory()
        self.web = build_web(t)
        self.relations = relations(self.web)
        self.loops = feedback_loops(self.web, 4, t)
        self.contested = {(r.source, r.target) for r in contested_links(self.web)}
        self.details = W.HTML()
        self.graph = self._graph()
        self.highlight: tuple[set[str], set[tuple[str, str]]] = (set(), set())
        body = W.VBox([self._controls(), self._key(), self.graph,
                       W.Box([self.details], layout=W.Layout(width="100%", max_height="420px", overflow_y="auto"))])
        intro = ("The review's CMOCs chain into a <b>web of causality</b>: the outcome of one CMOC is the context or mechanism "
                 f"of another. Here are its {len(t.factors)} factors and the {len(self.relations)} causal links stated by its "
                 f"{len(t.cmocs)} CMOCs. Click a factor or a link (or choose a factor from the list) to read the CMOCs behind it.")
        super().__init__([frame("The web of causality", intro, list(TRIES), "Factors and links: datasets/cmocs.csv, docs/coding.md.", body)])
        self.restyle()
        self.details.value = '<div class="iockit cite">Click a factor or a link to see its CMOCs here.</div>'

    # --- building ----------------------------------------------------------------------------------
    def _graph(self) -> GraphView:
        """Every factor, and every link the CMOCs state (contested ones marked ±)."""
        nodes = [Node(f.key, f.label, f.category) for f in self.theory.factors.values()]
        edges = [Edge(u, v, rel.sign if rel.sign else 1, "±" if rel.contested else "") for (u, v), rel in self.relations.items()]
        return GraphView(nodes, edges, layout="cose", on_select=safe(self.details)(self.select),
                         layout_options={"idealEdgeLength": 90, "nodeRepulsion": 900000, "nodeOverlap": 40,
                                         "randomize": False, "componentSpacing": 80})

    def _controls(self) -> W.VBox:
        """Filter by mechanism, chains from a context to an outcome, a feedback loop, contested links."""
        t, wide = self.theory, {"description_width": "initial"}
        headings = sorted({c.heading for c in t.cmocs.values()})
        self.heading = W.Dropdown(options=[("All mechanisms", "")] + [(h, h) for h in headings], value="",
                                  description="Mechanism", style=wide, layout=W.Layout(width="380px"))
        self.heading.observe(safe(self.details)(lambda _: self.restyle()), names="value")
        ctx = [(f.label, f.key) for f in t.factors.values() if "context" in f.roles]
        out = [(f.label, f.key) for f in t.factors.values() if "outcome" in f.roles]
        self.path_from = W.Dropdown(options=ctx, value="shared_vision", description="From context", style=wide, layout=W.Layout(width="380px"))
        self.path_to = W.Dropdown(options=out, value="dissolution", description="To outcome", style=wide, layout=W.Layout(width="380px"))
        self.path_button = W.Button(description="Highlight chains", icon="route")
        self.path_button.on_click(safe(self.details)(lambda _: self.show_paths()))
        self.loop_choice = W.Dropdown(options=[("(choose a loop)", -1)] +
                                      [((lp.name or " -> ".join(lp.factors)) + f" ({lp.polarity})", i) for i, lp in enumerate(self.loops)],
                                      value=-1, description="Feedback loop", style=wide, layout=W.Layout(width="600px"))
        self.loop_choice.observe(safe(self.details)(lambda ch: self.show_loop(ch["new"])), names="value")
        self.show_contested = W.Checkbox(value=False, description="Show contested links (stated with both signs)",
                                         style=wide, layout=W.Layout(width="auto"))
        self.show_contested.observe(safe(self.details)(lambda _: self.restyle()), names="value")
        self.reset_button = W.Button(description="Clear highlights", icon="undo")
        self.reset_button.on_click(lambda _: self.reset())
        return W.VBox([self.heading, W.HBox([self.path_from, self.path_to, self.path_button], layout=W.Layout(flex_flow="row wrap")),
                       self.loop_choice, W.HBox([self.show_contested, self.reset_button])])

    @staticmethod
    def _key() -> W.HTML:
        """What the colours of the factors and the styles of the links mean, in words."""
        key = "".join(f'<span style="margin-right:1em"><span style="display:inline-block;width:14px;height:14px;border-radius:7px;'
                      f'background:{c};vertical-align:middle"></span> {n}</span>' for n, c in
                      [("context", CATEGORY_COLOURS["context"]), ("functioning mechanism", CATEGORY_COLOURS["functioning"]),
                       ("performance", CATEGORY_COLOURS["performance"]), ("dissolution", CATEGORY_COLOURS["dissolution"])])
        key += ('<span style="margin-right:1em">&#8213; blue link: more leads to more (+)</span>'
                '<span>- - orange dashed link: more leads to less (-)</span>')
        return W.HTML(f'<div class="iockit" style="font-size:14px">{key}</div>')

    # --- styling -----------------------------------------------------------------------------------
    def restyle(self) -> None:
        rules = [{"selector": "node", "style": {"label": "data(label)", "font-size": 11, "text-wrap": "wrap",
                                               "text-max-width": 90, "width": 18, "height": 18}},
                 {"selector": "edge", "style": {"curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1.5,
                                               "line-color": BLUE, "target-arrow-color": BLUE, "opacity": 0.7}},
                 {"selector": "edge[sign < 0]", "style": {"line-style": "dashed", "line-color": VERMILLION,
                                                         "target-arrow-color": VERMILLION}}]
        for cat, colour in CATEGORY_COLOURS.items():
            rules.append({"selector": f"node[category = '{cat}']", "style": {"background-color": colour}})
        if self.heading.value:
            keep = {(ln.source, ln.target) for c in self.theory.cmocs.values() if c.heading == self.heading.value for ln in c.links}
            for (u, v) in self.relations:
                if (u, v) not in keep:
                    rules.append({"selector": f"#{u}__{v}", "style": {"opacity": 0.06}})
        if self.show_contested.value:
            for (u, v) in self.contested:
                rules.append({"selector": f"#{u}__{v}", "style": {"width": 6, "line-color": PURPLE,
                                                                  "target-arrow-color": PURPLE, "opacity": 1}})
        nodes, edges = self.highlight
        for n in nodes:
            rules.append({"selector": f"#{n}", "style": {"width": 30, "height": 30, "border-width": 4, "border-color": "#000"}})
        for (u, v) in edges:
            rules.append({"selector": f"#{u}__{v}", "style": {"width": 5, "opacity": 1}})
        self.graph.style(rules)

    def reset(self) -> None:
        self.highlight = (set(), set())
        self.loop_choice.value = -1
        self.show_contested.value = False
        self.heading.value = ""
        self.restyle()
        self.details.value = '<div class="iockit cite">Click a factor or a link to see its CMOCs here.</div>'

    # --- details ---------------------------------------------------------------------------------
    def _cmoc_html(self, ids) -> str:
        out = []
        for cid in ids:
            c = self.theory.cmocs[cid]
            quote = f'<br><i>"{esc(c.quote)}"</i> ({esc(c.quote_source)})' if c.quote else ""
            out.append(f"<li><b>{esc(c.id)}</b> {esc(c.context)} &rarr; {esc(c.mechanism)} &rarr; {esc(c.outcome)} "
                       f"<span class='cite'>{esc(c.cites())}; {esc(c.provenance)}</span>{quote}</li>")
        return "<ul>" + "".join(out) + "</ul>"

    def select(self, kind: str, ident: str) -> None:
        if kind == "node":
            f = self.theory.factors[ident]
            ids = [c.id for c in self.theory.cmocs.values() if ident in c.factors]
            self.highlight = ({ident}, set())
            self.details.value = (f'<div class="iockit"><h3>{esc(f.label)}</h3><p>{esc(f.definition)} '
                                  f"<span class='cite'>[{', '.join(map(str, f.references))}]</span></p>"
                                  f"<p>Role(s): {esc(', '.join(f.roles))}. In {len(ids)} CMOCs:</p>{self._cmoc_html(ids)}</div>")
        else:
            u, v = ident.split("__")
            rel = self.relations[(u, v)]
            self.highlight = ({u, v}, {(u, v)})
            sign = "contested: stated with both signs" if rel.contested else ("more leads to more (+)" if rel.sign > 0 else "more leads to less (-)")
            self.details.value = (f'<div class="iockit"><h3>{esc(self.theory.factors[u].label)} &rarr; '
                                  f"{esc(self.theory.factors[v].label)}</h3><p>{sign}</p>{self._cmoc_html(rel.cmocs)}</div>")
        self.restyle()

    def show_paths(self) -> None:
        found = chains(self.web, self.path_from.value, self.path_to.value, 4, self.theory)
        nodes = {n for ch in found for n in ch.factors}
        edges = {(a, b) for ch in found for a, b in zip(ch.factors, ch.factors[1:], strict=False)}
        self.highlight = (nodes, edges)
        items = "".join(f"<li>{esc(ch.steps())} <span class='cite'>({esc(', '.join(ch.cmocs))})</span></li>" for ch in found[:25])
        more = f"<p>... and {len(found) - 25} more.</p>" if len(found) > 25 else ""
        self.details.value = (f'<div class="iockit"><h3>{len(found)} chains from {esc(self.path_from.value)} to '
                              f"{esc(self.path_to.value)} (up to 4 links)</h3><ul>{items}</ul>{more}"
                              "<p class='cite'>(+) more leads to more, (-) more leads to less, (±) contested.</p></div>")
        self.restyle()

    def show_loop(self, index: int) -> None:
        if index < 0:
            return
        lp = self.loops[index]
        self.highlight = (set(lp.factors), set(zip(lp.factors, lp.factors[1:], strict=False)))
        self.details.value = (f'<div class="iockit"><h3>{esc(lp.name or "Feedback loop")}: {esc(lp.polarity)}</h3>'
                              f"<p>{esc(lp.steps())}</p><p>Reinforcing: an even number of (-) links, so the loop amplifies "
                              f"itself: a virtuous or a vicious circle.</p>{self._cmoc_html(lp.cmocs)}</div>")
        self.restyle()
