"""Dashboard 4: search and filter every CMOC; each links to its studies and references."""

from __future__ import annotations

import ipywidgets as W

from ..teach.dashboards import dashboard_words
from ..theory import load_theory
from ._base import esc, frame, safe


class EvidenceBrowser(W.VBox):
    def __init__(self) -> None:
        self.theory = t = load_theory()
        self.search = W.Text(value="", placeholder="e.g. trust, ambition, merger, Murray", description="Search",
                             continuous_update=True, layout=W.Layout(width="420px"))
        headings = sorted({c.heading for c in t.cmocs.values()})
        self.heading = W.Dropdown(options=[("All mechanisms", "")] + [(h, h) for h in headings], value="",
                                  description="Mechanism", layout=W.Layout(width="420px"))
        self.source = W.ToggleButtons(options=[("All", ""), ("Table 3", "table_3"), ("Stated in the text", "text")],
                                      value="", description="Where")
        self.count = W.HTML()
        self.table = W.HTML()
        self.status = W.HTML()
        for w in (self.search, self.heading, self.source):
            w.observe(safe(self.status)(lambda _: self.refresh()), names="value")
        body = W.VBox([W.HBox([self.search, self.heading], layout=W.Layout(flex_flow="row wrap")), self.source,
                       self.count, self.status, self.table])
        words = dashboard_words("evidence")
        n_text = sum(c.source == "text" for c in t.cmocs.values())
        intro = words.intro.format(table3=len(t.cmocs) - n_text, text=n_text, studies=len(t.studies))
        super().__init__([frame("CMOC and evidence browser", intro, list(words.tries), words.sources, body)])
        self.search.value = self.requested() or ""
        self.refresh()

    def requested(self, query: str | None = None) -> str | None:
        """``cmoc=T3-18`` in the page's link (how a lesson's exercise links to one row), if it names a CMOC."""
        from urllib.parse import parse_qs

        from .share import query_string

        values = parse_qs((query if query is not None else query_string()).lstrip("?")).get("cmoc")
        ident = values[-1].strip().upper() if values else ""
        return ident if ident in self.theory.cmocs else None

    def matches(self) -> list:
        q = self.search.value.strip().lower()
        if q.upper() in self.theory.cmocs:   # a CMOC id: that row only
            return [self.theory.cmocs[q.upper()]]
        out = []
        for c in self.theory.cmocs.values():
            if self.heading.value and c.heading != self.heading.value:
                continue
            if self.source.value and c.source != self.source.value:
                continue
            if q:
                refs = " ".join(self.theory.references[n].citation for n in c.references)
                hay = " ".join([c.id, c.context, c.mechanism, c.outcome, c.quote, c.notes, " ".join(c.factors), refs,
                                " ".join(str(n) for n in c.references)]).lower()
                if q not in hay:
                    continue
            out.append(c)
        return out

    def refresh(self) -> None:
        found = self.matches()
        self.count.value = f"<b>{len(found)}</b> of {len(self.theory.cmocs)} CMOCs"
        rows = []
        for c in found:
            refs = []
            for n in c.references:
                ref = self.theory.references[n]
                study = self.theory.studies.get(n)
                kind = f" <i>(included study: {esc(study.collaboration_type)}, {esc(study.research_type)})</i>" if study else ""
                doi = f' <a href="https://doi.org/{esc(ref.doi)}" target="_blank" rel="noopener">doi</a>' if ref.doi else ""
                refs.append(f"<li>[{n}] {esc(ref.citation)}{doi}{kind}</li>")
            quote = f'<blockquote>"{esc(c.quote)}" ({esc(c.quote_source)})</blockquote>' if c.quote else ""
            notes = f'<div class="cite">{esc(c.notes)}</div>' if c.notes else ""
            rows.append(f"<tr><td><b>{esc(c.id)}</b><br><span class='cite'>{esc(c.provenance)}</span></td>"
                        f"<td><b>Context:</b> {esc(c.context)}<br><b>Mechanism:</b> {esc(c.mechanism)}<br>"
                        f"<b>Outcome:</b> {esc(c.outcome)}{quote}{notes}</td>"
                        f"<td><ul style='margin:0;padding-left:1.1em'>{''.join(refs) or '<li>no reference numbers given</li>'}</ul></td></tr>")
        self.table.value = ('<div class="iockit"><table class="cmocs"><tr><th>CMOC</th><th>Configuration</th>'
                            f"<th>References</th></tr>{''.join(rows)}</table></div>")
