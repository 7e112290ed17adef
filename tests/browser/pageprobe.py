"""What a person sees on a page, measured in the browser: a visible widget, each control's box, the
controls Tab reaches, and an axe-core scan. Used by test_class_ready.py."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

# Messages a healthy page prints (voila 0.5 bundles JupyterLab 4.2 packages; ipycytoscape 1.3.3 asks for an
# older @jupyter-widgets/base; cytoscape warns about its wheel sensitivity). Anything else fails the test.
BENIGN = ("Invalid CSS selector",  # bqplot's SVG/PNG export walks every stylesheet rule and warns on empty ones
          "Unsatisfied version", "No satisfying version", "Starting WebSocket", "wheel sensitivity",
          "Available versions", "Kernel started", "Kernel connected", "Kernel status")

# Any address not on 127.0.0.1, for a route that refuses it.
OUTSIDE = re.compile(r"^(?!(?:https?|wss?)://127\.0\.0\.1[:/]|data:|blob:|about:)")


def refuse_outside(page, record: list[str]) -> None:
    """Refuse (and record) every request from ``page`` to a host other than 127.0.0.1."""
    page.route(OUTSIDE, lambda route: (record.append(route.request.url), route.abort()))


def close(page) -> None:
    """Close ``page`` as a person closes a tab, so its beacon stops its kernel. Routes go first: while a route
    is set, Playwright holds every request for a decision, and a closing page's beacon can be lost there."""
    page.unroute_all(behavior="ignoreErrors")
    page.close(run_before_unload=True)

# The page shows something a learner can use: a widget (or, on the index, which has no widget, its heading)
# with a box of non-zero size, once Voila has revealed the rendered cells.
VISIBLE = """() => {
  const cells = document.querySelector('#rendered_cells');
  if (!cells || getComputedStyle(cells).display === 'none') return false;
  return [...cells.querySelectorAll('.jupyter-widgets, .jp-RenderedMarkdown h1')].some(e => {
    const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
}"""

CONTROLS = ("button, input:not([type=hidden]), select, textarea, a[href], [role=slider], .noUi-handle, "
            "[contenteditable=true], [tabindex]:not([tabindex='-1'])")

# Every control the page shows now (closed panels and tabs are display:none and do not count): its box is
# non-empty, it fits in the viewport once scrolled to, and what is drawn at its centre is the control itself
# (not clipped away by a collapsed row, not covered by something else).
BOXES = """(sel) => {
  const name = el => (el.getAttribute('aria-label') || el.innerText || el.value || el.title || el.className || el.tagName)
                     .toString().trim().replace(/\\s+/g, ' ').slice(0, 60) + ` <${el.tagName.toLowerCase()}>`;
  const out = [];
  for (const el of document.querySelectorAll('#rendered_cells ' + sel.split(', ').join(', #rendered_cells '))) {
    if (el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.parentElement && el.parentElement.closest(sel)) continue;  // a part of a control already counted
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const problems = [];
    if (r.width < 1 || r.height < 1) problems.push(`size ${Math.round(r.width)}x${Math.round(r.height)}`);
    else {
      if (r.left < 0 || r.right > innerWidth + 0.5 || r.top < 0 || r.bottom > innerHeight + 0.5)
        problems.push(`outside the viewport (${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)})`);
      if (!hit || !(el === hit || el.contains(hit))) problems.push('hidden under ' + (hit ? name(hit) : 'nothing'));
    }
    out.push({name: name(el), problems});
  }
  window.scrollTo(0, 0);
  return out;
}"""

TAB_START = """(sel) => {
  window.__iockitFocused = new Set();
  document.addEventListener('focusin', e => window.__iockitFocused.add(e.target), true);
  if (document.activeElement) document.activeElement.blur();
  window.scrollTo(0, 0);
  return document.querySelectorAll(sel).length;
}"""

TAB_MISSED = """(sel) => {
  const name = el => (el.getAttribute('aria-label') || el.innerText || el.value || el.title || el.className || el.tagName)
                     .toString().trim().replace(/\\s+/g, ' ').slice(0, 60) + ` <${el.tagName.toLowerCase()}>`;
  const focused = [...window.__iockitFocused];
  const missed = [];
  for (const el of document.querySelectorAll('#rendered_cells ' + sel.split(', ').join(', #rendered_cells '))) {
    if (el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.parentElement && el.parentElement.closest(sel)) continue;
    if (el.disabled) continue;
    // a slider's number is out of the Tab order on purpose (issue 13 item 9): the handle's arrow keys set it
    if (el.matches('.widget-readout') && el.getAttribute('tabindex') === '-1') continue;
    if (!focused.some(f => f === el || el.contains(f))) missed.push(name(el));
  }
  return {missed, stops: focused.length};
}"""


# Back to how the page first looked: nothing focused, every scrolled box at its top.
RESET_VIEW = """() => {
  if (document.activeElement) document.activeElement.blur();
  for (const el of [document.scrollingElement, ...document.querySelectorAll('*')])
    if (el && el.scrollTop) el.scrollTop = 0;
}"""

KERNEL_ID = """() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"""


def wait_visible(page, timeout_s: float) -> float | None:
    """Seconds from now until the page shows a widget, or None if it did not within ``timeout_s``."""
    start = time.monotonic()
    try:
        page.wait_for_function(VISIBLE, timeout=timeout_s * 1000, polling=100)
    except Exception:
        return None
    return time.monotonic() - start


def control_problems(page) -> list[str]:
    return [f"{c['name']}: {', '.join(c['problems'])}" for c in page.evaluate(BOXES, CONTROLS) if c["problems"]]


def tab_missed(page) -> list[str]:
    """Controls the Tab key never reaches, starting from the top of the page."""
    count = page.evaluate(TAB_START, CONTROLS)
    for _ in range(min(2 * count + 10, 400)):
        page.keyboard.press("Tab")
    return page.evaluate(TAB_MISSED, CONTROLS)["missed"]


def axe_serious(page, save_to: Path) -> list[str]:
    """Serious and critical axe-core violations (the full report is saved)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    save_to.write_text(json.dumps(results.response.get("violations", []), indent=1))
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}"
            for v in results.response.get("violations", []) if v.get("impact") in ("serious", "critical")]
