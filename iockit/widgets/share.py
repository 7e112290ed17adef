"""Share and keep: a dashboard's state as a link and as a scenario file, loading a scenario file,
and exporting run data (CSV) and charts (PNG, SVG). Downloads are plain links with the file inside
(``data:`` URLs) or bqplot's own export, so they need nothing from the server."""

from __future__ import annotations

import base64
import functools
import os
from typing import Any

import ipywidgets as W

from .._format import render
from ..errors import IockitError
from ..sim.model import LIMITS
from ..teach import addresses
from ..teach import statelink as core
from ._base import esc, log, safe


def download_link(content: str | bytes, filename: str, mime: str, label: str) -> str:
    """An HTML link that saves ``content`` as ``filename`` when clicked (no server round trip)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (f'<a class="iockit-download" download="{esc(filename)}" href="{href}" '
            f'style="margin-right:1.2em">{esc(label)}</a>')


@functools.lru_cache(maxsize=1)
def query_string() -> str:
    """The query string of the page this dashboard was opened with ('' outside Voila). With Voila's
    preheated kernels this waits for the page request, as Voila documents (voila.utils); a Voila
    kernel serves one page, so the answer is kept rather than waited for again."""
    from ._pagequery import get_query_string  # Voila's protocol, without the 6 s import of voila.utils

    try:
        return get_query_string() or ""
    except Exception:  # a kernel outside Voila, or a server that does not answer
        log.warning("could not read the page's query string", exc_info=True)
        return os.environ.get("QUERY_STRING", "")


def large_requested(query: str | None = None) -> bool | None:
    """``large=1`` / ``large=0`` in the page's link (large type for projection), else None."""
    from urllib.parse import parse_qs

    values = parse_qs((query if query is not None else query_string()).lstrip("?")).get("large")
    return None if not values else values[-1] in ("1", "true", "yes")


def page_url_length_estimate(query: str) -> int:
    """Length of the full link: the page path Voila reports, the host, and the query."""
    host = os.environ.get("SERVER_NAME", "localhost")
    path = os.environ.get("SCRIPT_NAME", "/voila/render/notebook.ipynb")
    return len("https://") + len(host) + 6 + len(path) + 1 + len(query)


def rows_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV, formatted as the command line's ``--format csv`` (so a download matches ``iockit simulate``)."""
    return render(rows, "csv") + "\n"


class SharePanel(W.VBox):
    """Under a context dashboard: run settings (months, seed), link, scenario file, exports.

    ``dashboard`` is a :class:`~iockit.widgets.dashboard.PanelDashboard` or offers what this uses of one:
    ``panel`` (a ContextPanel), ``months``, ``seed``, ``result``, ``set_run(months, seed)``, ``figure`` (the
    main bqplot Figure) and a short ``key`` for file names.
    """

    def __init__(self, dashboard: Any) -> None:
        self.dash = dashboard
        self.message = W.HTML()
        lo, hi = LIMITS["months"]
        self.months = W.BoundedIntText(value=dashboard.months, min=lo, max=hi, description="Months",
                                       layout=W.Layout(width="190px"), tooltip="How many months to simulate")
        self.seed = W.BoundedIntText(value=dashboard.seed, min=0, max=999_999, description="Seed",
                                     layout=W.Layout(width="190px"),
                                     tooltip="Random seed: the same seed gives the same 200 collaborations")
        for w in (self.months, self.seed):
            w.observe(safe(self.message)(lambda _: self._run_changed()), names="value")
        self.title = W.Text(value="My scenario", description="Name it", layout=W.Layout(width="420px"),
                            tooltip="A name for the scenario file (for example your group's name)")
        self.title.observe(safe(self.message)(lambda _: self.refresh()), names="value")
        self.link = W.HTML()
        self.downloads = W.HTML()
        self.upload = W.FileUpload(accept=".yaml,.yml", multiple=False, description="Load a scenario file",
                                   tooltip="Open a scenario file (YAML) saved from a dashboard",
                                   layout=W.Layout(width="auto"))  # without a tooltip the button's title reads "null"
        self.upload.observe(safe(self.message)(self._uploaded), names="value")
        self.png = W.Button(description="Save chart as PNG", icon="image")
        self.svg = W.Button(description="Save chart as SVG", icon="file-image")
        self.png.on_click(safe(self.message)(lambda _: self.dash.figure.save_png(f"iockit-{self.dash.key}.png")))
        self.svg.on_click(safe(self.message)(lambda _: self.dash.figure.save_svg(f"iockit-{self.dash.key}.svg")))
        self._quiet = False
        super().__init__([W.HTML('<div class="iockit"><h3>Share and save</h3></div>'),
                          W.HBox([self.months, self.seed], layout=W.Layout(flex_flow="row wrap")),
                          self.link, self.title, self.downloads,
                          W.HBox([self.upload, self.png, self.svg], layout=W.Layout(flex_flow="row wrap")),
                          self.message], layout=W.Layout(width="100%", border="1px solid #ddd", padding="4px 10px"))
        self.add_class("iockit-share")

    # --- state ----------------------------------------------------------------------------------
    def state(self) -> core.State:
        p = self.dash.panel
        scenario = getattr(p, "preset", None)
        contexts = {k: round(v, 4) if isinstance(v, float) else v for k, v in p.contexts().items()}
        return core.State(scenario=(scenario.value or None) if scenario is not None else None,
                          contexts=contexts, months=self.dash.months, seed=self.dash.seed,
                          partners=p.partners, partner_overrides=[dict(o) for o in p.partner_overrides],
                          large=getattr(self.dash, "large", False))

    def apply(self, state: core.State) -> None:
        """Put a state on the dashboard: one re-run."""
        p = self.dash.panel
        self._quiet = True
        try:
            p.show_preset(state.scenario)
            self.months.value, self.seed.value = state.months, state.seed
        finally:
            self._quiet = False
        self.dash.months, self.dash.seed = state.months, state.seed
        self.dash.set_run(state.months, state.seed, rerun=False)
        p.set(state.contexts, state.partners, state.partner_overrides)   # re-runs once, then refresh() via listener

    def apply_query(self, query: str) -> None:
        """Open the state a shared link carries; a bad link leaves the defaults and says why."""
        if not query.strip("?"):
            return
        try:
            state = core.from_query(query)
        except IockitError as exc:
            self.message.value = (f'<div class="alert">This link could not be opened as it is: {esc(exc.message)}. '
                                  "The dashboard shows its defaults instead.</div>")
            return
        self.apply(state)
        if state.large:
            self.dash.large = True
            self.dash.add_class("iockit-large")
            self.refresh()
        self.message.value = '<div class="status">Opened the state from the link.</div>'

    def refresh(self) -> None:
        """Rebuild the link and the downloads for the current state (after every run)."""
        st = self.state()
        query = core.to_query(st)
        warn = addresses.link_warning("x" * page_url_length_estimate(query))
        href = "?" + query if query else "?"
        self.link.value = (f'<div class="iockit"><a class="iockit-share-link" href="{esc(href)}" target="_blank">'
                           f"Link to this state</a> (right-click it and choose <i>Copy link</i> to share it; it opens "
                           f"this dashboard with the same contexts, months and seed)."
                           + (f'<div class="alert">{esc(warn)}</div>' if warn else "") + "</div>")
        title = " ".join(self.title.value.split())[:80] or "My scenario"
        scenario = st.to_scenario(title=title, description=f"Saved from the iockit {self.dash.key} dashboard.")
        slug = "-".join("".join(ch if ch.isalnum() else " " for ch in title.lower()).split()) or "scenario"
        files = [download_link(scenario.to_yaml(), f"{slug}.yaml", "application/x-yaml",
                               "Download scenario (YAML)")]
        r = self.dash.result
        if r is not None:
            files.append(download_link(rows_csv(r.rows()), f"iockit-{self.dash.key}-run.csv", "text/csv",
                                       "Download run data (CSV)"))
        self.downloads.value = '<div class="iockit">' + "".join(files) + "</div>"

    def start(self) -> None:
        """Listen to the dashboard's contexts, build the link and downloads, open the page's link state."""
        self.dash.panel.on_change(safe(self.message)(self.refresh))
        self.refresh()
        self.apply_query(query_string())

    # --- callbacks --------------------------------------------------------------------------------
    def _run_changed(self) -> None:
        if self._quiet:
            return
        self.dash.set_run(int(self.months.value), int(self.seed.value))
        self.refresh()

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        f = files[0]
        name = getattr(f, "name", None) or f["name"]
        content = bytes(getattr(f, "content", None) or f["content"])
        from ..sim.scenarios import parse_scenario_bytes

        try:
            sc = parse_scenario_bytes(content, name)
        except IockitError as exc:
            self.message.value = (f'<div class="alert">{esc(name)} was not loaded, nothing changed: '
                                  f"{esc(exc.message)}</div>")
            return
        finally:
            self.upload.value = ()
        state = core.State.from_scenario(sc, months=sc.months or self.dash.months, seed=self.dash.seed)
        self.apply(state)
        self.message.value = f'<div class="status">Loaded {esc(sc.title)} from {esc(name)}.</div>'
