"""The words of the dashboards that cite the review's CMOCs (``dashboards.yaml``): the introduction,
what to try, the sources line, the CMOCs each part cites, and the trust-building loop's diagram.
Read here, without ipywidgets; the dashboards in :mod:`iockit.widgets` lay them out."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import IockitError

DASHBOARDS_PATH = Path(__file__).with_name("dashboards.yaml")


@dataclass(frozen=True)
class DiagramLink:
    """A link of a dashboard's diagram: ``sign`` +1 raises, -1 lowers; the CMOCs it stands for."""

    source: str
    target: str
    sign: int
    cmocs: tuple[str, ...]

    @property
    def label(self) -> str:
        """The CMOC ids, the shared prefix said once: 'T3-24/25'."""
        first, *rest = self.cmocs
        prefix = first.rpartition("-")[0] + "-"
        return "/".join([first, *(i.removeprefix(prefix) for i in rest)])


@dataclass(frozen=True)
class DashboardWords:
    intro: str = ""
    tries: tuple[str, ...] = ()
    sources: str = ""
    cites: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    edges: tuple[DiagramLink, ...] = ()
    nodes: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)   # node -> (words, CMOCs)


def _words(key: str, raw: Mapping[str, Any]) -> DashboardWords:
    edges = tuple(DiagramLink(e["source"], e["target"], int(e["sign"]), tuple(e["cmocs"])) for e in raw.get("edges", ()))
    for i, e in enumerate(edges):
        if e.sign not in (1, -1) or not e.cmocs:
            raise IockitError(f"dashboards.yaml {key}.edges[{i}]", e, "a link with sign 1 or -1 and its CMOCs")
    return DashboardWords(raw.get("intro", ""), tuple(raw.get("tries", ())), raw.get("sources", ""),
                          {k: tuple(v) for k, v in raw.get("cites", {}).items()}, edges,
                          {k: (v["text"], tuple(v["cmocs"])) for k, v in raw.get("nodes", {}).items()})


@functools.lru_cache(maxsize=1)
def _all_words() -> dict[str, DashboardWords]:
    import yaml

    from ..theory import load_theory
    from ..validate import named_cmocs

    raw = yaml.safe_load(DASHBOARDS_PATH.read_text(encoding="utf-8"))
    known = load_theory().cmocs
    for where, ident in named_cmocs(raw):
        if ident not in known:
            raise IockitError(f"dashboards.yaml {where}", ident, "a CMOC id of the theory (see `iockit cmocs`)")
    return {key: _words(key, value) for key, value in raw.items()}


def dashboard_words(key: str) -> DashboardWords:
    """The words of dashboard ``key`` (loop, synergy, compare, confidence, evidence, lifecycle, workshop)."""
    from ..lookup import check_name

    words = _all_words()
    return words[check_name("dashboard", key, words, "dashboards")]
