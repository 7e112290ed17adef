"""Lessons, sharing, exports and workshop mode in a real browser (Voila + Debian's Chromium)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from iockit.teach import exercises as ex
from iockit.teach.lessons import load_lessons

pytestmark = pytest.mark.browser
LESSONS = {ls.key: ls for ls in load_lessons()}
ROLE_LABEL = {"context": "Context", "mechanism": "Mechanism", "outcome": "Outcome"}


@pytest.fixture(autouse=True)
def _patient_navigation(browser_context):
    """Voila renders a whole notebook before it sends the page: on a busy machine that takes longer than
    Playwright's default 30 s, so the pages of this module get more time (waits inside a page keep theirs)."""
    browser_context.set_default_navigation_timeout(240_000)
    yield


def lesson_url(base: str, key: str) -> str:
    ls = LESSONS[key]
    return f"{base}/voila/render/lessons/{ls.order:02d}_{key}.ipynb"


def _classify(page, key: str) -> None:
    spec = next(e for e in LESSONS[key].exercises if e.kind == "classify")
    item = ex.classify_items(spec.cmocs)[0]
    box = page.locator(".iockit-exercise-classify").first
    buttons = box.locator(".widget-toggle-buttons").first
    elsewhere = ex.other_roles(item.statement, item.cmoc)
    wrong = next((r for r in ex.ROLES if r != item.role and r not in elsewhere), None)
    if wrong is None:  # the words play every other role somewhere: that case has its own test below
        buttons.get_by_role("button", name=ROLE_LABEL[item.role], exact=True).click()
        expect(box.locator(".feedback").first).to_contain_text("Correct.", timeout=30_000)
        return
    buttons.get_by_role("button", name=ROLE_LABEL[wrong], exact=True).click()
    fb = box.locator(".feedback").first
    fb.wait_for(timeout=30_000)
    text = fb.inner_text()
    assert text.startswith("Not yet.") and f"is the {item.role}, not the {wrong}" in text
    assert "[25]" in text or "[26]" in text or "[27]" in text          # the Methods' definitions, cited
    buttons.get_by_role("button", name=ROLE_LABEL[item.role], exact=True).click()
    expect(fb).to_contain_text("Correct.", timeout=30_000)
    assert fb.inner_text().startswith("Correct.") and item.cmoc in fb.inner_text()


def _predict(page, key: str) -> None:
    item = next(i for i in ex.poe_items().values() if i.lesson == key)
    obs = ex.observe(item.id)
    box = page.locator(".iockit-exercise-poe").first
    wrong = next(p for p in ex.PREDICTIONS if p != obs.direction)
    box.get_by_label(wrong, exact=True).check()
    box.get_by_role("button", name="Run the simulation").click()
    fb = box.locator(".feedback").first
    fb.wait_for(timeout=30_000)
    assert fb.inner_text().startswith("Not yet.") and f"{obs.before:.2f} to {obs.after:.2f}" in fb.inner_text()
    box.get_by_label(obs.direction, exact=True).check()
    box.get_by_role("button", name="Run the simulation").click()
    expect(fb).to_contain_text("Correct.", timeout=30_000)
    assert box.get_by_role("button", name="Check my explanation").is_visible()


@pytest.mark.parametrize("key", list(LESSONS))
def test_lesson_answers_wrong_then_right(voila, open_page, key):
    page = open_page(lesson_url(voila, key), ready=".iockit-lesson h2")
    p = page.page
    p.wait_for_selector(".iockit-exercise", timeout=60_000)
    # step through the lesson with the keyboard: focus "Next step" and press Enter
    steps = len(LESSONS[key].steps)
    nxt = p.get_by_role("button", name="Next step")
    for n in range(2, steps + 1):
        nxt.focus()
        p.keyboard.press("Enter")
        p.get_by_text(f"Step {n} of {steps}").wait_for(timeout=30_000)
    kinds = [e.kind for e in LESSONS[key].exercises]
    (_classify if "classify" in kinds else _predict)(p, key)
    page.screenshot(f"lesson-{key}")
    page.assert_healthy()


def test_questionnaire_renders(voila, open_page):
    page = open_page(f"{voila}/voila/render/lessons/00_questionnaire.ipynb")
    page.page.get_by_role("button", name="Record my answers").click()    # "Before the lessons" is chosen first
    page.page.get_by_text("Please answer every question first").wait_for(timeout=30_000)
    page.assert_healthy()


# --- issue 14: exercises that teach realist reasoning ---------------------------------------------------
needs_chromium = pytest.mark.skipif(not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()),
                                    reason="Debian's chromium is not installed (bash scripts/test installs it)")
CMOC_ID = re.compile(r"\b(?:T3|TX)-\d+\b")


def _visible_text(page, selector: str) -> str:
    return " ".join(page.locator(selector).all_inner_texts())


def _no_code(text: str) -> None:
    """What learners see: no code keys, file paths or commands."""
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.search(r"\b[a-z]+_[a-z_]+\b", text)
    for bad in ("iockit ", "`", ".csv", ".yaml", "datasets/", "Traceback", "allowed:"):
        assert bad not in text, bad


def _answer_questionnaire(p, right: bool) -> None:
    from iockit.teach.lessons import questionnaire

    for n, q in enumerate(questionnaire()):
        choice = q.answer if right else (q.answer + 1) % len(q.options)
        group = p.locator(".iockit-questionnaire .widget-radio-box").nth(n)
        group.get_by_label(q.options[choice], exact=True).check()


@needs_chromium
def test_questionnaire_before_mode_records_without_marking(voila, open_page):
    page = open_page(f"{voila}/voila/render/lessons/00_questionnaire.ipynb?mode=before")
    p = page.page
    assert "not marked yet" in p.locator(".iockit-questionnaire .intro").inner_text()    # the page says why
    assert p.get_by_role("button", name="After the lessons").count() == 0 or \
        not p.get_by_role("button", name="After the lessons").is_visible()
    _answer_questionnaire(p, right=False)
    p.get_by_role("button", name="Record my answers").click()
    p.get_by_text("Recorded your 7 answers").wait_for(timeout=30_000)
    body = p.inner_text(".iockit-questionnaire")
    for word in ("Correct.", "Not yet.", "The review's answer", "match the review"):
        assert word not in body, word
    assert p.get_by_role("link", name=re.compile("Download my answers")).count() == 1
    page.screenshot("questionnaire-before")
    page.assert_healthy()


@needs_chromium
def test_questionnaire_after_mode_marks_and_explains(voila, open_page):
    page = open_page(f"{voila}/voila/render/lessons/00_questionnaire.ipynb?mode=after")
    p = page.page
    _answer_questionnaire(p, right=True)
    p.get_by_role("button", name="Check my answers").click()
    p.get_by_text("7 of 7 match the review").wait_for(timeout=30_000)
    feedback = _visible_text(p, ".iockit-questionnaire .feedback")
    assert feedback.count("Correct.") == 7 and "[" in feedback
    page.assert_healthy()


@needs_chromium
def test_lesson1_reduced_trust_is_asked_in_its_row(voila, open_page):
    page = open_page(lesson_url(voila, "realist_basics"), ready=".iockit-lesson h2")
    p = page.page
    p.wait_for_selector(".iockit-exercise-classify", timeout=60_000)
    row = p.locator(".iockit-exercise-classify .widget-vbox").filter(has_text="\u201cReduced trust\u201d").last
    statement = row.locator(".statement").inner_text()
    assert "From T3-18" in statement and "What is it in T3-18?" in statement
    href = row.locator(".statement a").get_attribute("href")
    assert href.endswith("04_cmoc_browser.ipynb?cmoc=T3-18")
    fb = row.locator(".feedback")
    row.get_by_role("button", name="Context", exact=True).click()
    expect(fb).to_contain_text("Right for another row.", timeout=30_000)
    text = fb.inner_text()
    assert "T3-23" in text and "T3-19" in text and "the outcome" in text and "asks about T3-18" in text
    row.get_by_role("button", name="Mechanism", exact=True).click()
    expect(fb).to_contain_text("Right for T3-19", timeout=30_000)
    row.get_by_role("button", name="Outcome", exact=True).click()
    expect(fb).to_contain_text("Correct.", timeout=30_000)
    assert "the mechanism of T3-19" in fb.inner_text() and "the context of T3-23" in fb.inner_text()
    page.screenshot("lesson1-reduced-trust")
    page.assert_healthy()
    # the item's link opens the evidence browser on that row alone
    browser = open_page(urljoin(p.url, href), ready=".iockit h2")
    browser.page.get_by_text(re.compile(r"^1 of \d+ CMOCs$")).wait_for(timeout=60_000)
    table = browser.page.locator("table.cmocs").inner_text()
    assert "T3-18" in table and "Task failure" in table and "T3-19" not in table
    browser.assert_healthy()


@needs_chromium
def test_lesson2_first_poe_hints_before_answers(voila, open_page):
    item = next(i for i in ex.poe_items().values() if i.lesson == "trust_loop")
    key, obs = ex.key_for(item.id), ex.observe(item.id)
    page = open_page(lesson_url(voila, "trust_loop"), ready=".iockit-lesson h2")
    p = page.page
    box = p.locator(".iockit-exercise-poe").first
    box.wait_for(timeout=60_000)
    box.get_by_label(obs.direction, exact=True).check()
    box.get_by_role("button", name="Run the simulation").click()
    fb = box.locator(".feedback").first
    expect(fb).to_contain_text("Correct.", timeout=60_000)
    assert not CMOC_ID.search(fb.inner_text()), fb.inner_text()          # the prediction names no CMOC
    check = box.get_by_role("button", name="Check my explanation")
    explain_fb = box.locator(".feedback").nth(1)
    check.click()
    expect(explain_fb).to_contain_text("Choose at least one", timeout=30_000)
    assert not CMOC_ID.search(explain_fb.inner_text())
    other_end = next(i for i in ex.explain_options(item.id) if i in key.other_span)   # an unambitious-aims row
    box.get_by_label(re.compile(rf"^{other_end}:")).check()
    check.click()
    expect(explain_fb).to_contain_text("Hint:", timeout=30_000)
    text = explain_fb.inner_text()
    assert "Not yet." in text and f"{other_end} is about" in text and not set(key.core) & set(CMOC_ID.findall(text))
    box.get_by_label(re.compile(rf"^{other_end}:")).uncheck()
    first = next(i for i in ex.explain_options(item.id) if i in key.core)
    box.get_by_label(re.compile(rf"^{first}:")).check()
    check.click()
    expect(explain_fb).to_contain_text("Correct.", timeout=30_000)
    assert all(i in explain_fb.inner_text() for i in key.core)            # now the model's CMOCs are shown
    page.screenshot("lesson2-poe")
    page.assert_healthy()


@needs_chromium
def test_lesson6_contest_in_the_learners_words(voila, open_page):
    page = open_page(lesson_url(voila, "lifecycle"), ready=".iockit-lesson h2")
    p = page.page
    box = p.locator(".iockit-exercise-contest")
    box.wait_for(timeout=60_000)
    attach = box.get_by_role("button", name="See where it attaches")
    attach.click()
    fb = box.locator(".feedback").first
    expect(fb).to_contain_text("Name a context, a mechanism and an outcome", timeout=30_000)
    _no_code(fb.inner_text())
    inputs = box.locator("input[type=text]")
    for n, words in enumerate(("Mandated collaboration", "trust", "FAITH")):
        inputs.nth(n).fill(words)
        inputs.nth(n).press("Tab")
    attach.click()
    expect(fb).to_contain_text("Noted.", timeout=60_000)
    text = fb.inner_text()
    assert "Mandated collaboration raises Trust, which raises Faith" in text
    assert "contests the review" in text and "T3-30" in text and "TX-38" in text
    _no_code(text)
    link = box.get_by_role("link", name=re.compile("Download my CMOC"))
    assert link.count() == 1 and "datasets" not in link.inner_text()
    page.screenshot("lesson6-contest")
    page.assert_healthy()


# --- share and keep -------------------------------------------------------------------------------------
LOOP = "01_trust_building_loop"


def _share_query(page) -> dict[str, list[str]]:
    href = page.locator("a.iockit-share-link").get_attribute("href")
    return parse_qs(urlsplit(href).query)


def test_a_shared_link_reopens_the_same_state(voila, open_page):
    query = "scenario=mandated_buddying&ambition=0.85&months=48&seed=3"
    page = open_page(f"{voila}/voila/render/{LOOP}.ipynb?{query}", ready=".iockit-share a.iockit-share-link")
    p = page.page
    p.wait_for_selector(".bqplot path.line", timeout=60_000)
    p.get_by_text("Opened the state from the link").wait_for(timeout=30_000)
    assert _share_query(p) == parse_qs(query)
    assert p.locator(".iockit-share input").nth(0).input_value() == "48"      # months
    assert p.locator(".iockit-share input").nth(1).input_value() == "3"       # seed
    status = p.locator(".status").first.inner_text()
    # the same link in a fresh page gives the same simulated collaborations (same status numbers)
    again = open_page(f"{voila}/voila/render/{LOOP}.ipynb?{query}", ready=".iockit-share a.iockit-share-link")
    again.page.get_by_text("Opened the state from the link").wait_for(timeout=30_000)
    assert again.page.locator(".status").first.inner_text() == status
    page.screenshot("shared-link")
    page.assert_healthy()


def test_a_bad_link_explains_and_keeps_the_defaults(voila, open_page):
    page = open_page(f"{voila}/voila/render/{LOOP}.ipynb?ambition=7", ready=".iockit-share a.iockit-share-link")
    page.page.get_by_text("could not be opened as it is").wait_for(timeout=30_000)
    assert "ambition" in page.page.locator(".iockit-share .alert").inner_text()
    page.assert_healthy()


def _png_ok(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, size = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
        if kind == b"IEND":
            break
    assert size and zlib.decompress(idat)
    return size


def test_exports_are_valid_files(voila, open_page, tmp_path):
    from iockit.sim.scenarios import parse_scenario_bytes

    page = open_page(f"{voila}/voila/render/{LOOP}.ipynb", ready=".iockit-share a.iockit-download")
    p = page.page
    p.wait_for_selector(".bqplot path.line", timeout=60_000)
    files = {}
    for label in ("Download run data (CSV)", "Download scenario (YAML)", "Save chart as PNG", "Save chart as SVG"):
        with p.expect_download(timeout=60_000) as dl:
            target = p.get_by_role("link", name=label) if label.startswith("Download") else p.get_by_role("button", name=label)
            target.click()
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        files[label] = path.read_bytes()
    rows = list(csv.DictReader(io.StringIO(files["Download run data (CSV)"].decode())))
    assert len(rows) == 36 and {"month", "trust", "faith", "phase"} <= set(rows[0])
    assert parse_scenario_bytes(files["Download scenario (YAML)"], "download.yaml").contexts
    width, height = _png_ok(files["Save chart as PNG"])
    assert width > 300 and height > 200
    svg = ET.fromstring(files["Save chart as SVG"])
    assert svg.tag.endswith("svg") and svg.iter()
    page.assert_healthy()


def _upload(page, where: str, *paths) -> None:
    """Choose files with the upload button, as a learner does (the file dialog is answered by the test)."""
    with page.expect_file_chooser(timeout=30_000) as chooser:
        page.locator(f"{where} .widget-upload").click()
    chooser.value.set_files([str(x) for x in paths])


def test_a_hostile_scenario_upload_changes_nothing(voila, open_page, tmp_path):
    page = open_page(f"{voila}/voila/render/{LOOP}.ipynb", ready=".iockit-share a.iockit-share-link")
    p = page.page
    p.wait_for_selector(".bqplot path.line", timeout=60_000)
    before = (_share_query(p), p.locator(".status").first.inner_text())
    evil = tmp_path / "evil.yaml"
    evil.write_text("a: &a [*a, *a, *a]\nb: &b [*a, *a]\ncontexts: {ambition: 0.9}\n")
    _upload(p, ".iockit-share", evil)
    p.get_by_text("was not loaded, nothing changed").wait_for(timeout=30_000)
    assert "anchors or aliases" in p.locator(".iockit-share .alert").inner_text()
    assert (_share_query(p), p.locator(".status").first.inner_text()) == before
    good = tmp_path / "good.yaml"
    good.write_text("title: Our alliance\ncontexts:\n  ambition: 0.9\n  shared_vision: 0.8\n")
    _upload(p, ".iockit-share", good)
    p.get_by_text("Loaded Our alliance").wait_for(timeout=30_000)
    assert _share_query(p) == {"ambition": ["0.9"], "shared_vision": ["0.8"]}
    page.assert_healthy()


def test_workshop_pools_group_files_in_large_type(voila, open_page, tmp_path):
    from iockit.sim.scenarios import load_scenario

    files = []
    for name, preset in (("group-a", "voluntary_alliance"), ("group-b", "mandated_buddying")):
        files.append(tmp_path / f"{name}.yaml")
        files[-1].write_text(load_scenario(preset).to_yaml())
    files.append(tmp_path / "group-c.yaml")
    files[-1].write_text("contexts: {ambition: 7}\n")
    page = open_page(f"{voila}/voila/render/workshop.ipynb", ready=".iockit-workshop h2")
    p = page.page
    assert p.locator(".iockit-large").count() >= 1
    size = p.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.iockit-workshop .intro')).fontSize)")
    assert size >= 22
    _upload(p, ".iockit-workshop", *files)
    p.get_by_text("Loaded 2 of 3 file(s)").wait_for(timeout=60_000)
    assert "group-c.yaml" in p.locator(".iockit-workshop .alert").inner_text()
    table = p.locator("table.pooled").inner_text()
    assert "group-a" in table and "group-b" in table
    p.wait_for_timeout(1000)
    page.screenshot("workshop")
    page.assert_healthy()
