"""Write the golden outputs that pin the simulator's behaviour (tests/golden/).

Ensemble means of every output column for the four presets and the defaults (seeds 0, 1, 2; 200 runs;
36 months), and the ``iockit explain`` text of two scenarios. ``tests/unit/test_golden.py`` compares
the model with them to 1e-12. Regenerate only on purpose (a re-calibration), in a commit saying why:

    python scripts/make_golden.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
GOLDEN = HERE / "tests" / "golden"
SCENARIOS = ("defaults", "voluntary_alliance", "mandated_buddying", "large_trust_merger",
             "integrated_care_partnership")
SEEDS = (0, 1, 2)
EXPLAIN = {"explain_mandated_buddying.txt": ["--scenario", "mandated_buddying"],
           "explain_ambition_095.txt": ["--set", "ambition=0.95", "--seed", "3"]}


def ensemble_means(scenario: str, seed: int) -> dict[str, list[float]]:
    """Every output column of ``iockit simulate`` at full precision: the state means and phase fractions."""
    from iockit.sim.inputs import Inputs
    from iockit.sim.model import STATE, run
    from iockit.sim.scenarios import load_preset

    if scenario == "defaults":
        inputs = Inputs(months=36, runs=200, seed=seed)
    else:
        inputs = load_preset(scenario).inputs(months=36, runs=200, seed=seed)
    r = run(inputs)
    out = {v: [float(x) for x in r.mean(v)] for v in STATE}
    for phase, frac in r.phase_fractions().items():
        out[f"phase_{phase}"] = [float(x) for x in frac]
    return out


def explain_text(args: list[str]) -> str:
    cmd = [sys.executable, "-m", "iockit.cli", "explain", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=HERE).stdout


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    means = {f"{s}/seed{seed}": ensemble_means(s, seed) for s in SCENARIOS for seed in SEEDS}
    (GOLDEN / "ensemble_means.json").write_text(json.dumps(means, indent=1) + "\n")
    for name, args in EXPLAIN.items():
        (GOLDEN / name).write_text(explain_text(args))


if __name__ == "__main__":
    main()
