import subprocess
import sys

HEAVY = ("numpy", "networkx", "pandas", "frictionless", "ipywidgets", "bqplot", "ipycytoscape", "IPython", "voila")


def test_core_import_touches_no_heavy_or_widget_module():
    code = f"import sys, iockit; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_theory_and_web_do_not_touch_widgets():
    code = ("import sys, iockit; iockit.build_web(iockit.load_theory()); "
            "print(','.join(m for m in ('ipywidgets','bqplot','ipycytoscape','IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_teaching_core_does_not_touch_widgets():
    code = ("import sys; from iockit.teach import exercises, answers, lessons, statelink; "
            "exercises.check_classify('T3-26/context', 'context'); exercises.check_prediction('poe_ambition', 'falls'); "
            "lessons.load_lessons(); "
            "print(','.join(m for m in ('ipywidgets','bqplot','ipycytoscape','IPython','voila') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_public_api_is_exported():
    import iockit

    assert set(iockit.__all__) - {"__version__"} == set(iockit._EXPORTS)
    for name in iockit.__all__:
        assert getattr(iockit, name) is not None


def test_wheel_ships_the_data_package(tmp_path):
    """`pip install iockit` works without a checkout: the wheel carries datasets/ inside the package."""
    import zipfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(root)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("iockit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "iockit/_datasets/datapackage.json" in names
    assert "iockit/_datasets/cmocs.csv" in names
    assert "iockit/_notebooks/index.ipynb" in names
    assert "iockit/_sensitivity/defaults.json" in names  # the dashboard's precomputed sensitivity results
    # the teaching material: lessons, questionnaire, exercise items and their notebooks
    assert {"iockit/teach/lessons/02_trust_loop.yaml", "iockit/teach/questionnaire.yaml", "iockit/teach/poe.yaml",
            "iockit/teach/cases.yaml", "iockit/teach/dashboards.yaml", "iockit/sim/narrative.yaml",
            "iockit/_notebooks/lessons/02_trust_loop.ipynb", "iockit/_notebooks/workshop.ipynb"} <= names
