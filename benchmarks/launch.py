"""How long `bash scripts/launch` takes to serve a page (issue 13: a second launch within 10 s).

Run: .venv/bin/python benchmarks/launch.py [--rounds 3]
Each round runs `bash scripts/launch dashboard --no-browser --port P`, times it until the index page's
HTML has arrived (the page a lecturer opens first), then stops it with SIGINT (Ctrl-C). The first round
installs if `.venv` has no install stamp or the stamp is out of date; the later rounds are "second
launches". Wall times from the start of the command; nothing is asserted (machines are noisy).
"""

from __future__ import annotations

import argparse
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_launch(timeout: float = 600.0) -> float:
    """Seconds from `bash scripts/launch` to the index page's full HTML."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/voila/render/index.ipynb"
    start = time.perf_counter()
    proc = subprocess.Popen(["bash", "scripts/launch", "dashboard", "--no-browser", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < timeout:
            try:
                with urllib.request.urlopen(url, timeout=60) as page:
                    page.read()
                return time.perf_counter() - start
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"no page from {url} within {timeout:.0f} s")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="launches after the first (default 3)")
    args = ap.parse_args(argv)
    first = one_launch()
    print(f"first launch (installs if needed): {first:.1f} s to the index page")
    later = [one_launch() for _ in range(args.rounds)]
    print(f"second launches: median {statistics.median(later):.1f} s, max {max(later):.1f} s "
          f"over {len(later)} (target: a page within 10 s)", file=sys.stdout)


if __name__ == "__main__":
    main()
