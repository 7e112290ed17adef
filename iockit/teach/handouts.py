"""Printed handouts for the lecturer, generated from the data package and the lessons: a student
worksheet per lesson (its classify and CMOC-building sheets, the predictions to make, the questions to
discuss), with an optional marking key, and a one-page summary of the review's Fig. 3 and Fig. 4.
Markdown or HTML that prints cleanly (``iockit handout``). Nothing here is hand-written per lesson:
change the lesson YAML or the data package and the handout follows.

Learners' copies show the review's words, labels, CMOC ids and reference numbers, never keys or paths.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import IockitError
from ..theory import CMOC, load_theory
from .lessons import Lesson, load_lessons

FORMATS = ("markdown", "html")
ROLES = ("context", "mechanism", "outcome")


@dataclass(frozen=True)
class Block:
    """One piece of a handout: a heading (level 1-3), a paragraph, a list, a table, a quote or writing space."""

    kind: str                       # "h1", "h2", "h3", "p", "ul", "ol", "table", "quote", "space"
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()   # for a table: the header first


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks: Iterable[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            out.append("#" * int(b.kind[1]) + " " + b.text)
        elif b.kind == "p":
            out.append(b.text)
        elif b.kind in ("ul", "ol"):
            out.append("\n".join(f"{'-' if b.kind == 'ul' else f'{n}.'} {i}" for n, i in enumerate(b.items, 1)))
        elif b.kind == "quote":
            out.append("> " + b.text)
        elif b.kind == "space":
            out.append("\n".join(["_" * 80] * max(int(b.text or 3), 1)))
        elif b.kind == "table":
            head, *body = b.rows
            lines = ["| " + " | ".join(map(_md_cell, head)) + " |", "|" + " --- |" * len(head)]
            lines += ["| " + " | ".join(map(_md_cell, r)) + " |" for r in body]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Source Sans Pro", Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #111;
       max-width: 190mm; margin: auto; }
h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 12pt 0 4pt; break-after: avoid; }
h3 { font-size: 11pt; margin: 8pt 0 3pt; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; break-inside: auto; }
tr { break-inside: avoid; } th, td { border: 1px solid #777; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eee; } blockquote { margin: 4pt 0 4pt 10pt; padding-left: 8pt; border-left: 3pt solid #999; }
.space { border-bottom: 1px solid #999; height: 18pt; } p, li { margin: 2pt 0; }
.page { break-before: page; }
body.one-page { font-size: 8.6pt; line-height: 1.22; } body.one-page h1 { font-size: 13pt; }
body.one-page h2 { font-size: 10.5pt; margin: 6pt 0 2pt; } body.one-page td, body.one-page th { padding: 1pt 4pt; }
"""


def to_html(blocks: Iterable[Block], title: str, one_page: bool = False) -> str:
    e = html.escape
    out = [f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
           f"<style>{CSS}</style></head><body{' class=one-page' if one_page else ''}>"]
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            out.append(f"<{b.kind}>{e(b.text)}</{b.kind}>")
        elif b.kind == "p":
            out.append(f"<p>{e(b.text)}</p>")
        elif b.kind in ("ul", "ol"):
            out.append(f"<{b.kind}>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + f"</{b.kind}>")
        elif b.kind == "quote":
            out.append(f"<blockquote>{e(b.text)}</blockquote>")
        elif b.kind == "space":
            out.append('<div class="space"></div>' * max(int(b.text or 3), 1))
        elif b.kind == "table":
            head, *body = b.rows
            out.append("<table><thead><tr>" + "".join(f'<th scope="col">{e(c)}</th>' for c in head) + "</tr></thead>"
                       "<tbody>" + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in body)
                       + "</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render(blocks: Sequence[Block], fmt: str = "markdown", one_page: bool = False) -> str:
    """Markdown, or a standalone HTML page that prints on A4 (``one_page``: the smaller type of the summary)."""
    if fmt not in FORMATS:
        raise IockitError("format", fmt, "markdown or html")
    title = next((b.text for b in blocks if b.kind == "h1"), "iockit handout")
    return to_markdown(blocks) if fmt == "markdown" else to_html(blocks, title, one_page)


SOURCE = ("Source: Aunger et al., Why do some inter-organisational collaborations in healthcare work when others do "
          "not? A realist review. Systematic Reviews 2021;10:82. Numbers in square brackets are the review's reference "
          "numbers; T3-NN are rows of its Table 3, TX-NN CMOCs stated in its text.")


def _labels() -> dict[str, str]:
    return {k: f.label for k, f in load_theory().factors.items()}


def cmoc_text(c: CMOC) -> str:
    return f"{c.id}: {c.context} (context) \u2192 {c.mechanism} (mechanism) \u2192 {c.outcome} (outcome) {c.cites()}"


# --- the student worksheet ------------------------------------------------------------------------------
def _classify_sheet(lesson: Lesson, key: bool) -> list[Block]:
    from .exercises import classify_items, other_roles

    spec = lesson.exercise("classify")
    if spec is None:
        return []
    theory = load_theory()
    head = ("#", "From", "Statement", "Context, mechanism or outcome in that CMOC?")
    rows = []
    for n, item in enumerate(classify_items(spec.cmocs), start=1):
        c = theory.cmocs[item.cmoc]
        answer = "C  /  M  /  O"
        if key:
            elsewhere = "; ".join(f"{r} of {', '.join(ids)}" for r, ids in other_roles(item.statement, c.id).items())
            answer = item.role + (f" (elsewhere: {elsewhere})" if elsewhere else "")
        rows.append((str(n), f"{c.id} ({c.provenance})", f"\u201c{item.statement}\u201d", answer))
    return [Block("h2", "Sheet A. Context, mechanism or outcome?"),
            Block("p", "Each statement is a cell of the CMOC named beside it. Circle the part it plays in that CMOC. "
                  "The same words can play another part in another CMOC: CMOCs chain."),
            Block("table", rows=(head, *rows))]


def _build_sheet(lesson: Lesson, key: bool) -> list[Block]:
    from .exercises import answer_build, build_item, chain_words

    spec = lesson.exercise("build")
    if spec is None:
        return []
    labels = _labels()
    blocks = [Block("h2", "Sheet B. Build a CMOC from the evidence"),
              Block("p", "Read the evidence the review quotes. Choose one factor for each part, and say whether each "
                    "link raises or lowers the next.")]
    for n, ident in enumerate(spec.cmocs, start=1):
        item = build_item(ident)
        blocks += [Block("h3", f"B{n}."), Block("quote", f"\u201c{item.excerpt}\u201d ({item.excerpt_source})")]
        rows = [(role.capitalize(), "  /  ".join(labels[k] for k in item.options[role])) for role in ROLES]
        rows += [("Context \u2192 mechanism", "raises  /  lowers"), ("Mechanism \u2192 outcome", "raises  /  lowers")]
        blocks.append(Block("table", rows=(("Part", "Circle one"), *rows)))
        if key:
            cx, m, o, s1, s2 = answer_build(ident)
            words = chain_words([labels[cx], labels[m], labels[o]], [1 if s == "+" else -1 for s in (s1, s2)])
            blocks.append(Block("p", f"Key: {words} ({cmoc_text(load_theory().cmocs[ident])})."))
    return blocks


def _poe_sheet(lesson: Lesson, key: bool) -> list[Block]:
    from .exercises import poe_items

    items = [i for i in poe_items().values() if i.lesson == lesson.key] if lesson.exercise("poe") else []
    if not items:
        return []
    blocks = [Block("h2", "Sheet C. Predict, then observe and explain in the lesson"),
              Block("p", "Predict before you run the simulation in the lesson. Then write what it showed and which "
                    "CMOCs explain it.")]
    for n, item in enumerate(items, start=1):
        blocks += [Block("h3", f"C{n}."), Block("p", item.question()),
                   Block("p", "I predict it:  rises  /  falls  /  stays about the same.   It went from ____ to ____."),
                   Block("p", "The CMOCs that explain it:"), Block("space", "2")]
        if key:
            from .exercises import key_for, observe

            obs, k = observe(item.id), key_for(item.id)
            also = f"; also, through other parts of the web: {', '.join(k.also)}" if k.also else ""
            blocks.append(Block("p", f"Key: it {obs.direction} ({obs.before:.2f} to {obs.after:.2f}, model output with "
                                f"seed {item.seed}); explained by {', '.join(k.core)}{also}."))
    return blocks


def _cases_sheet(lesson: Lesson, key: bool) -> list[Block]:
    from .exercises import answer_cases, cases_key

    if lesson.exercise("cases") is None:
        return []
    k = cases_key()
    blocks = [Block("h2", "Sheet D. Two cases (Murray et al. [47])"), Block("quote", f"{k.quote} ({k.source})"),
              Block("p", "Which contexts would you set high or low for each case, and which CMOCs carry each story?"),
              Block("table", rows=(("", "Access ACO (remained intact)", "Collaborative ACO (dissolved)"),
                                   ("Contexts", "", ""), ("CMOCs", "", "")))]
    if key:
        from .. import contexts as ctxreg

        reg = ctxreg.registry()
        a, b, a_ids, b_ids = answer_cases()
        for name, values, ids in (("Access ACO", a, a_ids), ("Collaborative ACO", b, b_ids)):
            settings = ", ".join(f"{reg[c].label} {v:g}" for c, v in values.items())
            blocks.append(Block("p", f"Key, {name}: {settings}; {', '.join(ids)}."))
    return blocks


def _contest_sheet(lesson: Lesson) -> list[Block]:
    if lesson.exercise("contest") is None:
        return []
    return [Block("h2", "Sheet E. Contest the theory"),
            Block("p", "Propose a CMOC the review does not state, or one you think it gets wrong."),
            Block("table", rows=(("Part", "Your factor", "In your words"), ("Context", "", ""), ("Mechanism", "", ""),
                                 ("Outcome", "", ""))),
            Block("p", "Context \u2192 mechanism: raises / lowers.   Mechanism \u2192 outcome: raises / lowers."),
            Block("p", "Evidence or experience that supports it:"), Block("space", "3")]


def worksheet(lesson_key: str, key: bool = False) -> list[Block]:
    """A lesson's printable worksheet; with ``key``, the lecturer's marking key inline."""
    from .lessons import lesson as get_lesson

    le = get_lesson(lesson_key)
    blocks = [Block("h1", f"Lesson {le.order}: {le.title}" + (" (marking key)" if key else "")),
              Block("p", "Name: ______________________________    Date: ______________"),
              Block("p", "By the end of this lesson:"), Block("ul", items=le.objectives)]
    blocks += _classify_sheet(le, key) + _build_sheet(le, key) + _poe_sheet(le, key) + _cases_sheet(le, key)
    blocks += _contest_sheet(le)
    blocks.append(Block("h2", "Questions to discuss"))
    for q in le.questions:
        blocks += [Block("p", q), Block("space", "2")]
    return [*blocks, Block("p", SOURCE)]


# --- the one-page summary of Fig. 3 and Fig. 4 ------------------------------------------------------------
def _fig3(labels: dict[str, str]) -> list[Block]:
    from ..web import build_web, relations

    theory = load_theory()
    named = [lp for lp in theory.loops.values() if lp.source.startswith("review")]   # the loops the review names
    core = {f for lp in theory.loops.values() for f in lp.factors}
    core |= {k for k, f in theory.factors.items() if f.category in ("performance", "dissolution")}
    core.add("partnership_functioning")
    rows = []
    for (a, b), rel in sorted(relations(build_web(theory)).items()):
        if a in core and b in core and a in labels and b in labels:
            word = {1: "raises", -1: "lowers", 0: "contested"}[rel.sign]
            more = f" and {len(rel.cmocs) - 5} more" if len(rel.cmocs) > 5 else ""
            rows.append((labels[a], word, labels[b], ", ".join(rel.cmocs[:5]) + more))
    return [Block("h2", "Fig. 3: the trust-building loop and the functioning of the collaboration"),
            Block("ul", items=tuple(f"{lp.label}: {lp.description}" for lp in named)),
            Block("table", rows=(("More of", "does what", "to", "Stated by"), *rows))]


def _fig4(labels: dict[str, str]) -> list[Block]:
    theory = load_theory()
    spectrum = [theory.factors[k] for k in ("mandated", "integration") if k in theory.factors]
    # the CMOCs on confidence, and those on what a mandate does to trust through power (not leadership)
    ids = [c for c in theory.cmocs.values() if "confidence" in c.factors or (
        "mandated" in c.context_factors and "trust" in c.outcome_factors and "leadership_style" not in c.factors)]
    return [Block("h2", "Fig. 4: from trust to confidence along the spectrum of integration"),
            Block("ul", items=tuple(f"{f.label}: {f.definition} [{', '.join(map(str, f.references))}]" for f in spectrum)),
            Block("p", "The CMOCs behind the figure:"), Block("ul", items=tuple(cmoc_text(c) for c in ids))]


def figures_summary() -> list[Block]:
    """A one-page summary of Fig. 3 and Fig. 4, from the data package (loops, links, factors, CMOCs)."""
    labels = _labels()
    return [Block("h1", "The review's Fig. 3 and Fig. 4 on one page"), *_fig3(labels), *_fig4(labels),
            Block("p", SOURCE)]


def handout(what: str, key: bool = False) -> list[Block]:
    """``figures``, or a lesson's worksheet by key or number (``2`` or ``trust_loop``)."""
    if what.strip().lower() == "figures":
        return figures_summary()
    lessons = {**{str(le.order): le.key for le in load_lessons()}, **{le.key: le.key for le in load_lessons()}}
    if what.strip() not in lessons:
        raise IockitError("LESSON", what, "a lesson key or number (see `iockit lessons`), or figures")
    return worksheet(lessons[what.strip()], key=key)


def handout_text(what: str, fmt: str = "markdown", key: bool = False) -> str:
    """A handout as text to print or save (the figures summary fits one A4 page as HTML)."""
    return render(handout(what, key=key), fmt, one_page=what.strip().lower() == "figures")
