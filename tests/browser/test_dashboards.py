"""Every dashboard in a real browser: renders without errors, reacts to keyboard and clicks."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser

NOTEBOOKS = {
    "loop": "01_trust_building_loop", "synergy": "02_inertia_vs_synergy", "web": "03_web_of_causality",
    "evidence": "04_cmoc_browser", "compare": "05_compare_two_contexts", "confidence": "06_trust_to_confidence",
    "lifecycle": "07_lifecycle_and_entry_points", "sensitivity": "08_which_contexts_matter",
}


def url(base: str, name: str) -> str:
    return f"{base}/voila/render/{name}.ipynb"


def path_d(page) -> str:
    return page.evaluate("() => [...document.querySelectorAll('.bqplot path.line')].map(p => p.getAttribute('d')).join('|')")


@pytest.mark.parametrize("key", list(NOTEBOOKS))
def test_dashboard_renders_cleanly(voila, open_page, key):
    page = open_page(url(voila, NOTEBOOKS[key]))
    if key not in ("evidence",):
        page.page.wait_for_selector(".bqplot, .__________cytoscape_container canvas", timeout=60_000)
    page.page.wait_for_timeout(1000)
    page.screenshot(key)
    page.assert_healthy()


def test_index_lists_every_dashboard(voila, open_page):
    page = open_page(url(voila, "index"), ready="h1")
    for name in NOTEBOOKS.values():
        assert page.page.locator(f'a[href="{name}.ipynb"]').count() == 1
    page.screenshot("index")


def test_slider_by_keyboard_redraws_chart_fast(voila, open_page):
    page = open_page(url(voila, NOTEBOOKS["loop"]))
    p = page.page
    p.wait_for_selector(".bqplot path.line")
    before = path_d(p)
    # the "Ambition of aims" slider: focus its handle and use the arrow keys, as a keyboard user would
    handle = p.locator(".widget-slider", has_text="Ambition of aims").locator(".noUi-handle")
    handle.focus()
    p.evaluate("""() => {
      window.__lat = []; window.__t = null;
      document.addEventListener('keydown', () => { window.__t = performance.now(); }, true);
      const obs = new MutationObserver(() => { if (window.__t) { window.__lat.push(performance.now() - window.__t); window.__t = null; } });
      document.querySelectorAll('.bqplot path.line').forEach(el => obs.observe(el, {attributes: true, attributeFilter: ['d']}));
    }""")
    for i in range(10):
        n = p.evaluate("window.__lat.length")
        p.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        p.wait_for_function(f"window.__lat.length > {n}", timeout=15_000)
        p.wait_for_timeout(150)
    p.keyboard.press("ArrowRight")
    p.wait_for_timeout(800)
    assert path_d(p) != before, "moving a context slider did not change the chart"
    lat = p.evaluate("window.__lat")
    (ARTIFACTS / "latency.json").write_text(json.dumps({"ms": lat, "median_ms": statistics.median(lat)}))
    page.assert_healthy()


FOCUSED = """() => { const e = document.activeElement; if (!e || e === document.body) return '';
  return (e.matches('.widget-readout') ? 'readout:' : '') + (e.getAttribute('aria-label') || e.innerText || e.tagName).trim().slice(0, 60); }"""
SKIP_ROUTE_LIMIT = 15   # key presses from the top of the page to Play, by the skip link (measured: 2)
TAB_ONLY_LIMIT = 35     # Tab presses from the top to Play, passing every context slider (measured: 33 on 01, was 59)


def _tabs_until(p, wanted: str, limit: int) -> tuple[int, list[str]]:
    """Tab presses from where the focus is until it is on ``wanted`` (``limit`` + 1 if never), and the stops."""
    stops = []
    for n in range(1, limit + 1):
        p.keyboard.press("Tab")
        stops.append(p.evaluate(FOCUSED))
        if stops[-1] == wanted:
            return n, stops
    return limit + 1, stops


@pytest.mark.parametrize("key", ["loop", "synergy"])
def test_the_month_player_is_reached_from_the_top_in_a_few_keys(voila, open_page, key):
    """Issue 13 item 9: 58 Tab presses led from the top of 01 to Play, a slider's number being a stop of its
    own. Now the numbers are not stops, and the first stop is a "Skip to the month player" link."""
    page = open_page(url(voila, NOTEBOOKS[key]))
    p = page.page
    p.wait_for_selector("a.iockit-skip", state="attached", timeout=30_000)
    p.evaluate("() => document.activeElement && document.activeElement.blur()")   # the page as it opened
    to_link, _ = _tabs_until(p, "Skip to the month player", limit=5)
    p.keyboard.press("Enter")
    assert p.evaluate(FOCUSED) == "Play", "the skip link did not put the focus on Play"
    by_link = to_link + 1
    # without the link: from the link (the first stop from the top) on, Tab by Tab
    p.evaluate("() => document.querySelector('a.iockit-skip').focus()")
    more, stops = _tabs_until(p, "Play", limit=120)
    tabs = to_link + more
    (ARTIFACTS / f"tab-to-play-{key}.json").write_text(json.dumps({"keys_by_skip_link": by_link, "tabs_only": tabs,
                                                                   "stops": stops}, indent=1))
    assert by_link <= SKIP_ROUTE_LIMIT
    assert [s for s in stops if s.startswith("readout:")] == [], "a slider's number is a Tab stop"
    assert tabs <= TAB_ONLY_LIMIT, f"{tabs} Tab presses to Play"
    page.assert_healthy()


def test_the_file_upload_says_what_it_does(voila, open_page):
    """Issue 13 item 9: the scenario upload's tooltip read "null" (ipywidgets' FileUpload without a tooltip)."""
    page = open_page(url(voila, NOTEBOOKS["loop"]))
    p = page.page
    button = p.locator(".widget-upload").first
    assert "scenario file" in (button.get_attribute("title") or "")
    p.wait_for_timeout(300)   # the page template's pass over new widgets
    assert p.locator('[title="null"]').count() == 0
    page.assert_healthy()


def test_play_advances_the_month(voila, open_page):
    page = open_page(url(voila, NOTEBOOKS["loop"]))
    p = page.page
    readout = p.locator(".widget-slider", has_text="Month").locator(".widget-readout")
    start = int(readout.inner_text())
    p.locator(".widget-play button").first.click()
    p.wait_for_function(f"() => parseInt([...document.querySelectorAll('.widget-slider')].find(s => s.innerText.includes('Month'))"
                        f".querySelector('.widget-readout').innerText) > {start + 1}", timeout=15_000)
    assert "Month" in p.locator(".status").first.inner_text()
    page.assert_healthy()


def test_clicking_a_node_shows_its_cmocs(voila, open_page):
    page = open_page(url(voila, NOTEBOOKS["web"]))
    p = page.page
    p.wait_for_selector(".__________cytoscape_container canvas", timeout=60_000)
    p.wait_for_timeout(1500)
    pos = p.evaluate("""() => {
      const c = document.querySelector('.__________cytoscape_container');
      const cy = c._cyreg.cy; const n = cy.getElementById('trust').renderedPosition();
      const r = c.getBoundingClientRect(); return {x: r.left + n.x, y: r.top + n.y};
    }""")
    p.mouse.click(pos["x"], pos["y"])
    p.wait_for_function("() => document.body.innerText.includes('T3-01')", timeout=15_000)
    assert "Trust" in p.inner_text("body")
    page.screenshot("web-after-click")
    page.assert_healthy()


def test_diagram_degrades_to_a_readable_list(voila_no_diagram, open_page):
    page = open_page(url(voila_no_diagram, NOTEBOOKS["web"]))
    p = page.page
    body = p.inner_text("body")
    assert "could not be drawn here, so here it is as a list" in body
    assert p.locator(".__________cytoscape_container").count() == 0
    # the factor list still works with the keyboard
    p.locator("select").filter(has_text="(choose)").first.select_option(label="Trust")
    p.wait_for_function("() => document.body.innerText.includes('T3-01')", timeout=15_000)
    page.screenshot("web-fallback")
    page.assert_healthy()


def test_sensitivity_bar_shows_the_cmocs_of_its_context(voila, open_page):
    """Which contexts matter most: bars with whiskers; a click on the top bar lists its CMOCs and references."""
    page = open_page(url(voila, NOTEBOOKS["sensitivity"]))
    p = page.page
    p.wait_for_selector(".bqplot .bargroup rect", timeout=60_000)
    assert p.locator(".bqplot .bargroup rect").count() >= 20
    assert p.locator(".bqplot path.line").count() >= 1  # the whiskers
    assert "Choose a bar" in p.inner_text("body")
    top = p.evaluate("""() => { const rs = [...document.querySelectorAll('.bqplot .bargroup rect')]
      .map(r => r.getBoundingClientRect()).filter(b => b.height > 0).sort((a, b) => a.top - b.top);
      return {x: rs[0].left + rs[0].width / 3, y: rs[0].top + rs[0].height / 4}; }  // off the whisker""")
    p.mouse.click(top["x"], top["y"])
    p.wait_for_function("() => document.body.innerText.includes('Mechanism:')", timeout=15_000)
    body = p.inner_text("body")
    assert "References" in body and "[" in body
    for code in ("prior_collaboration", "shared_vision", "mu_star", "synergy_active", ".json"):
        assert code not in body, f"a learner sees the code key {code}"
    page.screenshot("sensitivity-after-click")
    page.assert_healthy()
