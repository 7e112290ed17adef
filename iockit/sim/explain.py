"""A run told month by month in plain language: what happened and which CMOCs drove it, with the
review's reference numbers. Because the realist question is *why*.

The words of each event and the CMOCs that carry it are data, ``iockit/sim/narrative.yaml``; this
module decides which events a run shows and fills in its numbers."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import IockitError
from ..theory import load_theory
from .model import FAITH_THRESHOLD, PHASES, TRUST_THRESHOLD, Result, carrier_weight, entry_trust_shift, simulate

NARRATIVE_PATH = Path(__file__).with_name("narrative.yaml")


@dataclass(frozen=True)
class Line:
    month: int  # 0 = before the first month
    text: str
    cmocs: tuple[str, ...]

    def as_record(self) -> dict[str, Any]:
        return {"month": self.month, "text": self.text, "cmocs": list(self.cmocs)}


@functools.lru_cache(maxsize=1)
def narrative() -> dict[str, Any]:
    """The story's words and CMOCs (``narrative.yaml``), read once."""
    import yaml

    from ..validate import named_cmocs

    raw = yaml.safe_load(NARRATIVE_PATH.read_text(encoding="utf-8"))
    for part in ("phases", "opening", "basis", "events"):
        if not isinstance(raw, dict) or not isinstance(raw.get(part), dict):
            raise IockitError("narrative.yaml", part, "a mapping under each of: phases, opening, basis, events")
    known = load_theory().cmocs
    for where, ident in named_cmocs(raw):
        if ident not in known:
            raise IockitError(f"narrative.yaml {where}", ident, "a CMOC id of the theory (see `iockit cmocs`)")
    return raw


def cite(*ids: str) -> str:
    """'<id> [refs]; <id> [refs]', e.g. the reference numbers of two CMOCs, in the order given."""
    theory = load_theory()
    return "; ".join(f"{i} {theory.cmocs[i].cites()}" for i in ids)


def _l(month: int, text: str, *ids: str) -> Line:
    return Line(month, f"{text} ({cite(*ids)})" if ids else text, ids)


def _say(month: int, event: str, **values: Any) -> Line:
    """Event ``event`` of narrative.yaml at ``month``, its words filled with ``values``, its CMOCs cited."""
    rule = narrative()["events"][event]
    return _l(month, rule["text"].format(month=month, **values), *rule.get("cmocs", ()))


def explain(contexts: Mapping[str, object] | None = None, months: int = 36, seed: int = 0, partners: int = 2,
            partner_overrides: Sequence[Mapping[str, object]] | None = None,
            initial: Mapping[str, float] | None = None) -> list[Line]:
    """Simulate one run and tell it."""
    result = simulate(contexts, months=months, runs=1, seed=seed, partners=partners,
                      partner_overrides=partner_overrides, initial=initial)
    return narrate(result)


@dataclass
class _Story:
    """What the story has told so far of one run (so each thing is told once, or once per change)."""

    s: dict[str, Any]          # the run's series
    ev: dict[str, Any]         # the run's events
    c: dict[str, Any]          # the contexts
    basis: Any = None          # E13: trust, or trust and confidence blended, by month
    phase: int = -1
    in_synergy: bool = False
    quick_win: bool = False
    warned_trust: bool = False
    warned_faith: bool = False


def narrate(r: Result, run: int = 0) -> list[Line]:
    story = _Story({k: v[run] for k, v in r.series.items()}, {k: v[run] for k, v in r.events.items()}, r.contexts)
    story.in_synergy = story.s["synergy"][0] >= 0.5
    w = carrier_weight(float(story.c["mandated"]), float(story.c["integration"]))
    story.basis = (1 - w) * story.s["trust"] + w * story.s["confidence"]
    lines = [_opening(r, story.s, story.c)]
    for m in range(r.months):
        ph = int(r.phase[run, m])
        if PHASES[ph] == "dissolution":
            lines.append(_dissolution(story, m, r.dissolved_reason[run]))
            break
        lines += _month(story, m, ph)
    if r.dissolved_month[run] < 0:
        lines.append(_ending(r, story.s))
    return lines


def _basis_words(c: dict[str, Any]) -> str:
    """What carries the collaboration (E13): trust alone, or trust with confidence in part of its place."""
    w = carrier_weight(float(c["mandated"]), float(c["integration"]))
    words = narrative()["basis"]
    return words["trust"] if w < 0.25 else words["blend"].format(share=w)


def _dissolution(story: _Story, m: int, why: str) -> Line:
    if why == "trust":
        return _say(m + 1, "dissolved_trust", threshold=TRUST_THRESHOLD, basis=story.basis[m],
                    basis_words=_basis_words(story.c))
    return _say(m + 1, "dissolved_faith", threshold=FAITH_THRESHOLD)


def _month(story: _Story, m: int, ph: int) -> list[Line]:
    """What month ``m`` (0-based) adds to the story, in the order it is told."""
    month, s, lines = m + 1, story.s, []
    if ph != story.phase:
        if story.phase >= 0:
            lines.append(_say(month, "phase", phase=narrative()["phases"][PHASES[ph]]))
        story.phase = ph
    lines += _tasks(story, m)
    if story.ev["conflict_events"][m]:
        cr = float(story.c["conflict_resolution"])
        lines.append(_say(month, "conflict_constructive" if cr >= 0.5 else "conflict_destructive", resolution=cr,
                          accountability=float(story.c["accountability"])))
    now_synergy = s["synergy"][m] >= 0.5
    if now_synergy != story.in_synergy:
        lines.append(_say(month, "synergy" if now_synergy else "inertia", functioning=s["functioning"][m]))
        story.in_synergy = now_synergy
    if not story.warned_trust and story.basis[m] < TRUST_THRESHOLD + 0.1:
        story.warned_trust = True
        lines.append(_say(month, "trust_low", basis=story.basis[m], basis_words=_basis_words(story.c)))
    if not story.warned_faith and s["faith"][m] < FAITH_THRESHOLD + 0.1:
        story.warned_faith = True
        lines.append(_say(month, "faith_low", faith=s["faith"][m]))
    return lines


def _tasks(story: _Story, m: int) -> list[Line]:
    k, f = int(story.ev["successes"][m]), int(story.ev["failures"][m])
    if not k + f:
        return []
    if f >= 3:
        return [_say(m + 1, "tasks_failed", failed=f, tasks=k + f, ambition=story.s["aim_ambition"][m])]
    if k == k + f and m + 1 <= 12 and not story.quick_win:
        story.quick_win = True
        return [_say(m + 1, "quick_win", succeeded=k)]
    return []


def _ending(r: Result, s: dict[str, Any]) -> Line:
    last = r.months - 1
    event = "intact_synergy" if s["synergy"][last] >= 0.5 else "intact_inertia"
    return _say(r.months, event, months=r.months, trust=s["trust"][last], faith=s["faith"][last],
                confidence=s["confidence"][last], performance=s["performance"][last])


def _reasons(s: dict[str, Any], c: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Which of narrative.yaml's opening reasons apply to this run, with the numbers they show."""
    out: list[tuple[str, dict[str, Any]]] = []
    pc = float(c["prior_collaboration"])
    if abs(pc - 0.5) >= 0.2:
        out.append(("history_good" if pc > 0.5 else "history_poor", {}))
    if abs(s["formalisation_effective"][0] - 0.5) >= 0.2:
        out.append(("formal_strong" if s["formalisation_effective"][0] > 0.5 else "formal_weak", {}))
    if float(c["mandated"]) >= 0.5:
        out.append(("mandate", {}))
    if s["domination"][0] >= 0.45:
        unequal = float(c["resource_equality"]) < 0.5
        out.append(("domination_unequal_resources" if unequal else "domination_equal_resources",
                    {"domination": s["domination"][0]}))
    shift = entry_trust_shift(str(c["entry_point"]))
    if shift:
        entry = load_theory().entry_points[str(c["entry_point"])]
        out.append(("entry_point", {"entry": entry.entry_point, "direction": "raises" if shift > 0 else "lowers",
                                    "references": list(entry.references)}))
    return out


def _opening(r: Result, s: dict, c: dict) -> Line:
    words = narrative()["opening"]
    reasons, ids = [], []
    for key, values in _reasons(s, c):
        rule = words["reasons"][key]
        reasons.append(rule["text"].format(**values))
        ids += rule.get("cmocs", [])
    why = words["why"].format(reasons=", ".join(reasons)) if reasons else ""
    text = words["text"].format(partners=r.partners, trust=s["trust"][0], faith=s["faith"][0], why=why,
                                complexity=s["task_complexity"][0], requirement=s["trust_requirement"][0])
    return _l(0, text, *ids)
