"""The before/after questionnaire: the same short questions at the start and the end of a course,
so a lecturer can see what changed (``iockit answers --before-after FILE...``)."""

from __future__ import annotations

import ipywidgets as W

from ..teach import exercises as ex
from ..teach.answers import AnswerSheet
from ..teach.lessons import questionnaire
from ._base import BASE_CSS, esc, safe
from .exercise import feedback_html
from .lesson import AnswerPanel


class Questionnaire(W.VBox):
    def __init__(self) -> None:
        self.sheet = AnswerSheet()
        self.items = questionnaire()
        self.phase = W.ToggleButtons(options=[("Before the lessons", "before"), ("After the lessons", "after")],
                                     value="before", description="I am answering",
                                     style={"description_width": "initial", "button_width": "190px"})
        self.choices = {q.id: W.RadioButtons(options=[(o, i) for i, o in enumerate(q.options)], value=None,
                                             layout=W.Layout(width="100%")) for q in self.items}
        self.item_feedback = {q.id: W.HTML() for q in self.items}
        self.submit_button = W.Button(description="Check my answers", icon="check", button_style="primary")
        self.status = W.HTML()
        self.submit_button.on_click(safe(self.status)(lambda _: self.submit()))
        self.answers = AnswerPanel(self.sheet, "questionnaire")
        rows: list[W.Widget] = []
        for n, q in enumerate(self.items, start=1):
            rows += [W.HTML(f'<div class="iockit"><b>{n}. {esc(q.question)}</b></div>'), self.choices[q.id],
                     self.item_feedback[q.id]]
        head = W.HTML(f'{BASE_CSS}<div class="iockit"><h2>Before and after: what do you think now?</h2>'
                      '<div class="intro">Answer these short questions once <b>before</b> the lessons and once '
                      "<b>after</b> them. There is no mark: your lecturer sees, across the class, what changed. "
                      "After you check, each answer is explained with the review's reference numbers.</div></div>")
        super().__init__([head, self.phase, *rows, self.submit_button, self.status, self.answers],
                         layout=W.Layout(width="100%", max_width="1100px"))
        self.add_class("iockit")
        self.add_class("iockit-questionnaire")
        from .share import large_requested

        if large_requested():
            self.add_class("iockit-large")

    def submit(self) -> int:
        unanswered = [n for n, q in enumerate(self.items, start=1) if self.choices[q.id].value is None]
        if unanswered:
            self.status.value = ('<div class="iockit alert">Please answer every question first (missing: '
                                 + ", ".join(map(str, unanswered)) + ").</div>")
            return 0
        right = 0
        for q in self.items:
            choice = self.choices[q.id].value
            fb = ex.check_question(q.id, choice)
            right += bool(fb.correct)
            self.item_feedback[q.id].value = feedback_html(fb)
            self.sheet.record("questionnaire", self.phase.value, q.id, q.options[choice], fb.correct, fb.message)
        self.answers.refresh()
        self.status.value = (f'<div class="iockit status">{right} of {len(self.items)} match the review. Download your '
                             "answers below to hand them in.</div>")
        return right
