"""``iockit sweep`` and the patterns section of ``iockit fidelity`` (issue 12)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from iockit.cli import main
from iockit.sim.sweep import COLUMNS


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sweep_prints_the_named_columns_per_value(capsys):
    code, out, _ = run(capsys, "sweep", "Shared vision", "--steps", "3", "--runs", "30", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["shared_vision", *COLUMNS]
    assert [r["shared_vision"] for r in rows] == ["0", "0.5", "1"]
    code, table, _ = run(capsys, "sweep", "shared_vision", "--steps", "3", "--runs", "30")
    assert code == 0 and table.splitlines()[0].split() == ["shared_vision", *COLUMNS]


def test_sweep_from_a_scenario_at_a_month_with_every_entry_point(capsys):
    code, out, _ = run(capsys, "sweep", "entry_point", "--scenario", "mandated_buddying", "--month", "12",
                       "--runs", "30", "--set", "formalisation=1", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {r["entry_point"] for r in rows} >= {"policy_directive", "existing_interdependence"}
    assert all(0 <= r["dissolved"] <= 1 and r["active"] == pytest.approx(1 - r["dissolved"], abs=1e-3)
               for r in rows)


def test_sweep_survivor_means_are_null_when_every_run_has_dissolved(capsys, monkeypatch):
    import numpy as np

    from iockit.sim import model

    real = model.run

    def all_gone(inputs):
        r = real(inputs)
        r.series["dissolved"] = np.ones_like(r.series["dissolved"])
        return r

    monkeypatch.setattr("iockit.sim.sweep.run", all_gone)
    code, out, _ = run(capsys, "sweep", "pace", "--steps", "2", "--runs", "5", "--format", "json")
    assert code == 0
    assert all(r["synergy_active"] is None and r["inertia_active"] is None for r in json.loads(out))
    code, out, _ = run(capsys, "sweep", "pace", "--steps", "2", "--runs", "5", "--format", "csv")
    assert out.splitlines()[1].split(",")[4:6] == ["", ""]


@pytest.mark.parametrize(("argv", "words"), [
    (["sweep", "shared_vison"], ["key", "shared_vision"]),
    (["sweep", "ambition", "--steps", "1"], ["steps", "2 to 101"]),
    (["sweep", "ambition", "--month", "40"], ["month", "1 to 36"]),
    (["sweep", "ambition", "--runs", "0"], ["runs"]),
])
def test_sweep_bad_input_is_one_line(capsys, argv, words):
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.count("\n") == 1
    assert all(w in err for w in words), err


def test_fidelity_shows_the_patterns_with_quote_and_line(capsys):
    code, out, _ = run(capsys, "fidelity")
    assert code == 0, out
    import re

    passed, total = re.search(r"checks passed: (\d+) of (\d+)", out).groups()
    assert passed == total and int(total) >= 84
    assert "13 of 13 hold" in out and "FAIL" not in out
    assert "Similarly, when" in out and "279; 241" in out  # the quote of line 279 (wrapped to the terminal)


def test_fidelity_report_prints_target_and_measured_value(capsys):
    code, out, _ = run(capsys, "fidelity", "--report")
    assert code == 0
    assert "line 168: “Eight of the included studies" in out
    assert "target: No context, swept over its whole range" in out
    assert "ok   leadership style, past collaboration: [" in out
    code, out, _ = run(capsys, "fidelity", "--report", "--format", "json")
    report = json.loads(out)
    assert [r["pattern"] for r in report] == list(range(1, 14))
    assert report[0]["values"]["dissolved by month 36"] > 0.25
