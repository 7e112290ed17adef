"""One checked Inputs value: one number rule and one duplicate rule for every way in (CLI --set,
scenario files, share links), and --data reaching the simulator."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iockit.errors import IockitError
from iockit.sim.inputs import Inputs
from iockit.sim.scenarios import parse_scenario
from iockit.teach.statelink import from_query
from iockit.theory import load_theory

ROOT = Path(__file__).resolve().parents[2]
BAD_NUMBERS = ["0.0_1", "٠.٥", "0x1", "nan", "inf", " 0.5", "1,5", "½"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "iockit.cli", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("text", BAD_NUMBERS)
def test_the_same_bad_number_gets_the_same_message_everywhere(text):
    with pytest.raises(IockitError) as from_inputs:
        Inputs({"shared_vision": text})
    with pytest.raises(IockitError) as from_link:
        from_query("shared_vision=" + text.replace(" ", "%20").replace(",", "%2C"))
    yaml_text = text.replace("'", "''")
    with pytest.raises(IockitError) as from_file:
        parse_scenario(f"contexts:\n  shared_vision: '{yaml_text}'\n")
    proc = cli("simulate", "--runs", "1", "--set", f"shared_vision={text}")
    expected = from_inputs.value.message
    assert from_link.value.message == expected
    assert from_file.value.message == expected
    if text.strip() != text:  # --set strips spaces around KEY=VALUE, as a shell user expects
        assert proc.returncode == 0
    else:
        assert proc.returncode == 2 and proc.stderr.strip() == f"iockit: error: {expected}"


@pytest.mark.parametrize("text, number", [("0.5", 0.5), (".5", 0.5), ("1", 1.0), ("5e-1", 0.5), ("+0.25", 0.25)])
def test_plain_decimals_are_read_the_same_everywhere(text, number):
    assert Inputs({"shared_vision": text}).contexts["shared_vision"] == number
    assert from_query("shared_vision=" + text.replace("+", "%2B")).contexts["shared_vision"] == number
    assert parse_scenario(f"contexts:\n  shared_vision: '{text}'\n").contexts["shared_vision"] == number


def test_a_context_given_twice_is_refused_everywhere():
    with pytest.raises(IockitError, match="each context once"):
        Inputs({"shared_vision": 0.1, "Shared Vision": 0.9})
    with pytest.raises(IockitError, match="each context once"):
        parse_scenario("contexts:\n  shared_vision: 0.1\n  Shared vision: 0.9\n")
    proc = cli("simulate", "--runs", "1", "--set", "shared_vision=0.1", "--set", "Shared Vision=0.9")
    assert proc.returncode == 2 and "each context once" in proc.stderr
    proc = cli("simulate", "--runs", "1", "--set", "shared_vision=0.1", "--set", "shared_vision=0.9")
    assert proc.returncode == 2 and "each context once" in proc.stderr


def test_inputs_are_immutable_complete_and_rechecked_on_replace():
    a = Inputs({"mandated": 1})
    assert a.contexts["mandated"] == 1.0 and len(a.contexts) == len(load_theory().contexts)
    with pytest.raises(TypeError):
        a.contexts["mandated"] = 0.0  # type: ignore[index]
    with pytest.raises(Exception):  # noqa: B017  (dataclasses.FrozenInstanceError)
        a.runs = 5  # type: ignore[misc]
    b = a.replace(contexts={"ambition": 0.9}, runs=10)
    assert b.contexts["mandated"] == 1.0 and b.contexts["ambition"] == 0.9 and b.runs == 10
    assert b.changed() == {"mandated": 1.0, "ambition": 0.9}
    with pytest.raises(IockitError) as err:
        a.replace(runs=0)
    assert err.value.field == "runs"


def _edited_package(tmp_path: Path) -> Path:
    """A copy of the data package whose contexts.csv gives shared_vision a default of 0.9 and mandated a
    range of 0-0.5."""
    copy = tmp_path / "pkg"
    shutil.copytree(ROOT / "datasets", copy)
    path = copy / "contexts.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r["key"] == "shared_vision":
            r["default"] = "0.9"
        if r["key"] == "mandated":
            r["maximum"] = "0.5"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return copy


def test_an_edited_contexts_csv_reaches_the_simulator(tmp_path):
    pkg = _edited_package(tmp_path)
    shipped = cli("simulate", "--runs", "50", "--months", "6", "--format", "csv")
    edited = cli("simulate", "--runs", "50", "--months", "6", "--format", "csv", "--data", str(pkg))
    assert shipped.returncode == edited.returncode == 0
    assert shipped.stdout != edited.stdout  # the default shared vision moved, and with it the run
    theory = load_theory(pkg)
    assert Inputs(theory=theory).contexts["shared_vision"] == 0.9
    refused = cli("simulate", "--runs", "5", "--set", "mandated=0.8", "--data", str(pkg))
    assert refused.returncode == 2 and "mandated: '0.8' is not allowed" in refused.stderr
    assert "to 0.5" in refused.stderr
    assert cli("simulate", "--runs", "5", "--set", "mandated=0.8").returncode == 0


def test_an_edited_contexts_csv_reaches_a_dashboard_slider(tmp_path, monkeypatch):
    pytest.importorskip("ipywidgets")
    from iockit.widgets._base import ContextPanel

    monkeypatch.setenv("IOCKIT_DATA", str(_edited_package(tmp_path)))
    panel = ContextPanel(presets=False)
    assert panel.controls["shared_vision"].value == 0.9
    assert panel.controls["mandated"].max == 0.5


def test_a_bad_cell_in_contexts_csv_is_a_row_numbered_problem(tmp_path):
    pkg = _edited_package(tmp_path)
    text = (pkg / "contexts.csv").read_text(encoding="utf-8").replace(",0.9,", ",high,", 1)
    (pkg / "contexts.csv").write_text(text, encoding="utf-8")
    proc = cli("simulate", "--runs", "5", "--data", str(pkg))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "contexts.csv row" in proc.stderr and "default" in proc.stderr and "'high'" in proc.stderr
