"""What a class meets (issue 13): a fresh ``iockit dashboard``, every page opened once in the lecture plan's
order, each showing a widget within 10 s, every control visible at 1366x768 and reachable with Tab, no
console error, no request leaving 127.0.0.1, no serious accessibility violation (axe-core), screenshots at
three sizes and in large type, closed pages giving their kernels back, and a SIGTERM that stops it all.

Checks that fail on today's widgets are marked ``xfail(strict=True)`` naming the issue 13 item that fixes
them: they cannot fail silently, and the mark must go when the page is fixed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pageprobe as probe
import pytest

from iockit.serve import PREHEAT_ORDER, free_port, port_is_free, server_processes, wait_until_up

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SHOTS = ARTIFACTS / "pages"
CHROMIUM = "/usr/bin/chromium"
FIRST_OPEN_LIMIT_S = 10.0
SIZES = {"800x600": (800, 600), "1366x768": (1366, 768), "1920x1080": (1920, 1080)}
PAGES = [p.removesuffix(".ipynb") for p in PREHEAT_ORDER]   # the lecture plan's pages first, in its order
KERNEL_ROUNDS = 20


def slug(page: str) -> str:
    return page.replace("/", "-")


def _known(pages: dict[str, str]):
    """``pytest.param``s for PAGES, with today's known failures (page -> reason) as strict xfails."""
    return [pytest.param(p, id=p, marks=pytest.mark.xfail(strict=True, reason=f"issue 13 {pages[p]}") if p in pages else ())
            for p in PAGES]


# --- a fresh server, and one browser for the module -------------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "dashboard-server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "iockit.cli", "dashboard", "--no-browser", "--port", str(port),
                             "--log", str(ARTIFACTS / "voila-server.log")], stdout=log, stderr=subprocess.STDOUT)
    started = time.monotonic()
    assert wait_until_up(port, proc=proc, timeout=120), "iockit dashboard did not answer"
    yield {"base": f"http://127.0.0.1:{port}", "port": port, "proc": proc, "answered_s": time.monotonic() - started}
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    log.close()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run the README's test command (bash scripts/test)")
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="iockit-chromium-"), executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"], viewport={"width": 1366, "height": 768})
        ctx.outside_requests = []
        yield ctx
        ctx.close()


def _open(ctx, url: str) -> tuple:
    """A new tab on ``url``: (page, console problems, seconds until a widget shows or None after 60 s)."""
    page = ctx.new_page()
    probe.refuse_outside(page, ctx.outside_requests)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text[:200]}")
            if m.type in ("error", "warning") and not any(b in m.text for b in probe.BENIGN) else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    start = time.monotonic()
    page.goto(url, wait_until="commit")
    seconds = probe.wait_visible(page, 60)
    return page, problems, (None if seconds is None else time.monotonic() - start)


# --- the tour: every page once, in the lecture plan's order, right after the server answers -------------------

@pytest.fixture(scope="module")
def tour(server, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    seen = {}
    for name in PAGES:
        before = len(chromium.outside_requests)
        page, problems, seconds = _open(chromium, f"{server['base']}/voila/render/{name}.ipynb")
        record = {"seconds": None if seconds is None else round(seconds, 1), "problems": problems}
        if seconds is not None:
            page.wait_for_timeout(1500)   # let the charts and diagrams draw
            record["controls"] = probe.control_problems(page)
            record["tab_missed"] = probe.tab_missed(page)
            record["axe"] = probe.axe_serious(page, SHOTS / f"{slug(name)}-axe.json")
            _screenshots(page, name)
        record["outside"] = chromium.outside_requests[before:]
        record["cookies"] = sorted(c["name"] for c in chromium.cookies())
        probe.close(page)
        seen[name] = record
    (ARTIFACTS / "first-open.json").write_text(json.dumps({"server_answered_after_s": round(server["answered_s"], 1),
                                                           "pages": seen}, indent=1))
    return seen


def _screenshots(page, name: str) -> None:
    """What a person sees first at each size (the page scrolled to its top), and all of it at 1366x768."""
    page.evaluate(probe.RESET_VIEW)
    for size, (w, h) in SIZES.items():
        page.set_viewport_size({"width": w, "height": h})
        page.wait_for_timeout(600)
        page.screenshot(path=str(SHOTS / f"{slug(name)}-{size}.png"))
    # the whole page: the page scrolls inside its body, so make the window as tall as the content
    tall = page.evaluate("() => Math.max(...[document.body, document.querySelector('#rendered_cells')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1366, "height": min(max(int(tall) + 40, 768), 8000)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(SHOTS / f"{slug(name)}-1366-all.png"))
    page.set_viewport_size({"width": 1366, "height": 768})


@pytest.mark.parametrize("name", PAGES)
def test_every_page_shows_a_widget_within_10_s_of_its_first_opening(tour, name):
    seconds = tour[name]["seconds"]
    assert seconds is not None, f"{name} showed nothing for 60 s"
    assert seconds <= FIRST_OPEN_LIMIT_S, f"{name} took {seconds} s to show a widget"


@pytest.mark.parametrize("name", PAGES)
def test_no_console_error_and_no_request_leaves_the_machine(tour, name):
    assert tour[name]["outside"] == [], "requests that left 127.0.0.1"
    assert tour[name]["problems"] == []


CONTROLS_HIDDEN: dict[str, str] = {}  # item 2 (the collapsed preset row) is fixed: keep it empty


@pytest.mark.parametrize("name", _known(CONTROLS_HIDDEN))
def test_every_control_is_visible_at_1366x768(tour, name):
    assert "controls" in tour[name], "the page did not open"
    assert tour[name]["controls"] == []


TAB_UNREACHABLE: dict[str, str] = {}   # every control is reached today (item 9's complaint is how many stops)


@pytest.mark.parametrize("name", _known(TAB_UNREACHABLE))
def test_every_control_is_reached_with_the_tab_key(tour, name):
    assert "tab_missed" in tour[name], "the page did not open"
    assert tour[name]["tab_missed"] == []


#: Pages with serious or critical axe violations today (page -> reason): none since the page template names
#: slider handles, the month player's icon buttons, unlabelled menus and the scrolling panels, and 05's chart
#: columns stopped scrolling by their figures' margins (issue 13 item 9). Keep it empty.
AXE_SERIOUS: dict[str, str] = {}


@pytest.mark.parametrize("name", _known(AXE_SERIOUS))
def test_no_serious_or_critical_accessibility_violation(tour, name):
    assert "axe" in tour[name], "the page did not open"
    assert tour[name]["axe"] == []


def test_the_page_sets_the_xsrf_cookie_and_the_check_stays_on(server, tour):
    # the page-close beacon echoes the _xsrf cookie; without it (standalone Voila, voila#1458) it was refused
    assert "_xsrf" in tour["index"]["cookies"]
    # ... and a request without the token, as another site's page would send, is still refused
    request = urllib.request.Request(f"{server['base']}/voila/api/shutdown/00000000-0000-0000-0000-000000000000",
                                     data=b"", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


# --- large type, and closed pages giving their kernels back ---------------------------------------------------

@pytest.fixture(scope="module")
def large_type_rounds(server, chromium, tour):
    """Open and close KERNEL_ROUNDS pages (every page with ?large=1, then again from the top)."""
    opened = []
    for i in range(KERNEL_ROUNDS):
        name = PAGES[i % len(PAGES)]
        page, _, seconds = _open(chromium, f"{server['base']}/voila/render/{name}.ipynb?large=1")
        kernel = page.evaluate(probe.KERNEL_ID) if seconds is not None else None
        if i < len(PAGES) and seconds is not None:
            page.wait_for_timeout(1000)
            page.screenshot(path=str(SHOTS / f"{slug(name)}-large.png"))
        probe.close(page)
        opened.append({"page": name, "seconds": seconds, "kernel": kernel})
    return {"opened": opened, "closed_at": time.monotonic()}


def test_every_page_has_screenshots_at_three_sizes_and_in_large_type(chromium, tour, large_type_rounds):
    assert chromium.outside_requests == [], "requests that left 127.0.0.1 (large type included)"
    missing = [f"{slug(p)}-{s}.png" for p in PAGES for s in [*SIZES, "1366-all", "large"]
               if not (SHOTS / f"{slug(p)}-{s}.png").is_file()]
    assert missing == []


def _kernels(server) -> list[str]:
    """The command lines of the server's kernels (each names its kernel's connection file, hence its id)."""
    return [cmd for cmd in server_processes(server["proc"].pid).values() if "ipykernel" in cmd]


def test_closed_pages_give_their_kernels_back_within_a_minute(server, large_type_rounds):
    opened = large_type_rounds["opened"]
    assert all(o["kernel"] for o in opened), opened
    pool = len(PAGES)   # one preheated kernel per page

    def leaked() -> list[str]:
        running = " ".join(_kernels(server))
        return [o["page"] for o in opened if o["kernel"] in running]

    counts = [len(_kernels(server))]
    while (leaked() or counts[-1] > pool) and time.monotonic() - large_type_rounds["closed_at"] < 60:
        time.sleep(2)
        counts.append(len(_kernels(server)))
    (ARTIFACTS / "kernels.json").write_text(json.dumps({"pool": pool, "kernel_counts_after_close": counts,
                                                        "opened": opened}, indent=1))
    assert leaked() == [], "closed pages whose kernel still runs a minute later"
    assert len(_kernels(server)) <= pool


def test_sigterm_stops_voila_and_every_kernel(server, large_type_rounds):
    proc = server["proc"]
    everything = server_processes(proc.pid)
    assert any("ipykernel" in cmd for cmd in everything.values())
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in everything):
        time.sleep(0.5)
    assert [pid for pid in everything if _alive(pid)] == []
    assert port_is_free(server["port"]), "something still holds the dashboard's port"
    terminal = (ARTIFACTS / "dashboard-server.log").read_text()   # what the lecturer's terminal showed
    assert "Traceback" not in terminal and "stopping" in terminal, terminal[-2000:]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
