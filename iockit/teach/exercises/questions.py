"""The before/after questionnaire: an answer checked against the key in ``iockit/teach/questionnaire.yaml``."""

from __future__ import annotations

from ...errors import IockitError
from ...lookup import check_name
from .common import Feedback


def check_question(item_id: str, answer: int) -> Feedback:
    """A questionnaire answer (0-based option index) against the key, with the review's reason."""
    from ..lessons import questionnaire

    items = {q.id: q for q in questionnaire()}
    key = check_name("item", item_id, items, "lessons")
    q = items[key]
    if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(q.options):
        raise IockitError("answer", answer, f"an option number from 0 to {len(q.options) - 1}")
    right = answer == q.answer
    head = "Right." if right else f"The review's answer is \u201c{q.options[q.answer]}\u201d."
    return Feedback(right, f"{head} {q.explanation}")
