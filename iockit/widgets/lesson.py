"""A guided lesson: objectives, then steps that reveal the lesson's part of the web of causality one
at a time (each with the review's words and reference numbers), then exercises with immediate
feedback, discussion questions, and the learner's answers to download and hand in.

Content lives in ``iockit/teach/lessons/*.yaml``; this module only lays it out.
"""

from __future__ import annotations

import ipywidgets as W

from ..teach.answers import AnswerSheet
from ..teach.lessons import Lesson
from ..teach.lessons import lesson as get_lesson
from ..theory import load_theory
from ._base import BASE_CSS, esc, safe
from ._palette import BLUE, SKY, VERMILLION
from .exercise import Exercise, build_exercises
from .graph import Edge, GraphView, Node
from .share import download_link, large_requested

NEW = VERMILLION
FOOT = ('<div class="iockit cite">Source: Aunger et al., <i>Why do some inter-organisational '
        "collaborations in healthcare work when others do not? A realist review</i>, Systematic Reviews "
        "2021;10:82. Numbers in square brackets are the review's reference numbers; T3-NN are rows of its "
        "Table 3, TX-NN are CMOCs stated in its text.</div>")


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{esc(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


class AnswerPanel(W.VBox):
    """The learner's name and a download link for every answer given in this lesson."""

    def __init__(self, sheet: AnswerSheet, lesson: str) -> None:
        self.sheet, self.lesson = sheet, lesson
        self.name = W.Text(placeholder="your name or student number", description="Your name",
                           layout=W.Layout(width="420px"))
        self.name.observe(lambda ch: (self.sheet.set_learner(ch["new"]), self.refresh()), names="value")
        self.link = W.HTML()
        super().__init__([W.HTML('<div class="iockit"><h3>Your answers</h3><p>Every answer you give here, right or '
                                 "wrong, is kept on this page. Download them to hand in or to keep; nothing is sent "
                                 "anywhere.</p></div>"), self.name, self.link])
        self.add_class("iockit-answers")
        self.refresh()

    def refresh(self) -> None:
        n = len(self.sheet.rows)
        if not n:
            self.link.value = '<div class="iockit cite">No answers yet.</div>'
            return
        self.link.value = ('<div class="iockit">' + download_link(self.sheet.to_csv(), self.sheet.filename(self.lesson),
                                                                  "text/csv", f"Download my answers ({n}, CSV)")
                           + "</div>")


class LessonView(W.VBox):
    """One lesson, by key (see ``iockit lessons``)."""

    def __init__(self, key: str, sheet: AnswerSheet | None = None) -> None:
        self.lesson: Lesson = get_lesson(key)
        self.sheet = sheet or AnswerSheet()
        self.theory = load_theory()
        self.step = 0
        self.status = W.HTML()
        steps = self._steps_section()
        exercises = self._exercises_section()
        questions = self._questions_section()
        super().__init__([self._head(), steps, exercises, questions, self.answers, W.HTML(FOOT)],
                         layout=W.Layout(width="100%", max_width="1280px"))
        self.add_class("iockit")
        self.add_class("iockit-lesson")
        self.go(0)

    # --- building ------------------------------------------------------------------------------------
    def _head(self) -> W.HTML:
        """The lesson's title, summary and learning objectives."""
        lesson = self.lesson
        return W.HTML(f'{BASE_CSS}<div class="iockit"><h2>Lesson {lesson.order}: {esc(lesson.title)}</h2>'
                      f'<div class="intro">{_paragraphs(lesson.summary)}<b>Learning objectives</b><ul>'
                      + "".join(f"<li>{esc(o)}</li>" for o in lesson.objectives) + "</ul></div></div>")

    def _steps_section(self) -> W.VBox:
        """Back and next, the step's words, the web revealed so far and the list of its links."""
        self.position = W.HTML()
        self.back = W.Button(description="Back", icon="arrow-left", tooltip="Previous step")
        self.next = W.Button(description="Next step", icon="arrow-right", button_style="primary",
                             tooltip="Reveal the next part of the web")
        self.back.on_click(safe(self.status)(lambda _: self.go(self.step - 1)))
        self.next.on_click(safe(self.status)(lambda _: self.go(self.step + 1)))
        self.content = W.HTML()
        self.revealed = W.HTML()
        nodes, edges = self._graph()
        self.diagram = GraphView(nodes, edges, layout="cose", chooser_label="Factor",
                                 on_select=safe(self.status)(self._explain),
                                 layout_options={"idealEdgeLength": 110, "nodeRepulsion": 600000, "randomize": False})
        nav = W.HBox([self.back, self.next, self.position], layout=W.Layout(align_items="center"))
        return W.VBox([W.HTML('<div class="iockit"><h3>Step by step</h3></div>'), nav, self.content,
                       W.HBox([W.Box([self.diagram], layout=W.Layout(width="60%")),
                               W.Box([self.revealed], layout=W.Layout(width="40%", max_height="440px",
                                                                      overflow="auto"))],
                              layout=W.Layout(width="100%")), self.status])

    def _exercises_section(self) -> W.VBox:
        """The lesson's exercises, and the answer panel that every answer given to them updates."""
        self.exercises: list[Exercise] = []
        for spec in self.lesson.exercises:
            self.exercises += build_exercises(spec, self.sheet, self.lesson.key)
        self.answers = AnswerPanel(self.sheet, self.lesson.key)
        for e in self.exercises:
            e.listeners.append(self.answers.refresh)
        return W.VBox([W.HTML('<div class="iockit"><h3>Exercises</h3></div>'), *self.exercises])

    def _questions_section(self) -> W.VBox:
        """The questions to discuss, a box for the learner's thoughts on each, and a button to keep them."""
        self.notes = [W.Textarea(placeholder="Your thoughts (kept with your answers when you press Save)",
                                 layout=W.Layout(width="95%", height="64px")) for _ in self.lesson.questions]
        self.save_notes = W.Button(description="Save my thoughts with my answers", icon="save")
        self.save_notes.on_click(safe(self.status)(lambda _: self.save_thoughts()))
        questions: list[W.Widget] = [W.HTML('<div class="iockit"><h3>Questions to discuss</h3></div>')]
        for n, (q, box) in enumerate(zip(self.lesson.questions, self.notes, strict=True), start=1):
            questions += [W.HTML(f'<div class="iockit"><b>{n}.</b> {esc(q)}</div>'), box]
        questions.append(self.save_notes)
        return W.VBox(questions)

    # --- the web, step by step ----------------------------------------------------------------------
    def _graph(self) -> tuple[list[Node], list[Edge]]:
        t = self.theory
        keys: dict[str, None] = {}
        signs: dict[tuple[str, str], set[int]] = {}
        for step in self.lesson.steps:
            for ident in step.cmocs:
                for ln in t.cmocs[ident].links:
                    keys.setdefault(ln.source)
                    keys.setdefault(ln.target)
                    signs.setdefault((ln.source, ln.target), set()).add(ln.sign)
        nodes = [Node(k, t.factors[k].label, t.factors[k].category) for k in keys]
        edges = [Edge(a, b, 1 if s == {1} else -1 if s == {-1} else 1, "\u00b1" if len(s) > 1 else "")
                 for (a, b), s in signs.items()]
        return nodes, edges

    def links_until(self, step: int) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        """Links revealed up to ``step``, and those new at ``step``."""
        before: set[tuple[str, str]] = set()
        for s in self.lesson.steps[:step]:
            before |= {(ln.source, ln.target) for i in s.cmocs for ln in self.theory.cmocs[i].links}
        new = {(ln.source, ln.target) for i in self.lesson.steps[step].cmocs
               for ln in self.theory.cmocs[i].links} - before
        return before | new, new

    def go(self, step: int) -> None:
        steps = self.lesson.steps
        self.step = max(0, min(step, len(steps) - 1))
        s = steps[self.step]
        self.back.disabled = self.step == 0
        self.next.disabled = self.step == len(steps) - 1
        self.position.value = (f'<span class="iockit" style="margin-left:1em">Step {self.step + 1} of {len(steps)}'
                               + (" \u2014 now try the exercises below" if self.step == len(steps) - 1 else "")
                               + "</span>")
        quote = (f'<blockquote class="excerpt">\u201c{esc(s.quote)}\u201d <span class="cite">({esc(s.quote_source)})'
                 "</span></blockquote>") if s.quote else ""
        rows = "".join(f"<tr><td><b>{esc(c.id)}</b></td><td>{esc(c.context)}</td><td>{esc(c.mechanism)}</td>"
                       f"<td>{esc(c.outcome)}</td><td>{esc(c.cites())}</td></tr>"
                       for c in (self.theory.cmocs[i] for i in s.cmocs))
        table = ('<table class="cmocs"><tr><th>CMOC</th><th>Context</th><th>Mechanism</th><th>Outcome</th>'
                 f"<th>References</th></tr>{rows}</table>") if rows else ""
        self.content.value = (f'<div class="iockit lesson-step"><h4>{esc(s.title)}</h4>{_paragraphs(s.text)}'
                              f"{quote}{table}</div>")
        shown, new = self.links_until(self.step)
        self._style(shown, new)
        label = {k: f.label for k, f in self.theory.factors.items()}
        items = "".join(f'<li{" class=new" if (a, b) in new else ""}>{esc(label[a])} \u2192 {esc(label[b])}'
                        f'{" <b>(new)</b>" if (a, b) in new else ""}</li>' for a, b in sorted(shown))
        self.revealed.value = (f'<div class="iockit"><b>The web so far</b> ({len(shown)} links; new ones in orange '
                               f"and marked <b>new</b>):<ul>{items}</ul></div>")

    def _style(self, shown: set[tuple[str, str]], new: set[tuple[str, str]]) -> None:
        nodes_shown = {k for pair in shown for k in pair}
        nodes_new = {k for pair in new for k in pair}
        rules = [{"selector": "node", "style": {"label": "data(label)", "font-size": 14, "text-wrap": "wrap",
                                               "text-max-width": 120, "background-color": SKY, "display": "none"}},
                 {"selector": "edge", "style": {"curve-style": "bezier", "target-arrow-shape": "triangle", "width": 3,
                                               "line-color": BLUE, "target-arrow-color": BLUE,
                                               "display": "none", "label": "data(label)"}},
                 {"selector": "edge[sign < 0]", "style": {"line-style": "dashed"}}]
        rules += [{"selector": f"#{k}", "style": {"display": "element"}} for k in nodes_shown]
        rules += [{"selector": f"#{k}", "style": {"background-color": NEW, "border-width": 3, "border-color": "#333"}}
                  for k in nodes_new]
        rules += [{"selector": f"#{a}__{b}", "style": {"display": "element"}} for a, b in shown]
        rules += [{"selector": f"#{a}__{b}", "style": {"line-color": NEW, "target-arrow-color": NEW, "width": 5}}
                  for a, b in new]
        self.diagram.style(rules)

    def _explain(self, kind: str, ident: str) -> None:
        if kind != "node":
            a, _, b = ident.partition("__")
            ids = [c.id for c in self.theory.cmocs.values() if any(ln.source == a and ln.target == b for ln in c.links)]
            self.status.value = f'<div class="status">{esc(a)} \u2192 {esc(b)}: stated by {esc(", ".join(ids))}.</div>'
            return
        f = self.theory.factors[ident]
        self.status.value = f'<div class="status"><b>{esc(f.label)}</b>: {esc(f.definition)}</div>'

    # --- answers -----------------------------------------------------------------------------------
    def save_thoughts(self) -> None:
        saved = 0
        self.sheet.rows = [r for r in self.sheet.rows if not (r["lesson"] == self.lesson.key and r["exercise"] == "question")]
        for n, (q, box) in enumerate(zip(self.lesson.questions, self.notes, strict=True), start=1):
            if box.value.strip():
                self.sheet.record(self.lesson.key, "question", f"q{n}", box.value, None, q)
                saved += 1
        self.answers.refresh()
        self.status.value = f'<div class="status">Saved {saved} answer(s) to the download below.</div>'


def lesson(key: str) -> W.Widget:
    """A lesson by key; if anything goes wrong, a readable message instead of a traceback."""
    from ._base import log

    try:
        view = LessonView(key)
    except Exception:
        log.exception("lesson %s failed to build", key)
        return W.HTML(f'{BASE_CSS}<div class="iockit alert"><h2>Lesson</h2>This lesson could not start here. '
                      "Reload the page; if it still does not start, please tell your lecturer or facilitator.</div>")
    if large_requested():
        view.add_class("iockit-large")
    return view
