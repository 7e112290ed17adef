"""Global sensitivity analysis (issue 16): the space, the plan, tiny Morris and Sobol analyses, the same
numbers in-process and on a 2-worker Dask cluster, the CLI's JSON equal to the library, bad input."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("SALib")

from iockit.cli import main
from iockit.errors import IockitError
from iockit.sim import Inputs, run
from iockit.sim import evaluate as sweep
from iockit.sim.scenarios import load_scenario, names
from iockit.sim.sensitivity import (
    COLUMNS,
    OUTCOMES,
    SHIPPED_OUTCOMES,
    Plan,
    check_outcome,
    check_point,
    load_precomputed,
    precomputed_names,
    sensitivity,
    sensitivity_many,
    space,
)
from iockit.theory import load_theory

TINY_MORRIS = Plan("morris", samples=2, runs=5, seed=3)
TINY_SOBOL = Plan("sobol", samples=2, runs=4, seed=1, second_order=True)


@pytest.fixture(scope="module")
def morris_report():
    return sensitivity(Inputs(), TINY_MORRIS, "trust", held=["pace"])


# --- the space ----------------------------------------------------------------------------------------------------

def test_every_numeric_context_varies_over_its_range_unless_held(theory):
    sp = space(Inputs(theory=theory), held=["Shared vision"])
    numeric = [k for k, c in theory.contexts.items() if c.kind == "number"]
    assert sp.varied == tuple(k for k in numeric if k != "shared_vision")
    assert set(sp.held) == {"entry_point", "shared_vision"}
    for key, (lo, hi) in zip(sp.varied, sp.bounds, strict=True):
        assert (lo, hi) == (theory.contexts[key].minimum, theory.contexts[key].maximum)
    problem = sp.problem()
    assert problem["num_vars"] == len(sp.varied) and problem["names"] == list(sp.varied)
    assert sp.labels()["pace"] == "Pace of development"


def test_contexts_a_scenario_sets_for_every_partner_are_held():
    sp = space(load_scenario("mandated_buddying").inputs())
    assert {"organisation_size", "workforce_stability", "entry_point"} <= set(sp.held)
    assert "organisation_size" not in sp.varied and "mandated" in sp.varied


def test_the_fixed_point_is_the_scenario_with_its_settings():
    sc = load_scenario("voluntary_alliance")
    task = sweep.Task.around(sc.inputs(), space(sc.inputs()).varied, ["trust"], 35, 5, 0)
    assert task.contexts["entry_point"] == "existing_interdependence"
    assert task.contexts["prior_collaboration"] == sc.contexts["prior_collaboration"] != load_theory().contexts["prior_collaboration"].default


# --- the plan -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "field"), [
    ({"method": "anova"}, "--method"),
    ({"method": "sobol", "samples": 100}, "--samples"),
    ({"method": "sobol", "samples": 0}, "--samples"),
    ({"method": "morris", "samples": 1}, "--samples"),
    ({"runs": 0}, "runs"),
    ({"seed": -1}, "seed"),
    ({"method": "morris", "second_order": True}, "--second-order"),
])
def test_a_bad_plan_is_one_error_naming_its_field(kwargs, field):
    with pytest.raises(IockitError) as exc:
        Plan(**kwargs)
    assert exc.value.field == field


def test_plan_defaults_and_sizes():
    assert Plan().samples == 20 and Plan("Sobol").samples == 256 and Plan("Sobol").method == "sobol"
    assert Plan("morris", samples=20).sets(27) == 560
    assert Plan("sobol", samples=1024, second_order=True).sets(27) == 57_344
    assert Plan("sobol", samples=1024).sets(27) == 29_696
    with pytest.raises(IockitError, match="from 1 to 36"):
        Plan(month=37).month_index(36)
    assert Plan().month_index(36) == 35 and Plan(month=1).month_index(36) == 0


def test_outcomes_are_the_numeric_output_columns_of_simulate():
    row = run(Inputs(runs=3)).rows()[0]
    assert set(OUTCOMES) == {k for k, v in row.items() if k != "month" and not isinstance(v, str)}
    assert check_outcome("Synergy active") == "synergy_active"
    with pytest.raises(IockitError, match="did you mean trust"):
        check_outcome("trusst")


def test_outcome_values_are_what_simulate_reports():
    result = run(Inputs(runs=30, seed=4))
    rows = result.rows()
    for month in (0, 20, 35):
        values = sweep.outcome_values(result, OUTCOMES, month)
        for name, value in zip(OUTCOMES, values, strict=True):
            expected = rows[month][name]
            assert (expected is None and math.isnan(value)) or round(value, 4) == expected, (name, month)


# --- analyses -----------------------------------------------------------------------------------------------------

def test_morris_rows(morris_report):
    r = morris_report
    rows = r.rows()
    assert r.columns() == COLUMNS["morris"] and list(rows[0]) == list(COLUMNS["morris"])
    assert {row["context"] for row in rows} == set(r.contexts) and "pace" not in r.contexts
    assert r.sets == 2 * (len(r.contexts) + 1) and r.month == 36
    stars = [row["mu_star"] for row in rows]
    assert stars == sorted(stars, reverse=True) and all(s >= 0 for s in stars)


def test_same_seed_same_numbers_whatever_the_chunks(morris_report):
    again = sensitivity(Inputs(), TINY_MORRIS, "trust", held=["pace"], where={"chunk_size": 5})
    assert again.rows() == morris_report.rows()
    other = sensitivity(Inputs(), Plan("morris", samples=2, runs=5, seed=4), "trust", held=["pace"])
    assert other.rows() != morris_report.rows()


def test_each_parameter_set_has_its_own_seed_from_the_plans_seed():
    seeds = {sweep.set_seed(3, i) for i in range(100)}
    assert len(seeds) == 100 and sweep.set_seed(3, 7) == sweep.set_seed(3, 7) != sweep.set_seed(4, 7)


def test_sobol_with_second_order_pairs():
    heard = []
    reports = sensitivity_many(Inputs(), TINY_SOBOL, ["faith", "synergy_active"],
                               progress=lambda done, total: heard.append((done, total)))
    r = reports["faith"]
    d = len(r.contexts)
    assert r.sets == 2 * (2 * d + 2)
    rows = r.rows()
    assert r.columns() == (*COLUMNS["sobol"], "other", "S2", "S2_conf")
    assert len(rows) == d + d * (d - 1) // 2
    assert all(row["other"] is None for row in rows[:d]) and all(row["S1"] is None for row in rows[d:])
    assert heard[0] == (0, heard[-1][1]) and heard[-1][0] == heard[-1][1]
    assert 0 <= reports["synergy_active"].undefined <= r.sets
    json.dumps(r.as_dict(), allow_nan=False)  # plain JSON: no NaN


def test_an_outcome_no_context_moves_is_said_so(capsys):
    code, _, err = run_cli(capsys, "sensitivity", "--outcome", "phase_contemplating", "--samples", "2", "--runs", "2")
    assert code == 0 and "was the same in all 56 parameter sets" in err and "Warning" not in err


def test_progress_counts_chunks():
    heard = []
    sensitivity(Inputs(runs=2), Plan("morris", samples=2, runs=2), "conflict", where={"chunk_size": 10},
                progress=lambda done, total: heard.append((done, total)))
    assert heard == [(k, 6) for k in range(7)]


# --- Dask ---------------------------------------------------------------------------------------------------------

def test_a_two_worker_local_dask_cluster_gives_the_same_numbers(morris_report):
    pytest.importorskip("dask.distributed")
    heard = []
    on_dask = sensitivity(Inputs(), TINY_MORRIS, "trust", held=["pace"], where={"workers": 2},
                          progress=lambda done, total: heard.append(done))
    assert on_dask.rows() == morris_report.rows()
    assert heard[-1] == max(heard) and sorted(heard) == heard


def test_an_unreachable_scheduler_is_one_error(monkeypatch):
    pytest.importorskip("dask.distributed")
    monkeypatch.setattr(sweep, "CONNECT_TIMEOUT", 1)
    with pytest.raises(IockitError) as exc:
        sensitivity(Inputs(), TINY_MORRIS, "trust", where={"scheduler": "tcp://127.0.0.1:9"})
    assert exc.value.field == "--scheduler" and "could not connect within 1 s" in exc.value.message


def test_a_chunk_failing_on_a_worker_is_one_error(monkeypatch):
    """A worker without iockit cannot unpickle the chunk: the user gets one line, not Dask's traceback."""
    distributed = pytest.importorskip("dask.distributed")

    class Failed:
        def result(self):
            raise ModuleNotFoundError("No module named 'iockit'")

    class Client:
        def scatter(self, task, broadcast):
            return task

        def submit(self, *args, pure):
            return Failed()

    monkeypatch.setattr(distributed, "as_completed", iter)
    with pytest.raises(IockitError) as exc:
        sweep._on_dask(Client(), None, np.zeros((2, 1)), np.zeros((2, 1)), [(0, 2)], lambda d, t: None,
                       ("--scheduler", "tcp://10.0.0.5:8786"))
    assert exc.value.field == "--scheduler" and "No module named 'iockit'" in exc.value.message


@pytest.mark.parametrize("where", [{"workers": 0}, {"workers": 2, "scheduler": "tcp://127.0.0.1:9"},
                                   {"chunk_size": 0}])
def test_bad_evaluation_settings_are_refused_before_any_work(where):
    with pytest.raises(IockitError):
        sensitivity(Inputs(), TINY_MORRIS, "trust", where=where)


# --- the CLI ------------------------------------------------------------------------------------------------------

def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_equals_the_library_call(capsys, morris_report):
    code, out, err = run_cli(capsys, "sensitivity", "--outcome", "trust", "--samples", "2", "--runs", "5",
                             "--seed", "3", "--set", "pace=0.5", "--format", "json")
    assert code == 0 and "chunks" in err
    assert json.loads(out) == morris_report.rows()


def test_cli_sobol_table_and_csv_on_a_preset(capsys):
    args = ["sensitivity", "--method", "sobol", "--samples", "2", "--runs", "3", "--scenario", "mandated_buddying",
            "--outcome", "dissolved", "--month", "12"]
    code, out, _ = run_cli(capsys, *args, "--second-order")
    assert code == 0 and out.splitlines()[0].split() == list(COLUMNS["sobol"]) and "second-order pairs" in out
    code, out, _ = run_cli(capsys, *args, "--format", "csv")
    assert code == 0 and out.splitlines()[0] == ",".join(COLUMNS["sobol"])
    assert "organisation_size" not in out  # set for each partner by the scenario: held


@pytest.mark.parametrize("method", ["morris", "sobol"])
@pytest.mark.parametrize("preset", names())
def test_cli_runs_both_methods_on_every_preset(capsys, method, preset):
    code, out, _ = run_cli(capsys, "sensitivity", "--method", method, "--scenario", preset, "--samples", "2",
                           "--runs", "2", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows and list(rows[0]) == list(COLUMNS[method])
    assert "entry_point" not in {r["context"] for r in rows}


@pytest.mark.parametrize(("argv", "says"), [
    (["--outcome", "trusst"], "--outcome: 'trusst'"),
    (["--set", "nonsense=1"], "'nonsense'"),
    (["--method", "sobol", "--samples", "100"], "a power of two"),
    (["--method", "anova"], "--method"),
    (["--month", "0"], "--month"),
    (["--scenario", "no_such_preset"], "scenario"),
    (["--set", "pace=2"], "pace"),
])
def test_cli_bad_input_is_one_line_and_exit_code_2(capsys, argv, says):
    code, out, err = run_cli(capsys, "sensitivity", "--samples", "2", "--runs", "2", *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and says in err and "Traceback" not in err


def test_cli_unreachable_scheduler_in_a_subprocess():
    pytest.importorskip("dask.distributed")
    proc = subprocess.run([sys.executable, "-m", "iockit.cli", "sensitivity", "--samples", "2", "--runs", "2",
                           "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--scheduler" in lines[0] and "Traceback" not in proc.stderr


def test_importing_the_analysis_loads_neither_salib_nor_dask():
    code = ("import sys; import iockit.sim.sensitivity, iockit.sim.evaluate, iockit.sim.sweep, iockit.cli; "
            "print(','.join(m for m in ('SALib', 'dask', 'distributed', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


# --- the results shipped for the dashboard ------------------------------------------------------------------------

def test_results_are_shipped_for_the_defaults_and_every_preset():
    assert set(precomputed_names()) == {"defaults", *names()}
    for name in precomputed_names():
        data = load_precomputed(name)
        assert set(data["results"]) == {"morris", "sobol"}
        for method, by_outcome in data["results"].items():
            assert set(by_outcome) == set(SHIPPED_OUTCOMES)
            for report in by_outcome.values():
                assert report["method"] == method and report["rows"]
                assert list(report["rows"][0]) == list(COLUMNS[method])


@pytest.mark.parametrize("name", ["defaults", *names()])
def test_shipped_results_come_from_the_current_model(name):
    """Fails after a change of the model: run `python scripts/make_sensitivity.py` and commit the files."""
    data = load_precomputed(name)
    base = Inputs() if name == "defaults" else load_scenario(name).inputs()
    now = check_point(base)
    for outcome, value in data["check"].items():
        same = (value is None and now[outcome] is None) or np.isclose(value, now[outcome], rtol=0, atol=1e-12)
        assert same, f"{name}: {outcome} moved from {value} to {now[outcome]}: run scripts/make_sensitivity.py"
