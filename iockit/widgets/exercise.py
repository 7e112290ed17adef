"""Exercise widgets: each shows a task, takes the learner's answer with keyboard-operable controls,
checks it with :mod:`iockit.teach.exercises`, shows the feedback at once, and records every try on the
lesson's :class:`~iockit.teach.answers.AnswerSheet`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as W

from ..teach import exercises as ex
from ..teach.answers import AnswerSheet
from ..theory import load_theory
from ._base import esc, safe

ROLE_LABELS = [("Context", "context"), ("Mechanism", "mechanism"), ("Outcome", "outcome")]
SIGN_LABELS = [("(choose)", ""), ("raises it (+)", "+"), ("lowers it (-)", "-")]
WIDE = W.Layout(width="100%")


def feedback_html(fb: ex.Feedback) -> str:
    """Feedback as HTML: a verdict in words (not colour alone), the message, then the evidence."""
    cls, word = {True: ("right", "Correct."), False: ("wrong", "Not yet."), None: ("noted", "Noted.")}[fb.correct]
    if fb.correct is False and fb.alternatives:
        cls, word = "noted", "Right for another row."
    elif fb.correct is False and fb.message.startswith("Almost: "):
        word = "Almost."
    message = fb.message
    for lead in ("Not yet: ", "Not quite: ", "Right: ", "Right. ", "Almost: "):   # the verdict is already said in bold
        if message.startswith(lead):
            message = message[len(lead)].upper() + message[len(lead) + 1:]
            break
    details = "".join(f"<li>{esc(d)}</li>" for d in fb.details)
    return (f'<div class="iockit feedback {cls}" role="status" aria-live="polite"><b>{word}</b> {esc(message)}'
            f'{f"<ul class=cite>{details}</ul>" if details else ""}</div>')


def cmoc_href(ident: str) -> str:
    """The evidence browser opened on one CMOC (the lessons are served one folder below the dashboards)."""
    return f"../04_cmoc_browser.ipynb?cmoc={ident}"


def _statement(n: int, item: ex.ClassifyItem) -> str:
    c = load_theory().cmocs[item.cmoc]
    link = (f'<a href="{esc(cmoc_href(c.id))}" target="_blank" rel="noopener" style="color:#0072B2;text-decoration:'
            f'underline" title="the row in the evidence browser (opens a new tab)">{esc(c.id)}</a>')
    return (f'<div class="iockit statement"><b>{n}.</b> From {link} <span class="cite">({esc(c.provenance)})</span>: '
            f"\u201c{esc(item.statement)}\u201d. What is it in {esc(c.id)}?</div>")


def _placeholder(options: list[tuple[str, str]], text: str = "(choose)") -> list[tuple[str, str]]:
    return [(text, ""), *options]


class Exercise(W.VBox):
    """Common frame: a heading, the task, the controls, a feedback area; answers go on ``sheet``."""

    kind = ""
    heading = ""

    def _prepare(self, sheet: AnswerSheet, lesson: str) -> None:
        """Called first by every subclass: what its controls' callbacks need."""
        self.sheet, self.lesson = sheet, lesson
        self.feedback = W.HTML()
        self.listeners: list[Callable[[], None]] = []

    def __init__(self, sheet: AnswerSheet, lesson: str, task: str, controls: list[W.Widget]) -> None:
        head = W.HTML(f'<div class="iockit exercise-head"><h3>{esc(self.heading)}</h3><p>{task}</p></div>')
        super().__init__([head, *controls, self.feedback], layout=W.Layout(width="100%", border="1px solid #ccc",
                                                                           padding="6px 12px", margin="10px 0"))
        self.add_class("iockit-exercise")
        self.add_class(f"iockit-exercise-{self.kind}")

    def _record(self, item: str, answer: Any, fb: ex.Feedback, target: W.HTML | None = None) -> ex.Feedback:
        (target or self.feedback).value = feedback_html(fb)
        self.sheet.record(self.lesson, self.kind, item, answer, fb.correct, fb.text())
        for fn in self.listeners:
            fn()
        return fb


class ClassifyExercise(Exercise):
    kind = "classify"
    heading = "Exercise: context, mechanism or outcome?"

    def __init__(self, sheet: AnswerSheet, lesson: str, cmocs: tuple[str, ...]) -> None:
        self._prepare(sheet, lesson)
        self.items = ex.classify_items(cmocs)
        self.choices: dict[str, W.ToggleButtons] = {}
        self.item_feedback: dict[str, W.HTML] = {}
        rows: list[W.Widget] = []
        for n, item in enumerate(self.items, start=1):
            buttons = W.ToggleButtons(options=ROLE_LABELS, value=None, style={"button_width": "110px"},
                                      tooltips=["the situation", "what changes in reasoning or resources", "the result"])
            buttons.observe(self._chosen(item.id), names="value")
            fb = W.HTML()
            self.choices[item.id], self.item_feedback[item.id] = buttons, fb
            rows.append(W.VBox([W.HTML(_statement(n, item)), buttons, fb], layout=W.Layout(margin="4px 0 8px 0")))
        super().__init__(sheet, lesson, "Each statement below is a cell of one of the review's CMOCs, named with it. "
                         "Is it the <b>context</b>, the <b>mechanism</b> or the <b>outcome</b> <i>in that CMOC</i>? The "
                         "same words can play another part in another CMOC. Choose with the mouse or with Tab and "
                         "Enter; feedback appears at once.", rows)

    def _chosen(self, item_id: str) -> Callable[[dict], None]:
        @safe(self.item_feedback.get(item_id))
        def handler(change: dict) -> None:
            if change["new"]:
                self.answer(item_id, change["new"])
        return handler

    def answer(self, item_id: str, role: str) -> ex.Feedback:
        fb = ex.check_classify(item_id, role)
        return self._record(item_id, role, fb, self.item_feedback[item_id])


class BuildExercise(Exercise):
    """Build a CMOC: a wrong build is told which part is off; **Show a hint** gives the review's words for
    it; **Show the answer** (or three wrong tries) gives the row. Hints taken go into the answer file."""

    kind = "build"
    heading = "Exercise: build a CMOC from the evidence"

    def __init__(self, sheet: AnswerSheet, lesson: str, cmoc: str) -> None:
        self._prepare(sheet, lesson)
        self.item = ex.build_item(cmoc)
        self.labels = {k: f.label for k, f in load_theory().factors.items()}
        style = {"description_width": "130px"}
        self.parts = {role: W.Dropdown(options=_placeholder([(self.labels[k], k) for k in self.item.options[role]]),
                                       value="", description=role.capitalize(), style=style,
                                       layout=W.Layout(width="460px")) for role in ex.ROLES}
        self.context_sign = W.Dropdown(options=SIGN_LABELS, value="", description="Context \u2192 mechanism",
                                       style=style, layout=W.Layout(width="460px"))
        self.outcome_sign = W.Dropdown(options=SIGN_LABELS, value="", description="Mechanism \u2192 outcome",
                                       style=style, layout=W.Layout(width="460px"))
        self.check = W.Button(description="Check my CMOC", icon="check", button_style="primary")
        self.hint_button = W.Button(description="Show a hint", icon="lightbulb", disabled=True)
        self.answer_button = W.Button(description="Show the answer", icon="eye", disabled=True)
        self.help = W.HTML()
        self.tries = self.hints = 0
        self.check.on_click(safe(self.feedback)(lambda _: self.submit()))
        self.hint_button.on_click(safe(self.help)(lambda _: self.hint()))
        self.answer_button.on_click(safe(self.help)(lambda _: self.hint(answer=True)))
        excerpt = W.HTML(f'<blockquote class="iockit excerpt">\u201c{esc(self.item.excerpt)}\u201d '
                         f'<span class="cite">({esc(self.item.excerpt_source)})</span></blockquote>')
        super().__init__(sheet, lesson, "Read this evidence the review quotes. Which factor is the <b>context</b>, "
                         "which the <b>mechanism</b>, which the <b>outcome</b>, and does each link raise or lower the "
                         "next? After a first try you can ask for a hint, or for the answer.",
                         [excerpt, *self.parts.values(), self.context_sign, self.outcome_sign,
                          W.HBox([self.check, self.hint_button, self.answer_button])])
        self.children = (*self.children, self.help)

    def values(self) -> list[str]:
        return [self.parts[r].value for r in ex.ROLES] + [self.context_sign.value, self.outcome_sign.value]

    def submit(self) -> ex.Feedback:
        values = self.values()
        if not all(values):
            self.feedback.value = ('<div class="iockit feedback wrong" role="status"><b>Almost:</b> choose a factor '
                                   "for context, mechanism and outcome, and a sign for both links, then check.</div>")
            return ex.Feedback(False, "incomplete")
        fb = ex.check_build(self.item.cmoc, *values)
        signs = [ex.SIGNS[v] for v in values[3:]]
        self._record(self.item.cmoc, ex.chain_words([self.labels[k] for k in values[:3]], signs), fb)
        if not fb.correct:
            self.tries += 1
            self.hint_button.disabled = self.answer_button.disabled = False
            if self.tries >= ex.ANSWER_AFTER:
                self.hint(answer=True)
        return fb

    def hint(self, answer: bool = False) -> ex.Feedback:
        """The next hint (or the answer): shown under the exercise and recorded with the answers."""
        self.hints = 2 if answer else min(self.hints + 1, 2)
        values = self.values()
        picked = [v or o[0] for v, o in zip(values[:3], (self.item.options[r] for r in ex.ROLES), strict=True)]
        fb = ex.build_hint(self.item.cmoc, *picked, values[3] or "+", values[4] or "+", self.hints)
        what = "answer shown" if self.hints >= 2 else f"hint {self.hints}"
        self.hint_button.disabled = self.hints >= 2
        return self._record(f"{self.item.cmoc}/help", what, fb, self.help)

    def fill(self, context: str, mechanism: str, outcome: str, context_sign: str, outcome_sign: str) -> ex.Feedback:
        """Answer as a learner would (used by tests and notebooks)."""
        for role, value in zip(ex.ROLES, (context, mechanism, outcome), strict=True):
            self.parts[role].value = value
        self.context_sign.value, self.outcome_sign.value = context_sign, outcome_sign
        return self.submit()


class PoeExercise(Exercise):
    kind = "poe"
    heading = "Exercise: predict, observe, explain"

    def __init__(self, sheet: AnswerSheet, lesson: str, item_id: str) -> None:
        self._prepare(sheet, lesson)
        self.item = ex.poe_item(item_id)
        self.prediction = W.RadioButtons(options=list(ex.PREDICTIONS), value=None, description="I predict it",
                                         style={"description_width": "initial"})
        self.run = W.Button(description="Run the simulation", icon="play", button_style="primary",
                            tooltip="Observe: run 200 simulated collaborations at both settings")
        self.run.on_click(safe(self.feedback)(lambda _: self.run_observation()))
        theory = load_theory()
        self.options = ex.explain_options(item_id)
        self.explain_boxes = {i: W.Checkbox(value=False, description=f"{i}: {theory.cmocs[i].context} \u2192 "
                                            f"{theory.cmocs[i].mechanism} \u2192 {theory.cmocs[i].outcome}",
                                            indent=False, layout=WIDE) for i in self.options}
        self.explain_button = W.Button(description="Check my explanation", icon="check")
        self.explain_feedback = W.HTML()
        self.explain_tries = 0
        self.explain_button.on_click(safe(self.explain_feedback)(lambda _: self.explain()))
        self.explain_area = W.VBox([W.HTML("<b>Explain:</b> which of these CMOCs carry the effect you observed? "
                                           "Tick all that apply."), *self.explain_boxes.values(),
                                    self.explain_button, self.explain_feedback])
        self.explain_area.layout.display = "none"
        super().__init__(sheet, lesson, esc(self.item.question()), [self.prediction, self.run])
        self.children = (*self.children, self.explain_area)

    def run_observation(self) -> ex.Feedback:
        if self.prediction.value is None:
            self.feedback.value = ('<div class="iockit feedback wrong" role="status"><b>First predict:</b> choose what '
                                   "you expect before you run the simulation.</div>")
            return ex.Feedback(False, "no prediction")
        fb = ex.check_prediction(self.item.id, self.prediction.value)
        self.explain_area.layout.display = None
        return self._record(self.item.id + "/predict", self.prediction.value, fb)

    def explain(self) -> ex.Feedback:
        """Check the ticked CMOCs. Nothing ticked: a request to choose (not recorded). The model's CMOCs
        are named once the explanation is right, or at the second check."""
        chosen = [i for i, box in self.explain_boxes.items() if box.value]
        if not chosen:
            fb = ex.check_explanation(self.item.id, chosen)
            self.explain_feedback.value = feedback_html(fb)
            return fb
        fb = ex.check_explanation(self.item.id, chosen, reveal=self.explain_tries >= 1)
        self.explain_tries += 1
        return self._record(self.item.id + "/explain", chosen, fb, self.explain_feedback)


class CasesExercise(Exercise):
    kind = "cases"
    heading = "Exercise: explain two cases (Murray et al. [47])"

    def __init__(self, sheet: AnswerSheet, lesson: str) -> None:
        from .. import contexts as ctxreg

        self._prepare(sheet, lesson)
        reg = ctxreg.registry()
        theory = load_theory()
        key = ex.cases_key()   # which contexts to set and which CMOCs to offer: iockit/teach/cases.yaml
        self.sliders: dict[str, dict[str, W.FloatSlider]] = {}
        self.cmoc_boxes: dict[str, dict[str, W.Checkbox]] = {}
        columns = []
        for case, title in (("access", "Access ACO: remained intact"), ("collaborative", "Collaborative ACO: dissolved")):
            sliders = {k: W.FloatSlider(value=reg[k].default, min=reg[k].minimum, max=reg[k].maximum, step=0.05,
                                        description=reg[k].label, continuous_update=False, readout_format=".2f",
                                        style={"description_width": "240px"}, layout=W.Layout(width="98%"),
                                        tooltip=f"0 = {reg[k].low_label}; 1 = {reg[k].high_label}")
                       for k in key.contexts}
            boxes = {i: W.Checkbox(value=False, indent=False, layout=WIDE,
                                   description=f"{i}: {theory.cmocs[i].context} \u2192 {theory.cmocs[i].mechanism} "
                                               f"\u2192 {theory.cmocs[i].outcome}") for i in key.choices}
            self.sliders[case], self.cmoc_boxes[case] = sliders, boxes
            columns.append(W.VBox([W.HTML(f"<h4>{esc(title)}</h4><b>Contexts</b> (the rest stay at their defaults)"),
                                   *sliders.values(), W.HTML("<b>CMOCs responsible</b>"), *boxes.values()],
                                  layout=W.Layout(width="50%", padding="0 8px")))
        self.check = W.Button(description="Run both and check", icon="check", button_style="primary")
        self.check.on_click(safe(self.feedback)(lambda _: self.submit()))
        quote = W.HTML(f'<blockquote class="iockit excerpt">{esc(key.quote)} '
                       f'<span class="cite">({esc(key.source)})</span></blockquote>')
        super().__init__(sheet, lesson, "Two alliances between a local accountable care organisation (ACO) and a "
                         "management partner had different fates. Set the contexts of each so that the simulated "
                         "collaborations come out as the review reports (Access ACO stays intact; Collaborative ACO "
                         "dissolves), and tick the CMOCs that explain each.",
                         [quote, W.HBox(columns, layout=WIDE), self.check])

    def contexts(self, case: str) -> dict[str, float]:
        return {k: w.value for k, w in self.sliders[case].items()}

    def chosen(self, case: str) -> list[str]:
        return [i for i, b in self.cmoc_boxes[case].items() if b.value]

    def submit(self) -> ex.Feedback:
        fb = ex.check_cases(self.contexts("access"), self.contexts("collaborative"), self.chosen("access"),
                            self.chosen("collaborative"))
        return self._record("murray_47", "; ".join(self._in_words(case) for case in ("access", "collaborative")), fb)

    def _in_words(self, case: str) -> str:
        """One case's settings and CMOCs as the answer file keeps them (labels, not keys)."""
        names = {"access": "Access ACO", "collaborative": "Collaborative ACO"}
        reg = {k: w.description for k, w in self.sliders[case].items()}
        values = ", ".join(f"{reg[k]} {v:.2f}" for k, v in self.contexts(case).items())
        return f"{names[case]}: {values}; CMOCs {', '.join(self.chosen(case)) or 'none'}"

    def fill(self, access: dict[str, float], collaborative: dict[str, float], access_cmocs: list[str],
             collaborative_cmocs: list[str]) -> ex.Feedback:
        for case, values, ids in (("access", access, access_cmocs), ("collaborative", collaborative, collaborative_cmocs)):
            for k, v in values.items():
                self.sliders[case][k].value = v
            for i, box in self.cmoc_boxes[case].items():
                box.value = i in ids
        return self.submit()


class ContestExercise(Exercise):
    """Propose a CMOC in your own words: factors are found by their names in the review (any case);
    empty or odd input gets a plain sentence."""

    kind = "contest"
    heading = "Exercise: contest the theory"

    def __init__(self, sheet: AnswerSheet, lesson: str) -> None:
        self._prepare(sheet, lesson)
        labels = sorted(f.label for f in load_theory().factors.values())
        style = {"description_width": "130px"}
        self.factor = {role: W.Combobox(options=labels, placeholder="a factor from the list, or a new name",
                                        description=role.capitalize(), ensure_option=False, style=style,
                                        layout=W.Layout(width="460px")) for role in ex.ROLES}
        self.words = {role: W.Text(placeholder=f"the {role} in your words", description=f"{role.capitalize()} in words",
                                   style=style, layout=W.Layout(width="95%")) for role in ex.ROLES}
        self.context_sign, self.outcome_sign = (
            W.Dropdown(options=SIGN_LABELS[1:], value="+", description=d, style=style, layout=W.Layout(width="460px"))
            for d in ("Context \u2192 mechanism", "Mechanism \u2192 outcome"))
        self.evidence = W.Textarea(placeholder="What evidence or experience supports it?", description="Evidence",
                                   style=style, layout=W.Layout(width="95%", height="70px"))
        self.check = W.Button(description="See where it attaches", icon="project-diagram", button_style="primary")
        self.check.on_click(safe(self.feedback)(lambda _: self.submit()))
        self.download = W.HTML()
        self.proposal: ex.Proposal | None = None
        super().__init__(sheet, lesson, "Propose a CMOC the review does not state (or one you think it gets wrong). "
                         "Name its context, mechanism and outcome (pick from the list, use the review's words, or "
                         "type a new one), say whether each link raises or lowers the next, and see where it "
                         "attaches to the web of causality, which feedback loops it closes, and whether it "
                         "contradicts the review.",
                         [*self.factor.values(), self.context_sign, self.outcome_sign, *self.words.values(),
                          self.evidence, self.check])
        self.children = (*self.children, self.download)

    def problems(self) -> list[str]:
        """Plain sentences for what cannot be used yet (nothing typed, odd characters, a factor twice)."""
        typed = {role: self.factor[role].value for role in ex.ROLES}
        if not any(v.strip() for v in typed.values()):
            return ["Name a context, a mechanism and an outcome: choose each from the list, or type your own in a "
                    "few words."]
        out = [p for role in ex.ROLES if (p := ex.name_problem(typed[role], role))]
        if not out:
            found = [ex.find_factor(typed[r]) for r in ex.ROLES]
            names = [f.key or f.shown.lower() for f in found]
            twice = {found[i].shown for i, n in enumerate(names) if names.count(n) > 1}
            if twice:
                out.append("Context, mechanism and outcome need three different factors: you named "
                           + " and ".join(sorted(twice)) + " more than once.")
        if len(self.evidence.value) > 2000:
            out.append("Keep the evidence to 2,000 characters or fewer.")
        out += [f"Keep the {r} in words to 300 characters or fewer." for r in ex.ROLES if len(self.words[r].value) > 300]
        return out

    def submit(self) -> ex.Feedback:
        problems = self.problems()
        if problems:
            self.feedback.value = ('<div class="iockit feedback wrong" role="status"><b>Almost:</b> '
                                   + esc(" ".join(problems)) + "</div>")
            return ex.Feedback(False, " ".join(problems))
        p = ex.propose(*(self.factor[r].value for r in ex.ROLES), self.context_sign.value, self.outcome_sign.value,
                       *(self.words[r].value for r in ex.ROLES), evidence=self.evidence.value)
        self.proposal = p
        from .share import download_link

        self.download.value = download_link(p.to_csv(), "my-cmoc.csv", "text/csv",
                                            "Download my CMOC (CSV, in the columns of the review's CMOC table)")
        return self._record("proposal", p.in_words(), p.summary())

    def fill(self, context: str, mechanism: str, outcome: str, context_sign: str = "+", outcome_sign: str = "+",
             evidence: str = "") -> ex.Feedback:
        self.factor["context"].value, self.factor["mechanism"].value, self.factor["outcome"].value = context, mechanism, outcome
        self.context_sign.value, self.outcome_sign.value = context_sign, outcome_sign
        self.evidence.value = evidence
        return self.submit()


def build_exercises(spec: Any, sheet: AnswerSheet, lesson: str) -> list[Exercise]:
    """The widgets for one ``exercises:`` entry of a lesson."""
    if spec.kind == "classify":
        return [ClassifyExercise(sheet, lesson, tuple(spec.cmocs))]
    if spec.kind == "build":
        return [BuildExercise(sheet, lesson, c) for c in spec.cmocs]
    if spec.kind == "poe":
        return [PoeExercise(sheet, lesson, i.id) for i in ex.poe_items().values() if i.lesson == lesson]
    if spec.kind == "cases":
        return [CasesExercise(sheet, lesson)]
    if spec.kind == "contest":
        return [ContestExercise(sheet, lesson)]
    raise ValueError(spec.kind)
