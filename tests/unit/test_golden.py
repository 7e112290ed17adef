"""The simulator's behaviour, pinned: ensemble means and explain text equal the checked-in golden
outputs (tests/golden/, written by scripts/make_golden.py). A deliberate change of the model
regenerates them in a commit that says why."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
_spec = importlib.util.spec_from_file_location("make_golden", ROOT / "scripts" / "make_golden.py")
make_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_golden)
MEANS = json.loads((GOLDEN / "ensemble_means.json").read_text())


def test_golden_covers_every_preset_and_seed():
    assert set(MEANS) == {f"{s}/seed{seed}" for s in make_golden.SCENARIOS for seed in make_golden.SEEDS}


@pytest.mark.parametrize("key", sorted(MEANS))
def test_ensemble_means_unchanged(key):
    scenario, seed = key.split("/seed")
    got = make_golden.ensemble_means(scenario, int(seed))
    want = MEANS[key]
    assert set(got) == set(want)
    for column, values in want.items():
        np.testing.assert_allclose(got[column], values, rtol=0, atol=1e-12, err_msg=f"{key} {column}")


@pytest.mark.parametrize("name", sorted(make_golden.EXPLAIN))
def test_explain_text_unchanged(name):
    assert make_golden.explain_text(make_golden.EXPLAIN[name]) == (GOLDEN / name).read_text()
