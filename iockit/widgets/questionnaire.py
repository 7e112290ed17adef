"""The before/after questionnaire: the same short questions at the start and the end of a course,
so a lecturer can see what changed (``iockit answers --before-after FILE...``).

Before the lessons (``?mode=before`` in the page's link, or **Before the lessons**) the answers are
recorded and not marked, so the pre-test does not teach the answers it is meant to measure; after them
(``?mode=after``) each answer is marked and explained with the review's reference numbers."""

from __future__ import annotations

import ipywidgets as W

from ..teach import exercises as ex
from ..teach.answers import AnswerSheet
from ..teach.lessons import questionnaire
from ._base import BASE_CSS, esc, safe
from .exercise import feedback_html
from .lesson import AnswerPanel

MODES = ("before", "after")
WHY_NOT_MARKED = ("Your answers are recorded but not marked yet, so that when you answer again after the lessons "
                  "your lecturer can see what you learned. You will see the review's answers, with reasons, then.")


def mode_requested(query: str | None = None) -> str | None:
    """``mode=before`` or ``mode=after`` in the page's link, else None."""
    from urllib.parse import parse_qs

    from .share import query_string

    values = parse_qs((query if query is not None else query_string()).lstrip("?")).get("mode")
    return values[-1] if values and values[-1] in MODES else None


class Questionnaire(W.VBox):
    def __init__(self, mode: str | None = None) -> None:
        self.sheet = AnswerSheet()
        self.items = questionnaire()
        self.mode = mode if mode in MODES else mode_requested()
        self.phase = W.ToggleButtons(options=[("Before the lessons", "before"), ("After the lessons", "after")],
                                     value=self.mode or "before", description="I am answering",
                                     style={"description_width": "initial", "button_width": "190px"})
        if self.mode:
            self.phase.layout.display = "none"
        self.choices = {q.id: W.RadioButtons(options=[(o, i) for i, o in enumerate(q.options)], value=None,
                                             layout=W.Layout(width="100%")) for q in self.items}
        self.item_feedback = {q.id: W.HTML() for q in self.items}
        self.submit_button = W.Button(description="Check my answers", icon="check", button_style="primary")
        self.status = W.HTML()
        self.submit_button.on_click(safe(self.status)(lambda _: self.submit()))
        self.phase.observe(lambda _: self._phase_changed(), names="value")
        self.answers = AnswerPanel(self.sheet, "questionnaire")
        rows: list[W.Widget] = []
        for n, q in enumerate(self.items, start=1):
            rows += [W.HTML(f'<div class="iockit"><b>{n}. {esc(q.question)}</b></div>'), self.choices[q.id],
                     self.item_feedback[q.id]]
        self.intro = W.HTML()
        super().__init__([self.intro, self.phase, *rows, self.submit_button, self.status, self.answers],
                         layout=W.Layout(width="100%", max_width="1100px"))
        self.add_class("iockit")
        self.add_class("iockit-questionnaire")
        self._phase_changed()
        from .share import large_requested

        if large_requested():
            self.add_class("iockit-large")

    def _phase_changed(self) -> None:
        before = self.phase.value == "before"
        self.submit_button.description = "Record my answers" if before else "Check my answers"
        when = {"before": "<b>before</b> the lessons", "after": "<b>after</b> the lessons"}
        now = (f"You are answering {when[self.mode]}. " if self.mode else
               "Answer these short questions once <b>before</b> the lessons and once <b>after</b> them. ")
        marking = (WHY_NOT_MARKED if before else
                   "After you check, each answer is explained with the review's reference numbers.")
        self.intro.value = (f'{BASE_CSS}<div class="iockit"><h2>Before and after: what do you think now?</h2>'
                            f'<div class="intro">{now}There is no mark: your lecturer sees, across the class, what '
                            f"changed. {esc(marking)}</div></div>")
        for fb in self.item_feedback.values():
            fb.value = ""
        self.status.value = ""

    def submit(self) -> int:
        """Record every answer; after the lessons, mark and explain each. Returns how many match the review
        (0 before the lessons, when nothing is marked)."""
        unanswered = [n for n, q in enumerate(self.items, start=1) if self.choices[q.id].value is None]
        if unanswered:
            self.status.value = ('<div class="iockit alert">Please answer every question first (missing: '
                                 + ", ".join(map(str, unanswered)) + ").</div>")
            return 0
        phase = self.phase.value
        right = 0
        for q in self.items:
            choice = self.choices[q.id].value
            if phase == "before":
                self.sheet.record("questionnaire", phase, q.id, q.options[choice], None, "")
                continue
            fb = ex.check_question(q.id, choice)
            right += bool(fb.correct)
            self.item_feedback[q.id].value = feedback_html(fb)
            self.sheet.record("questionnaire", phase, q.id, q.options[choice], fb.correct, fb.message)
        self.answers.refresh()
        if phase == "before":
            self.status.value = (f'<div class="iockit status">Recorded your {len(self.items)} answers. '
                                 f"{esc(WHY_NOT_MARKED)} Download your answers below to hand them in.</div>")
            return 0
        self.status.value = (f'<div class="iockit status">{right} of {len(self.items)} match the review. Download your '
                             "answers below to hand them in.</div>")
        return right
