"""Write the thin lesson, questionnaire, workshop and sensitivity notebooks (run after adding a lesson).

Each notebook is two cells: one that shows the widget, and a short self-check that the tests run
with nbval (the widget started, one thing changes and is put back). The self-check is skipped in
Voila (it would only cost the learner time) and leaves the screen as it was. Walking a whole lesson
as a learner would is a test (tests/unit/test_teach_widgets.py), not notebook code. Usage: python scripts/make_notebooks.py
"""

from __future__ import annotations

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent / "notebooks"
META = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}
CHECK = ("# Self-check, run by the tests (nbval); skipped in Voila, it changes nothing on screen.\n"
         "from iockit.widgets import in_voila\n\n"
         "if not in_voila():\n    {body}")


def write(path: Path, show: str, check: str) -> None:
    nb = nbformat.v4.new_notebook(metadata=META)
    nb.cells = [nbformat.v4.new_code_cell(show), nbformat.v4.new_code_cell(CHECK.format(body=check))]
    for i, cell in enumerate(nb.cells):
        cell.id = f"{path.stem[:20]}-{i}".replace("_", "-")
    nbformat.write(nb, path)


def main() -> None:
    from iockit.teach.lessons import load_lessons

    for ls in load_lessons():
        write(ROOT / "lessons" / f"{ls.order:02d}_{ls.key}.ipynb",
              f'from iockit.widgets import lesson\n\nview = lesson("{ls.key}")\nview',
              "from iockit.widgets.lesson import LessonView\n\n"
              '    assert isinstance(view, LessonView), "the lesson did not start"\n'
              "    view.go(len(view.lesson.steps) - 1)\n"
              '    assert "now try the exercises" in view.position.value\n'
              "    view.go(0)")
    write(ROOT / "lessons" / "00_questionnaire.ipynb",
          'from iockit.widgets import show\n\nq = show("questionnaire")\nq',
          "from iockit.widgets.questionnaire import Questionnaire\n\n"
          '    assert isinstance(q, Questionnaire), "the questionnaire did not start"\n'
          "    q.submit()  # nothing answered yet: it asks for every answer and records nothing\n"
          '    assert "answer every question" in q.status.value and not q.sheet.rows\n'
          '    q.status.value = ""')
    write(ROOT / "workshop.ipynb", 'from iockit.widgets import show\n\nw = show("workshop")\nw',
          "from iockit.widgets.workshop import WorkshopDashboard\n\n"
          '    assert isinstance(w, WorkshopDashboard), "the workshop view did not start"\n'
          '    w.load_files([("check.yaml", b"contexts: {ambition: 7}\\n")])  # a bad file is named, nothing loads\n'
          '    assert "check.yaml" in w.status.value and not w.groups\n'
          "    w.clear()")
    write(ROOT / "08_which_contexts_matter.ipynb", 'from iockit.widgets import show\n\ndash = show("sensitivity")\ndash',
          "from iockit.widgets.sensitivity import SensitivityDashboard\n\n"
          '    assert isinstance(dash, SensitivityDashboard), "the dashboard did not start"\n'
          '    dash.outcome.value = "trust"  # another outcome: the bars are redrawn\n'
          '    assert dash.ranked and "trust" in dash.x_axis.label\n'
          '    dash.outcome.value = "dissolved"')

if __name__ == "__main__":
    main()
