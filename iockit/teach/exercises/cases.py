"""Two cases: reproduce Murray et al.'s two accountable care organisations [47] in the simulator (one
stays intact, one dissolves) for the reasons the review gives, and name the CMOCs that carry each.
The answer key, the quote and the feedback's words are ``iockit/teach/cases.yaml``."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ...errors import IockitError
from ...theory import load_theory
from .common import Feedback, _cmoc, cmoc_line, read_teaching_yaml

CASES = ("access", "collaborative")


@dataclass(frozen=True)
class CaseRule:
    """What the review reports of one case: a rule on contexts (all must hold, or any when
    ``any_context``), the CMOCs that carry it, those a learner must name, and the feedback's words."""

    contexts: dict[str, tuple[str, float]]
    any_context: bool
    cmocs: tuple[str, ...]
    must: tuple[str, ...]
    says: dict[str, str]


@dataclass(frozen=True)
class CasesKey:
    quote: str
    source: str
    contrast_share: float        # share of the model's contrast (for ``answer``) that counts as the review's
    noise_share: float           # ... within which a contrast counts as none
    contexts: tuple[str, ...]    # the contexts a learner sets
    choices: tuple[str, ...]     # the CMOCs a learner may tick
    shown: tuple[str, ...]       # the CMOCs quoted with the feedback
    rules: dict[str, CaseRule]
    answer: dict[str, tuple[dict[str, float], tuple[str, ...]]]


def _ids(raw: Iterable[str], where: str) -> tuple[str, ...]:
    return tuple(_cmoc(str(i), f"cases.yaml {where}").id for i in raw)


def _rule(raw: Mapping[str, Any], case: str) -> CaseRule:
    from ... import contexts as ctxreg

    rule = {}
    for key, (op, value) in raw["contexts"].items():
        ctxreg.check_key(key, f"cases.yaml {case}.contexts")
        if op not in (">=", "<="):
            raise IockitError(f"cases.yaml {case}.contexts.{key}", op, "'>=' or '<='")
        rule[key] = (op, float(value))
    return CaseRule(rule, bool(raw.get("any_context", False)), _ids(raw["cmocs"], f"{case}.cmocs"),
                    _ids(raw.get("must", ()), f"{case}.must"), dict(raw["says"]))


@functools.lru_cache(maxsize=1)
def cases_key() -> CasesKey:
    """The two cases' answer key, read from ``cases.yaml`` and checked against the theory."""
    raw = read_teaching_yaml("cases.yaml")
    answer = {case: ({k: float(v) for k, v in raw["answer"][case]["contexts"].items()},
                     _ids(raw["answer"][case]["cmocs"], f"answer.{case}.cmocs")) for case in CASES}
    return CasesKey(raw["quote"], raw["source"], float(raw["contrast_share"]), float(raw["noise_share"]),
                    tuple(raw["contexts"]), _ids(raw["choices"], "choices"), _ids(raw["shown"], "shown"),
                    {case: _rule(raw[case], case) for case in CASES}, answer)


@dataclass(frozen=True)
class CaseRun:
    dissolved: float
    trust: float


def run_case(contexts: Mapping[str, object], months: int = 36, runs: int = 200, seed: int = 0) -> CaseRun:
    from ...sim.inputs import Inputs
    from ...sim.model import run

    r = run(Inputs(dict(contexts), months=months, runs=runs, seed=seed))
    return CaseRun(float((r.dissolved_month >= 0).mean()), float(r.mean("trust")[-1]))


def _meets(contexts: Mapping[str, object], rule: CaseRule) -> bool:
    from ...sim.inputs import Inputs

    values = Inputs(dict(contexts)).contexts  # the one check of every way in
    oks = [(values[k] >= v) if op == ">=" else (values[k] <= v) for k, (op, v) in rule.contexts.items()]
    return any(oks) if rule.any_context else all(oks)


@dataclass(frozen=True)
class Contrast:
    """What the model shows for the answer key (``access``, ``collaborative``) and for a typical
    collaboration (every context at its default): the yardstick of a learner's two cases."""

    access: CaseRun
    collaborative: CaseRun
    typical: CaseRun

    @property
    def size(self) -> float:
        return self.collaborative.dissolved - self.access.dissolved


@functools.lru_cache(maxsize=4)
def _reference(theory_id: int) -> Contrast:
    key = cases_key()
    return Contrast(run_case(key.answer["access"][0]), run_case(key.answer["collaborative"][0]), run_case({}))


def model_contrast() -> Contrast:
    """The model's contrast for Murray et al.'s two cases, run now (so it follows any re-calibration)."""
    return _reference(id(load_theory()))


def judge_contrast(key: CasesKey, a: CaseRun, b: CaseRun) -> tuple[str, str]:
    """('ok' | 'almost' | 'wrong', the words): direction and size of the learner's contrast against the model's."""
    ref = model_contrast()
    gap, noise = b.dissolved - a.dissolved, key.noise_share * ref.size
    said = f"your Access ACO dissolves in {a.dissolved:.0%} of runs and your Collaborative ACO in {b.dissolved:.0%}"
    if gap < -noise:
        return "wrong", (f"{said}: the contrast runs the wrong way round (in the review Access stayed intact and "
                         "Collaborative dissolved)")
    if gap <= noise:
        return "wrong", f"{said}: there is no contrast between them yet (in the review one stayed intact, one dissolved)"
    if gap < key.contrast_share * ref.size:
        return "almost", (f"{said}: the direction is right, but the gap ({gap * 100:.0f} percentage points) is "
                          f"small; settings that follow the review's account give a gap of about {ref.size * 100:.0f}. Push the contexts "
                          "that carry each story further")
    if a.dissolved > ref.typical.dissolved + noise:
        return "almost", (f"{said}: the direction is right, but Access dissolves more often than a typical "
                          f"collaboration ({ref.typical.dissolved:.0%}); the review says it remained intact")
    strength = "a contrast as strong as" if gap >= 2 * key.contrast_share * ref.size else "a clear contrast, if smaller than"
    return "ok", (f"{said}: {strength} the one the model shows for the review's account "
                  f"({ref.access.dissolved:.0%} against {ref.collaborative.dissolved:.0%})")


def _reason_problems(key: CasesKey, contexts: dict[str, Mapping[str, object]], ids: dict[str, list[str]]) -> list[str]:
    problems = [key.rules[case].says["contexts"] for case in CASES if not _meets(contexts[case], key.rules[case])]
    for case in CASES:
        rule = key.rules[case]
        if not ids[case] or any(i not in rule.cmocs for i in ids[case]):
            problems.append(rule.says["cmocs"])
        elif rule.must and not set(rule.must) & set(ids[case]):
            problems.append(rule.says["must"])
    return problems


def check_cases(access: Mapping[str, object], collaborative: Mapping[str, object],
                access_cmocs: Iterable[str], collaborative_cmocs: Iterable[str]) -> Feedback:
    """Two configurations that should reproduce Access ACO (intact) and Collaborative ACO (dissolved),
    for the reasons the review gives, and the CMOCs named for each."""
    key = cases_key()
    ids = {"access": [_cmoc(i, "access_cmocs").id for i in access_cmocs],
           "collaborative": [_cmoc(i, "collaborative_cmocs").id for i in collaborative_cmocs]}
    a, b = run_case(access), run_case(collaborative)
    verdict, contrast = judge_contrast(key, a, b)
    problems = ([] if verdict == "ok" else [contrast]) + _reason_problems(
        key, {"access": access, "collaborative": collaborative}, ids)
    theory = load_theory()
    details = (f"Evidence: {key.quote} ({key.source}).",
               f"Simulated (200 collaborations each, 36 months): Access ACO {a.dissolved:.0%} dissolved, mean trust "
               f"{a.trust:.2f}; Collaborative ACO {b.dissolved:.0%} dissolved, mean trust {b.trust:.2f}.",
               *(cmoc_line(theory.cmocs[i]) for i in key.shown))
    if problems:
        head = "Almost: " if verdict == "almost" else "Not yet: "
        return Feedback(False, head + "; ".join(problems) + ".", details, key.shown)
    return Feedback(True, f"Right: {contrast}; both cases come out as Murray et al. report them, for the reasons "
                    "the review gives.", details, key.shown)


def answer_cases() -> tuple[dict[str, float], dict[str, float], list[str], list[str]]:
    """One configuration that reproduces both of Murray et al.'s cases [47], with the CMOCs."""
    (access, a_ids), (collaborative, b_ids) = (cases_key().answer[case] for case in CASES)
    return dict(access), dict(collaborative), list(a_ids), list(b_ids)
