"""Write the thin lesson, questionnaire and workshop notebooks (run after adding a lesson).

Each notebook is two cells: one that shows the widget, and a self-check that the tests run with
nbval. The self-check is skipped in Voila (it would only cost the learner time) and changes nothing
on screen. Usage: python scripts/make_notebooks.py
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
              f'from iockit.widgets import lesson\n\nlesson("{ls.key}")',
              f'from iockit.widgets.lesson import rehearse\n\n    rehearse("{ls.key}")')
    write(ROOT / "lessons" / "00_questionnaire.ipynb", 'from iockit.widgets import show\n\nshow("questionnaire")',
          "from iockit.widgets.questionnaire import rehearse\n\n    rehearse()")
    write(ROOT / "workshop.ipynb", 'from iockit.widgets import show\n\nshow("workshop")',
          "from iockit.widgets.workshop import rehearse\n\n    rehearse()")


if __name__ == "__main__":
    main()
