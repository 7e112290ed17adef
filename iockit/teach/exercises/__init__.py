"""Exercise checkers: each takes a learner's answer and returns :class:`Feedback` that says whether it
is right and why, in the review's own words (its Table 3 cells, text CMOCs and quotes) with its
reference numbers. The answer keys are the theory data itself (``datasets/``) and the YAML files in
``iockit/teach/`` (``poe.yaml``, ``cases.yaml``, ``questionnaire.yaml``); nothing here is in a
learner's notebook.

One module per kind of exercise:

- :mod:`.classify`: is a statement from the review a context, a mechanism or an outcome?
- :mod:`.build`: build a CMOC from an evidence excerpt (context, mechanism, outcome and the signs).
- :mod:`.poe`: predict what changing one context does, observe it in the simulator, explain it with CMOCs.
- :mod:`.cases`: reproduce Murray et al.'s two accountable care organisations [47] and name the CMOCs.
- :mod:`.contest`: propose a new CMOC and see where it attaches to the web and which loops it makes.
- :mod:`.questions`: the before/after questionnaire.

Helpers: :mod:`.explain` reads from the encoding table which CMOCs explain a change (for :mod:`.poe`),
:mod:`.names` finds a factor by the words a learner types (for :mod:`.contest`).

:mod:`.common` holds what they share (:class:`Feedback`, :func:`cmoc_line`, ...). Wrong input (an
unknown item, role or factor) raises :class:`~iockit.errors.IockitError`; a wrong *answer* is not an
error, it gets feedback.
"""

from __future__ import annotations

from typing import Any

from .build import ANSWER_AFTER, BuildItem, answer_build, build_hint, build_item, check_build
from .cases import (
    CaseRule,
    CaseRun,
    CasesKey,
    Contrast,
    answer_cases,
    cases_key,
    check_cases,
    judge_contrast,
    model_contrast,
    run_case,
)
from .classify import LEVEL_OF_ANALYSIS, ROLE_MEANING, ClassifyItem, check_classify, classify_items, other_roles
from .common import ROLES, SIGNS, Feedback, chain_words, cmoc_line, sign_word
from .contest import Proposal, propose
from .explain import ExplainKey, explain_key
from .names import NameMatch, find_factor, name_problem
from .poe import (
    MEASURES,
    PREDICTIONS,
    SAME,
    Observation,
    PoeItem,
    check_explanation,
    check_prediction,
    explain_options,
    key_for,
    observe,
    poe_item,
    poe_items,
)
from .questions import check_question

__all__ = [
    "ANSWER_AFTER", "LEVEL_OF_ANALYSIS", "MEASURES", "PREDICTIONS", "ROLES", "ROLE_MEANING", "SAME", "SIGNS",
    "BuildItem", "CaseRule", "CaseRun", "CasesKey", "ClassifyItem", "Contrast", "ExplainKey", "Feedback", "NameMatch",
    "Observation", "PoeItem", "Proposal", "answer_build", "answer_cases", "build_hint", "build_item", "cases_key",
    "chain_words", "check_build", "check_cases", "check_classify", "check_explanation", "check_prediction",
    "check_question", "classify_items", "cmoc_line", "explain_key", "explain_options", "find_factor",
    "judge_contrast", "key_for", "model_contrast", "name_problem", "observe", "other_roles", "poe_item", "poe_items",
    "propose", "run_case", "sign_word",
]


def __getattr__(name: str) -> Any:
    """``CASES_QUOTE`` and ``CASES_SOURCE``: the two cases' quote and its source, now in ``cases.yaml``."""
    if name in ("CASES_QUOTE", "CASES_SOURCE"):
        key = cases_key()
        return key.quote if name == "CASES_QUOTE" else key.source
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
