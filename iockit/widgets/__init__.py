"""Jupyter dashboards for iockit (ipywidgets, bqplot, ipycytoscape).

Widgets are built from the core API only; nothing in ``iockit`` imports this package. ``show(name)``
builds a dashboard and, if anything goes wrong, shows a plain message instead of a traceback.
"""

from __future__ import annotations

import importlib
from typing import Any

DASHBOARDS = {
    "loop": ("loop", "TrustLoopDashboard", "The trust-building loop"),
    "synergy": ("synergy", "SynergyDashboard", "Inertia versus synergy"),
    "web": ("webview", "WebDashboard", "The web of causality"),
    "evidence": ("browser", "EvidenceBrowser", "CMOC and evidence browser"),
    "compare": ("compare", "CompareDashboard", "Compare two contexts"),
    "confidence": ("confidence", "ConfidenceDashboard", "From trust to confidence"),
    "lifecycle": ("lifecycle", "LifecycleDashboard", "Lifecycle and entry points"),
    "sensitivity": ("sensitivity", "SensitivityDashboard", "Which contexts matter most?"),
    "workshop": ("workshop", "WorkshopDashboard", "Workshop: pool the groups' collaborations"),
    "questionnaire": ("questionnaire", "Questionnaire", "Before and after questionnaire"),
}


def build(name: str, **kwargs: Any):
    module, cls, _ = DASHBOARDS[name]
    return getattr(importlib.import_module(f".{module}", __name__), cls)(**kwargs)


def show(name: str, **kwargs: Any):
    """Build dashboard ``name``; on failure return a readable message widget (never a traceback)."""
    import ipywidgets as W

    from ._base import BASE_CSS, log

    try:
        return build(name, **kwargs)
    except Exception:
        log.exception("dashboard %s failed to build", name)
        title = DASHBOARDS.get(name, ("", "", name))[2]
        return W.HTML(f'{BASE_CSS}<div class="iockit alert"><h2>{title}</h2>This dashboard could not start here. '
                      "Reload the page; if it still does not start, please tell your lecturer or facilitator.</div>")


def in_voila() -> bool:
    """True in a kernel Voila started (it sets these variables), False in Jupyter or under tests."""
    import os

    return "VOILA_PREHEAT" in os.environ or "VOILA_KERNEL_ID" in os.environ


def lesson(key: str):
    """Guided lesson ``key`` (see ``iockit lessons``), or a readable message if it cannot start."""
    from .lesson import lesson as _lesson

    return _lesson(key)


def __getattr__(name: str) -> Any:
    for module, cls, _ in DASHBOARDS.values():
        if cls == name:
            return getattr(importlib.import_module(f".{module}", __name__), cls)
    raise AttributeError(name)
