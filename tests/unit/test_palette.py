"""The dashboards' colours can be seen (issue 13 item 9): every colour a chart or diagram draws with has
at least 3:1 contrast against the white page (WCAG 2.2, 1.4.11 non-text contrast, with the relative
luminance of WCAG 2.x), the series of the busiest chart stay apart in simulated colour-vision
deficiencies, and dashboard 01's months still to play are drawn legibly, not washed out."""

from __future__ import annotations

import ast
import itertools
import math
import re
from pathlib import Path

import pytest

from iockit.widgets import _palette as P

WIDGETS = Path(P.__file__).resolve().parent
HEX = re.compile(r"#(?:[0-9A-Fa-f]{3}){1,2}")
MIN_CONTRAST = 3.0

#: Colour literals in iockit/widgets that are deliberately light, with why (file, colour) -> reason.
NOT_DRAWN_ON_WHITE = {
    ("lifecycle.py", "#fff"): "the white seams between the stacked phase areas, drawn on the filled areas",
    ("workshop.py", "#ffffff"): "the empty chart's placeholder line before any group is loaded (meant unseen)",
}


def rgb(colour: str) -> tuple[int, int, int]:
    h = colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(colour: str, background: str = "#ffffff") -> float:
    hi, lo = sorted((luminance(colour), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def over_white(colour: str, opacity: float) -> str:
    """What ``colour`` at ``opacity`` looks like on white (the browser blends in sRGB)."""
    return "#" + "".join(f"{round(c * opacity + 255 * (1 - opacity)):02x}" for c in rgb(colour))


def test_the_contrast_formula_gives_wcag_s_known_values():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)
    # the Okabe-Ito colours issue 13 measured: yellow, sky blue, orange
    assert [round(contrast(c), 1) for c in ("#F0E442", "#56B4E9", "#E69F00")] == [1.3, 2.3, 2.3]


PALETTE = {name: value for name, value in vars(P).items() if isinstance(value, str) and HEX.fullmatch(value)}


@pytest.mark.parametrize("name", sorted(PALETTE))
def test_every_palette_colour_shows_against_white(name):
    assert contrast(PALETTE[name]) >= MIN_CONTRAST, f"{name} {PALETTE[name]}: {contrast(PALETTE[name]):.2f}:1"


def test_every_series_and_group_colour_comes_from_the_palette():
    named = set(PALETTE.values())
    assert set(P.SERIES_COLOURS.values()) <= named and set(P.GROUP_COLOURS) <= named
    assert len(set(P.GROUP_COLOURS)) == len(P.GROUP_COLOURS) == 8


def _colour_literals() -> list[tuple[str, str, int]]:
    """(file, colour, line) of every string in iockit/widgets that is a colour and nothing else."""
    found = []
    for path in sorted(WIDGETS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and HEX.fullmatch(node.value):
                found.append((path.name, node.value, node.lineno))
    return found


def test_every_colour_the_widgets_draw_with_shows_against_white():
    faint = [f"{f}:{line} {c} ({contrast(c):.2f}:1)" for f, c, line in _colour_literals()
             if contrast(c) < MIN_CONTRAST and (f, c) not in NOT_DRAWN_ON_WHITE]
    assert faint == []
    assert {(f, c) for f, c, _ in _colour_literals()} >= set(NOT_DRAWN_ON_WHITE), "an allowance no longer used"


# --- colour vision: Machado, Oliveira & Fernandes (2009), severity 1, applied in linear RGB -----------------------

CVD = {"normal vision": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
       "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
       "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
       "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900))}


def lab(colour: str, vision: str) -> tuple[float, float, float]:
    """CIELAB (D65) of ``colour`` as seen with ``vision``."""
    v = [linear(c) for c in rgb(colour)]
    r, g, b = (min(max(sum(m * x for m, x in zip(row, v, strict=True)), 0.0), 1.0) for row in CVD[vision])
    xyz = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e2000(p: tuple[float, float, float], q: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = p, q
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar ** 7 / (cbar ** 7 + 25 ** 7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    dl, dc, dhh = l2 - l1, c2 - c1, 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    lbar, cbar2 = (l1 + l2) / 2, (c1 + c2) / 2
    hbar = h1 + h2 if c1 * c2 == 0 else ((h1 + h2) / 2 if abs(h1 - h2) <= 180 else (h1 + h2 + 360 * (1 if h1 + h2 < 360 else -1)) / 2)
    t = (1 - 0.17 * math.cos(math.radians(hbar - 30)) + 0.24 * math.cos(math.radians(2 * hbar))
         + 0.32 * math.cos(math.radians(3 * hbar + 6)) - 0.20 * math.cos(math.radians(4 * hbar - 63)))
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cbar2, 1 + 0.015 * cbar2 * t
    rt = -2 * math.sqrt(cbar2 ** 7 / (cbar2 ** 7 + 25 ** 7)) * math.sin(math.radians(60 * math.exp(-(((hbar - 275) / 25) ** 2))))
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))


def test_the_colour_difference_matches_sharma_s_test_data():
    assert delta_e2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-3)
    assert delta_e2000((50, -1.3802, -84.2814), (50, 0, -82.7485)) == pytest.approx(1.0, abs=1e-3)
    assert delta_e2000((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387)) == pytest.approx(1.2644, abs=1e-3)


#: The Okabe-Ito originals' closest pair on dashboard 01 in any of these visions was 10.9; darkening costs a
#: little of that. Below 9 two lines begin to look alike.
MIN_DIFFERENCE = 9.0


def test_dashboard_01_s_lines_stay_apart_in_every_colour_vision():
    from iockit.widgets.loop import SERIES

    drawn = {s: P.SERIES_COLOURS[s] for s in SERIES} | {"threshold": P.BLACK, "dissolved": P.GREY}
    close = [(vision, a, b, round(delta_e2000(lab(ca, vision), lab(cb, vision)), 1))
             for vision in CVD for (a, ca), (b, cb) in itertools.combinations(drawn.items(), 2)
             if delta_e2000(lab(ca, vision), lab(cb, vision)) < MIN_DIFFERENCE]
    assert close == []


def test_the_first_seven_group_colours_stay_apart_in_every_colour_vision():
    close = [(vision, a, b) for vision in CVD for a, b in itertools.combinations(P.GROUP_COLOURS[:7], 2)
             if delta_e2000(lab(a, vision), lab(b, vision)) < MIN_DIFFERENCE]
    assert close == []


# --- dashboard 01: the months still to play -----------------------------------------------------------------------

def test_the_months_still_to_play_are_dashed_and_legible():
    pytest.importorskip("ipywidgets")
    from iockit.widgets import build

    ghost = build("loop").ghost
    assert ghost.line_style == "dashed"                      # told from the played months by more than faintness
    assert min(ghost.opacities) >= 0.5                       # issue 13: 0.25 washed the chart out
    faint = {c: round(contrast(over_white(c, o)), 2) for c, o in zip(ghost.colors, ghost.opacities, strict=True)
             if contrast(over_white(c, o)) < MIN_CONTRAST}
    assert faint == {}
