"""The colours the dashboards draw with: the Okabe-Ito hues, which people with the common colour-vision
deficiencies can tell apart, darkened where the original is too light to see on the white page.

Every colour a chart or diagram draws with has a contrast of at least 3:1 against white (WCAG 2.2,
1.4.11 non-text contrast); Okabe-Ito's yellow (1.3:1), sky blue (2.3:1) and orange (2.3:1) did not.
Darkening brings hues closer together, so the set was chosen to keep the series of the busiest chart
(dashboard 01) apart in normal vision and in simulated protanopia, deuteranopia and tritanopia.
``tests/unit/test_palette.py`` measures both. No module here needs ipywidgets.
"""

from __future__ import annotations

BLUE = "#005A8C"        # Okabe-Ito blue #0072B2, darker (7.4:1) so that it stays apart from SKY
SKY = "#3A97CC"         # sky blue #56B4E9 (2.3:1), darkened to 3.2:1
GREEN = "#00875A"       # bluish green #009E73, a little darker (4.6:1)
ORANGE = "#C87000"      # orange #E69F00 (2.3:1), darkened to 3.6:1
PURPLE = "#B8649A"      # reddish purple #CC79A7 (3.1:1), darker for a margin (3.9:1)
VERMILLION = "#D55E00"  # vermillion, as it is (3.9:1)
OLIVE = "#5E5500"       # yellow #F0E442 (1.3:1) as a dark yellow (7.6:1): far darker than ORANGE, so
                        # the two differ in every colour vision
GREY = "#444444"
BLACK = "#000000"
MUTED = "#767676"       # reference lines (the month cursor, a zero line): the lightest grey at 4.5:1

#: What each series is drawn in, wherever it appears.
SERIES_COLOURS = {"trust": BLUE, "risk_tolerance": SKY, "achievement": GREEN, "faith": ORANGE,
                  "confidence": PURPLE, "conflict": VERMILLION, "performance": BLACK, "dissolved": GREY,
                  "synergy": BLUE, "inertia": ORANGE, "progress": GREEN, "aim_ambition": OLIVE}

#: The colours of up to eight groups on one chart, most distinct first (vermillion, which is hard to tell
#: from orange without red-green vision, comes last).
GROUP_COLOURS = [BLUE, ORANGE, GREEN, PURPLE, SKY, OLIVE, BLACK, VERMILLION]

#: How the months not yet played are drawn on dashboard 01: thin and dashed, in the series' own colour at
#: this opacity (the played months are thick and solid on top of them).
GHOST_OPACITY = 1.0
GHOST_STYLE = "dashed"
