"""Validation of broken copies: one problem per break, named by (file, row, field)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from iockit.errors import DataPackageError, IockitError
from iockit.validate import check, validate


def _edit(path: Path, fn) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    header = fn(rows) or header
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, header, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _flat(problems):
    return [(p.file, p.row, p.field) for p in problems]


def test_shipped_package_is_valid():
    assert validate() == []


def test_missing_column(package_copy):
    _edit(package_copy / "cmocs.csv", lambda rows: [k for k in rows[0] if k != "quote"])
    assert _flat(validate(package_copy)) == [("cmocs.csv", 1, "quote")]


def test_unknown_factor(package_copy):
    def f(rows):
        rows[4]["context_factors"] = "sharde_vision"
    _edit(package_copy / "cmocs.csv", f)
    problems = validate(package_copy)
    assert ("cmocs.csv", 6, "context_factors") in _flat(problems)
    assert any("'sharde_vision' is not one of the factor keys" in p.message for p in problems)


def test_duplicate_id(package_copy):
    def f(rows):
        rows[3]["id"] = rows[2]["id"]
    _edit(package_copy / "cmocs.csv", f)
    problems = validate(package_copy)
    assert ("cmocs.csv", 5, "id") in _flat(problems)
    assert "duplicate" in str(problems[0])


def test_bad_number(package_copy):
    def f(rows):
        rows[0]["year"] = "twenty-ten"
    _edit(package_copy / "references.csv", f)
    problems = validate(package_copy)
    assert _flat(problems) == [("references.csv", 2, "year")]
    assert "'twenty-ten' is not of type integer" in problems[0].message


def test_unknown_reference_number(package_copy):
    def f(rows):
        rows[0]["references"] = "66;120"
    _edit(package_copy / "cmocs.csv", f)
    problems = validate(package_copy)
    assert _flat(problems) == [("cmocs.csv", 2, "references")]
    assert "'120' is not one of the reference numbers" in problems[0].message


def test_study_pointing_nowhere(package_copy):
    def f(rows):
        rows[0]["reference"] = "157"
    _edit(package_copy / "studies.csv", f)
    assert _flat(validate(package_copy)) == [("studies.csv", 2, "reference")]


def test_link_to_a_factor_the_cmoc_does_not_name(package_copy):
    def f(rows):
        rows[0]["links"] += ";faith->performance:+"
    _edit(package_copy / "cmocs.csv", f)
    assert ("cmocs.csv", 2, "links") in _flat(validate(package_copy))


def test_malformed_link(package_copy):
    def f(rows):
        rows[0]["links"] = "trust=>synergy"
    _edit(package_copy / "cmocs.csv", f)
    assert ("cmocs.csv", 2, "links") in _flat(validate(package_copy))


def test_roles_out_of_step_with_cmocs(package_copy):
    def f(rows):
        rows[0]["roles"] = "outcome"
    _edit(package_copy / "factors.csv", f)
    assert _flat(validate(package_copy)) == [("factors.csv", 2, "roles")]


def test_named_loop_not_in_web(package_copy):
    def f(rows):
        rows[0]["factors"] = "trust;performance"
    _edit(package_copy / "loops.csv", f)
    assert ("loops.csv", 2, "factors") in _flat(validate(package_copy))


def test_missing_file_and_bad_json(package_copy):
    (package_copy / "lifecycle.csv").unlink()
    assert ("lifecycle.csv", None, None) in _flat(validate(package_copy))
    (package_copy / "datapackage.json").write_text("{ not json")
    assert _flat(validate(package_copy)) == [("datapackage.json", None, None)]


def test_check_raises_with_every_problem(package_copy):
    def f(rows):
        rows[0]["year"] = "x"
        rows[1]["year"] = "y"
    _edit(package_copy / "references.csv", f)
    with pytest.raises(DataPackageError) as err:
        check(package_copy)
    assert len(err.value.problems) == 2


def test_not_a_package_dir(tmp_path):
    with pytest.raises(IockitError) as err:
        validate(tmp_path)
    assert err.value.field == "DATAPACKAGE_DIR"


def test_descriptor_declares_licence_and_citation():
    d = json.loads((Path(__file__).parents[2] / "datasets" / "datapackage.json").read_text())
    assert d["licenses"][0]["name"] == "CC-BY-4.0"
    assert "10.1186/s13643-021-01630-8" in d["citation"]
