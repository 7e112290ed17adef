"""Where the dashboards are served: a dashboard's address, the full link that opens it in a given
state, and the warning for a link too long to share. The state itself goes into the query string
through the dashboard-state link codec (:mod:`iockit.teach.statelink`). Core only: no ipywidgets.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import IockitError
from ..lookup import check_name
from .statelink import State, _short, to_query

MAX_LINK = 2000     # characters: longer links get :func:`link_warning`
DEFAULT_BASE = "http://127.0.0.1:8866"
#: Voila's display settings, kept when a link is built from a page address (a login ``token`` is not).
_KEPT_IN_LINKS = ("voila-template", "voila-theme", "template", "theme")

#: Dashboard name -> notebook, relative to the served notebooks folder (``iockit dashboard``).
DASHBOARD_NOTEBOOKS: dict[str, str] = {
    "loop": "01_trust_building_loop.ipynb",
    "synergy": "02_inertia_vs_synergy.ipynb",
}


def notebook_path(dashboard: str) -> str:
    """The notebook of a dashboard or lesson, relative to the served notebooks folder."""
    if not isinstance(dashboard, str) or dashboard not in DASHBOARD_NOTEBOOKS:
        try:
            key = check_name("dashboard", str(dashboard), DASHBOARD_NOTEBOOKS, "link --help")
        except IockitError as exc:
            raise IockitError("dashboard", dashboard, "one of " + ", ".join(DASHBOARD_NOTEBOOKS), exc.hint) from None
        return DASHBOARD_NOTEBOOKS[key]
    return DASHBOARD_NOTEBOOKS[dashboard]


def dashboard_url(dashboard: str = "loop", base: str = DEFAULT_BASE) -> str:
    """The address of a dashboard served by ``iockit dashboard`` at ``base`` (no query string)."""
    parts = _check_base(base)
    path = parts.path.rstrip("/") + "/voila/render/" + notebook_path(dashboard)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _check_base(url: str, field: str = "base") -> Any:
    allowed = "a web address starting with http:// or https://, e.g. " + DEFAULT_BASE
    if not isinstance(url, str) or any(c.isspace() for c in url):
        raise IockitError(field, _short(url), allowed)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise IockitError(field, _short(url), allowed)
    return parts


def link(base_url: str, state: State) -> str:
    """The full link that opens ``state`` on the page ``base_url`` (a dashboard's address). A query
    string already on ``base_url`` is replaced, except Voila's display settings (theme, template);
    a login ``token`` is never copied into a link."""
    parts = _check_base(base_url, "base_url")
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k in _KEPT_IN_LINKS]
    query = "&".join(q for q in (urlencode(kept), to_query(state)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def link_warning(url: str) -> str | None:
    """A plain-words warning when a link is longer than :data:`MAX_LINK` characters, else None."""
    if len(url) <= MAX_LINK:
        return None
    return (f"This link is very long ({len(url):,} characters). Some web browsers, and many chat and email "
            "programs, cut long links short, and a shortened link will not open these settings. To share "
            "these settings safely, download the scenario file and send that instead; the other person "
            "can load it on the same dashboard.")
