"""A run told month by month in plain language: what happened and which CMOCs drove it, with the
review's reference numbers. Because the realist question is *why*."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..theory import load_theory
from .model import FAITH_THRESHOLD, PHASES, TRUST_THRESHOLD, Result, entry_trust_shift, simulate

PHASE_WORDS = {"contemplating": "contemplating the collaboration", "connecting": "connecting",
               "planning": "planning (agreeing aims, governance and accountability)",
               "implementation": "implementation", "maintenance": "maintenance"}


@dataclass(frozen=True)
class Line:
    month: int  # 0 = before the first month
    text: str
    cmocs: tuple[str, ...]

    def as_record(self) -> dict[str, Any]:
        return {"month": self.month, "text": self.text, "cmocs": list(self.cmocs)}


def cite(*ids: str) -> str:
    """'T3-24 [1, 46, 67]; TX-17 [1, 37, 46, 52]'."""
    theory = load_theory()
    return "; ".join(f"{i} {theory.cmocs[i].cites()}" for i in ids)


def _l(month: int, text: str, *ids: str) -> Line:
    return Line(month, f"{text} ({cite(*ids)})" if ids else text, ids)


def explain(contexts: Mapping[str, object] | None = None, months: int = 36, seed: int = 0, partners: int = 2,
            partner_overrides: Sequence[Mapping[str, object]] | None = None,
            initial: Mapping[str, float] | None = None) -> list[Line]:
    """Simulate one run and tell it."""
    result = simulate(contexts, months=months, runs=1, seed=seed, partners=partners,
                      partner_overrides=partner_overrides, initial=initial)
    return narrate(result)


def narrate(r: Result, run: int = 0) -> list[Line]:
    s = {k: v[run] for k, v in r.series.items()}
    ev = {k: v[run] for k, v in r.events.items()}
    c = r.contexts
    lines = [_opening(r, s, c)]
    prev_phase = -1
    in_synergy = s["synergy"][0] >= 0.5
    warned_trust = warned_faith = False
    for m in range(r.months):
        month = m + 1
        ph = int(r.phase[run, m])
        if PHASES[ph] == "dissolution":
            why = r.dissolved_reason[run]
            if why == "trust":
                lines.append(_l(month, f"Month {month}: trust stayed below its critical threshold ({TRUST_THRESHOLD}) "
                                f"for three months and the collaboration dissolved; the partners recede to competing",
                                "T3-26", "TX-06"))
            else:
                lines.append(_l(month, f"Month {month}: faith in the collaboration fell below its critical threshold "
                                f"({FAITH_THRESHOLD}) in one organisation for three months and the collaboration "
                                "dissolved, from within rather than between the partners", "T3-33"))
            break
        if ph != prev_phase:
            if prev_phase >= 0:
                lines.append(Line(month, f"Month {month}: the partners move into {PHASE_WORDS[PHASES[ph]]} "
                                  "(lifecycle model [82]).", ()))
            prev_phase = ph
        k, f = int(ev["successes"][m]), int(ev["failures"][m])
        if k + f:
            aims = s["aim_ambition"][m]
            if f >= 3:
                lines.append(_l(month, f"Month {month}: {f} of {k + f} tasks failed against aims of ambition "
                                f"{aims:.2f}; failure costs trust and breeds conflict", "T3-24", "T3-18"))
            elif k == k + f and month <= 12 and not any("quick win" in ln.text for ln in lines):
                lines.append(_l(month, f"Month {month}: a quick win: all {k} tasks succeeded, building trust and a "
                                "sense of progress", "TX-01", "TX-13"))
        if ev["conflict_events"][m]:
            cr = float(c["conflict_resolution"])
            how = ("constructive conflict resolution limited the loss of trust" if cr >= 0.5 else
                   "destructive conflict resolution made it cost trust")
            lines.append(_l(month, f"Month {month}: a conflict broke out between the partners; {how} "
                            f"(conflict resolution {cr:.2f}, accountability {float(c['accountability']):.2f})",
                            "TX-08" if cr >= 0.5 else "TX-09", "TX-10"))
        now_synergy = s["synergy"][m] >= 0.5
        if now_synergy != in_synergy:
            if now_synergy:
                lines.append(_l(month, f"Month {month}: partnership functioning reached {s['functioning'][m]:.2f}, "
                                "high enough for synergy: effort now turns into performance", "T3-01", "T3-03"))
            else:
                lines.append(_l(month, f"Month {month}: partnership functioning fell to {s['functioning'][m]:.2f}: "
                                "the collaboration is bogged down in collaborative inertia", "T3-02"))
            in_synergy = now_synergy
        if not warned_trust and s["trust"][m] < TRUST_THRESHOLD + 0.1:
            warned_trust = True
            lines.append(_l(month, f"Month {month}: trust is down to {s['trust'][m]:.2f}, close to the critical "
                            "threshold; lower trust lowers risk tolerance and so the ambition partners agree to",
                            "T3-23", "T3-26"))
        if not warned_faith and s["faith"][m] < FAITH_THRESHOLD + 0.1:
            warned_faith = True
            lines.append(_l(month, f"Month {month}: faith in the collaboration is down to {s['faith'][m]:.2f}",
                            "T3-06", "T3-33"))
    last = r.months - 1
    if r.dissolved_month[run] < 0:
        state = "synergy" if s["synergy"][last] >= 0.5 else "collaborative inertia"
        lines.append(Line(r.months, f"After {r.months} months the collaboration is intact and in {state}: trust "
                          f"{s['trust'][last]:.2f}, faith {s['faith'][last]:.2f}, confidence {s['confidence'][last]:.2f}, "
                          f"performance {s['performance'][last]:.2f}.", ()))
    return lines


def _opening(r: Result, s: dict, c: dict) -> Line:
    reasons = []
    ids: list[str] = []
    pc = float(c["prior_collaboration"])
    if abs(pc - 0.5) >= 0.2:
        reasons.append(f"{'a successful' if pc > 0.5 else 'little or no successful'} history of collaboration")
        ids.append("T3-21")
    if abs(s["formalisation_effective"][0] - 0.5) >= 0.2:
        reasons.append(f"{'strong' if s['formalisation_effective'][0] > 0.5 else 'weak'} formal agreements")
        ids.append("T3-22")
    if float(c["mandated"]) >= 0.5:
        reasons.append("a mandate, which creates a power imbalance")
        ids.append("T3-30")
    if s["domination"][0] >= 0.45:
        reasons.append(f"one partner able to dominate (domination {s['domination'][0]:.2f})")
        ids.append("T3-29" if float(c["resource_equality"]) < 0.5 else "TX-12")
    shift = entry_trust_shift(str(c["entry_point"]))
    entry = load_theory().entry_points[str(c["entry_point"])]
    if shift:
        reasons.append(f"the entry point '{entry.entry_point}', which {'raises' if shift > 0 else 'lowers'} initial "
                       f"trust (Table 2 {list(entry.references)})")
    why = ("; shaped by " + ", ".join(reasons)) if reasons else ""
    text = (f"Month 0: {r.partners} organisations start with trust {s['trust'][0]:.2f} and faith {s['faith'][0]:.2f}"
            f"{why}. Task complexity is {s['task_complexity'][0]:.2f}, so the work needs trust "
            f"{s['trust_requirement'][0]:.2f}.")
    return _l(0, text, *ids) if ids else Line(0, text, ())
