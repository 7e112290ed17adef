"""Theory as data, not code: CMOC ids live in data files (the data package, iockit/teach/*.yaml,
iockit/sim/narrative.yaml), `iockit validate` catches an id that names no CMOC, and an edit to the
data reaches explain and the dashboards."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from iockit.errors import IockitError
from iockit.validate import named_cmocs, theory_yaml_files, validate

ROOT = Path(__file__).resolve().parents[2]
KIT = ROOT / "iockit"
CMOC_ID = re.compile(r"\b(T3|TX)-\d+\b")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def test_no_cmoc_id_is_written_in_python_outside_docstrings():
    found = []
    for path in sorted(KIT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            if is_text and CMOC_ID.search(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "CMOC ids belong in data files (iockit/teach/*.yaml, iockit/sim/narrative.yaml):\n" + "\n".join(found)


def test_every_kit_yaml_file_is_checked():
    checked = {p for _, p in theory_yaml_files()}
    assert {KIT / "sim" / "narrative.yaml", KIT / "teach" / "dashboards.yaml", KIT / "teach" / "cases.yaml",
            KIT / "teach" / "poe.yaml", KIT / "teach" / "lessons" / "02_trust_loop.yaml"} <= checked


def test_named_cmocs_reads_lists_and_words():
    data = {"a": {"cmocs": ["T3-01", "TX-02"]}, "b": ["see T3-03 and TX-04."], "c": 5}
    assert list(named_cmocs(data)) == [("a.cmocs[0]", "T3-01"), ("a.cmocs[1]", "TX-02"), ("b[0]", "T3-03"), ("b[0]", "TX-04")]


def _drop_cmoc(package: Path, ident: str) -> None:
    lines = (package / "cmocs.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (package / "cmocs.csv").write_text("".join(ln for ln in lines if not ln.startswith(ident + ",")), encoding="utf-8")


def test_validate_names_the_file_and_key_of_a_dangling_id(package_copy):
    _drop_cmoc(package_copy, "TX-06")     # named by explain's narrative and the loop dashboard
    problems = [(p.file, p.field, p.message) for p in validate(package_copy)]
    msg = "'TX-06' is not one of the CMOC ids (cmocs.csv)"
    assert ("iockit/sim/narrative.yaml", "events.dissolved_trust.cmocs[1]", msg) in problems
    assert ("iockit/teach/dashboards.yaml", "loop.nodes.conflict.cmocs[1]", msg) in problems
    assert ("iockit/teach/cases.yaml", "collaborative.cmocs[6]", msg) in problems


def test_validate_checks_the_packages_scenarios(package_copy):
    (package_copy / "scenarios").mkdir()
    (package_copy / "scenarios" / "mine.yaml").write_text("title: Mine\ndescription: as T3-99 says\n", encoding="utf-8")
    problems = validate(package_copy)
    assert [(p.file, p.row, p.field) for p in problems] == [("scenarios/mine.yaml", None, "description")]
    assert str(problems[0]) == "scenarios/mine.yaml, field 'description': 'T3-99' is not one of the CMOC ids (cmocs.csv)"


def test_cli_validate_reports_a_dangling_id(package_copy, capsys):
    from iockit.cli import main

    _drop_cmoc(package_copy, "T3-33")
    assert main(["validate", str(package_copy)]) == 2
    err = capsys.readouterr().err
    assert "iockit/sim/narrative.yaml, field 'events.dissolved_faith.cmocs[0]': 'T3-33' is not one of the CMOC ids" in err


@pytest.fixture
def edited(tmp_path, monkeypatch):
    """Edit a copy of one of the kit's YAML files and point its loader at the copy."""
    from iockit.sim import explain
    from iockit.teach import dashboards

    targets = {"narrative": (explain, "NARRATIVE_PATH", explain.narrative),
               "dashboards": (dashboards, "DASHBOARDS_PATH", dashboards._all_words)}

    def edit(name: str, change) -> None:
        module, attr, cached = targets[name]
        data = yaml.safe_load(getattr(module, attr).read_text(encoding="utf-8"))
        change(data)
        copy = tmp_path / f"{name}.yaml"
        copy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        monkeypatch.setattr(module, attr, copy)
        cached.cache_clear()

    yield edit
    for _, _, cached in targets.values():
        cached.cache_clear()


def test_an_edit_to_the_narrative_reaches_explain(edited):
    from iockit.sim.explain import cite, explain

    def change(data):
        data["events"]["quick_win"]["cmocs"] = ["TX-01"]
        data["events"]["quick_win"]["text"] = "Month {month}: an early success ({succeeded} tasks)"
    edited("narrative", change)
    wins = [ln for ln in explain(seed=0) + explain(seed=1) + explain(seed=2) if "early success" in ln.text]
    assert wins and all(ln.cmocs == ("TX-01",) and ln.text.endswith(f"tasks) ({cite('TX-01')})") for ln in wins)


def test_a_dangling_id_in_the_narrative_is_an_error_naming_the_key(edited):
    from iockit.sim.explain import explain

    edited("narrative", lambda data: data["events"]["inertia"].update(cmocs=["T3-99"]))
    with pytest.raises(IockitError, match=r"narrative.yaml events.inertia.cmocs\[0\]: 'T3-99'"):
        explain(seed=0)


def test_an_edit_to_the_dashboard_words_reaches_the_dashboard(edited):
    pytest.importorskip("ipywidgets")
    from iockit.widgets.loop import TrustLoopDashboard

    def change(data):
        data["loop"]["nodes"]["faith"] = {"text": "Faith follows the review.", "cmocs": ["T3-33"]}
        data["loop"]["edges"][0]["cmocs"] = ["T3-23", "T3-21"]
        data["loop"]["tries"].append("A new thing to try.")
    edited("dashboards", change)
    d = TrustLoopDashboard(share=False)
    d._explain_node("node", "faith")
    assert "Faith follows the review." in d.status.value and "(T3-33 " in d.status.value
    assert d.diagram.edges[0].label == "T3-23/21"
    assert "A new thing to try." in d.children[0].children[0].value


def test_a_dangling_id_in_the_dashboard_words_is_an_error(edited):
    from iockit.teach.dashboards import dashboard_words

    edited("dashboards", lambda data: data["synergy"]["cites"].update(inertia=["TX-99"]))
    with pytest.raises(IockitError, match=r"dashboards.yaml synergy.cites.inertia\[0\]: 'TX-99'"):
        dashboard_words("synergy")

