"""Tests the report's pictures and colours as a reader meets them: bands told apart with colour-blind vision, text
readable on every fill, charts at 300 dpi with nothing cut off, the quadrant where a framework has both axes, and
alt text on every picture of every example report (issue 14, item 5)."""

from __future__ import annotations

import io
import itertools

import docx
import pytest
import yaml
from PIL import Image

from assess.answers import load_answers
from assess.colour import (
    AA,
    BLACK,
    DISTINCT,
    PALETTE,
    WHITE,
    contrast,
    delta_e,
    difference,
    least_difference,
    simulate,
    text_on,
)
from assess.errors import WARNINGS
from assess.loader import framework_from_text, load_framework
from assess.report import render_report
from assess.report.charts import DPI, FONT, MAX_BARS, WIDTH_CM, score_bars, scores_chart, scores_figure
from assess.report.context import build_context, heatmap_numbers
from assess.report.heatmaps import heatmap_bands, heatmap_figure
from assess.report.quadrant import quadrant_figure
from assess.report.word import heatmap_description, scores_description
from assess.scoring import score

from conftest import ROOT, problems, run_cli
from conftest import scored as scored_inline

FRAMEWORKS = sorted((ROOT / "frameworks").glob("*.yaml"))
EXAMPLES = sorted((ROOT / "frameworks" / "examples").glob("*.answers.yaml"))
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
WP_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"


def bands_of(path):
    """Each rating scheme of a bundled framework file: (scheme id, [band colours])."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(sid, [b["colour"] for b in r["bands"] if b.get("colour")]) for sid, r in data.get("ratings", {}).items()]


def scored(example):
    answers, _ = load_answers(example)
    fw, _ = load_framework(ROOT / "frameworks" / f"{answers.framework.id}.yaml")
    return score(fw, answers)


@pytest.fixture(scope="module")
def results():
    return {e.name.removesuffix(".answers.yaml"): scored(e) for e in EXAMPLES}


@pytest.fixture(scope="module")
def reports(results, tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for name, result in results.items():
        path = folder / f"{name}.docx"
        render_report(result, path)
        out[name] = (path, result)
    return out


# -- colour ------------------------------------------------------------------------------------------------------


def test_the_colour_difference_is_ciede2000():
    """Reference pairs of Sharma, Wu & Dalal (2005), table 1."""
    assert delta_e((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert delta_e((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    assert delta_e((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387)) == pytest.approx(1.2644, abs=1e-4)
    assert delta_e((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514)) == pytest.approx(0.9082, abs=1e-4)


def test_contrast_follows_wcag():
    assert contrast(BLACK, WHITE) == pytest.approx(21)
    assert contrast("#777777", WHITE) == pytest.approx(4.48, abs=0.01)
    assert contrast("#B71C1C", BLACK) == pytest.approx(3.2, abs=0.05)  # the old darkest band: below AA


def test_black_or_white_reaches_aa_on_any_fill():
    for r, g, b in itertools.product(range(0, 256, 17), repeat=3):
        fill = f"#{r:02X}{g:02X}{b:02X}"
        assert contrast(fill, text_on(fill)) >= 4.58, fill


def test_the_simulation_merges_the_old_greens_and_reds():
    """The check can fail: the old 'Low' green and 'Very high' red look alike to a deuteranope."""
    assert difference("#2E7D32", "#B71C1C") > 40
    assert difference("#2E7D32", "#B71C1C", "deuteranopia") < DISTINCT
    assert simulate("#FF0000", "deuteranopia") != "#FF0000"
    assert simulate("#808080", "deuteranopia") == "#808080"  # greys stay grey


def test_the_palette_is_apart_for_every_vision_and_carries_black_text():
    assert least_difference(list(PALETTE))[0] >= DISTINCT
    assert all(contrast(c, BLACK) >= AA for c in PALETTE)


@pytest.mark.parametrize("path", FRAMEWORKS, ids=lambda p: p.stem)
def test_every_bundled_rating_keeps_its_bands_apart_under_deuteranopia_and_protanopia(path):
    schemes = bands_of(path)
    assert schemes
    for sid, colours in schemes:
        for vision in ("deuteranopia", "protanopia", None):
            for a, b in itertools.combinations(colours, 2):
                assert difference(a, b, vision) >= DISTINCT, (sid, a, b, vision)


@pytest.mark.parametrize("path", FRAMEWORKS, ids=lambda p: p.stem)
def test_black_text_reaches_aa_on_every_bundled_band(path):
    for sid, colours in bands_of(path):
        for c in colours:
            assert contrast(c, BLACK) >= AA, (sid, c)
            assert text_on(c) == BLACK and contrast(c, text_on(c)) >= AA


RATED = """\
id: t
version: 1.0.0
title: T
scales:
  three: {range: {min: 0, max: 3, step: 1}}
ratings:
  level:
    bands:
      - {min: 0, max: 1, label: Low, colour: "#2E7D32"}
      - {min: 1, max: 2, label: Medium, colour: "#F9A825"}
      - {min: 2, max: 3, label: High, colour: "#B71C1C"}
sections:
  - id: s
    title: S
    rating: level
    questions:
      - {id: q, text: Q, type: scale, scale: three}
"""


def test_validate_warns_at_the_band_whose_colour_looks_like_another_under_deuteranopia():
    message = WARNINGS["W010"].format(
        where="ratings.level.bands[2]",
        first="Low",
        first_colour="#2E7D32",
        second="High",
        second_colour="#B71C1C",
        vision="deuteranopia",
        difference="6.1",
        least="10",
        palette="#4A90C8, #FFFFBF, #E8605A",
    )
    assert problems(RATED) == [f"fw.yaml:11:47: warning: {message} [W010]"]
    safe = RATED.replace("#2E7D32", "#4A90C8").replace("#F9A825", "#FFFFBF").replace("#B71C1C", "#E8605A")
    assert problems(safe) == []
    same = RATED.replace("#F9A825", "#2E7D33")  # two greens no one tells apart
    assert "to readers with normal vision" in problems(same)[0]


def test_assess_validate_prints_the_colour_warning(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(RATED, encoding="utf-8")
    r = run_cli("validate", str(path))
    assert r.returncode == 0
    assert "bands 'Low' (#2E7D32) and 'High' (#B71C1C) look alike to readers with deuteranopia" in r.stderr + r.stdout
    assert "[W010]" in r.stderr + r.stdout


# -- charts ------------------------------------------------------------------------------------------------------


def _texts_inside(fig):
    """Every visible text of the figure: its size in points and whether it lies wholly inside the picture."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    out = []
    for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text")):
        if not t.get_visible() or not t.get_text().strip():
            continue
        e = t.get_window_extent(renderer)
        inside = e.x0 >= box.x0 - 0.5 and e.y0 >= box.y0 - 0.5 and e.x1 <= box.x1 + 0.5 and e.y1 <= box.y1 + 0.5
        out.append((t.get_text(), t.get_fontsize(), inside, e))
    return out


def _check(fig):
    assert fig.get_size_inches()[0] == pytest.approx(WIDTH_CM / 2.54)  # drawn at the size the report places it
    texts = _texts_inside(fig)
    assert texts
    for text, size, inside, _ in texts:
        assert size >= FONT, text
        assert inside, f"cut off: {text!r}"
    boxes = [(text, e) for text, _, _, e in texts]
    for (ta, a), (tb, b) in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), f"{ta!r} overlaps {tb!r}"


def test_the_scores_chart_is_300_dpi_at_the_placed_width(results):
    png = scores_chart(results["crime-politics-nexus"])
    picture = Image.open(io.BytesIO(png))
    assert picture.info["dpi"] == pytest.approx((DPI, DPI), abs=0.01)
    assert picture.width == pytest.approx(WIDTH_CM / 2.54 * DPI, abs=1)


@pytest.mark.parametrize("name", [e.name.removesuffix(".answers.yaml") for e in EXAMPLES])
def test_every_chart_of_every_example_has_its_labels_whole_and_at_least_8_pt(results, name):
    result = results[name]
    fig = scores_figure(result)
    assert fig is not None
    _check(fig)
    if (q := quadrant_figure(result)) is not None:
        _check(q)
    context, _ = build_context(result)
    for h in context["heatmaps"]:
        _check(heatmap_figure(result, h["id"], h["x_title"], h["y_title"], heatmap_numbers(result, h["id"])))


def test_the_scores_chart_keeps_the_table_order_with_threat_and_resilience_apart(results):
    result = results["goci-profile"]
    bars = score_bars(result)
    assert [b.id for b in bars] == [
        "criminality",
        "criminal_markets",
        "criminal_actors",
        "resilience",
        "criminality_resilience_gap",
    ]
    fig = scores_figure(result)
    texts = [t for t, *_ in _texts_inside(fig)]
    assert "Threat: higher is worse" in texts and "Resilience: higher is better" in texts
    assert texts.index("Resilience: higher is better") > texts.index("Criminality–resilience gap")
    assert not any("%" in t for t in texts)  # no "% of possible range"
    assert "3.18 Low" in texts and "6.40 High" in texts


def test_heat_map_cells_carry_their_rating_word_and_a_legend(results):
    result = results["mission-risk"]
    (hid,) = result.heatmaps
    bands = heatmap_bands(result, hid)
    context, _ = build_context(result)
    h = next(h for h in context["heatmaps"] if h["id"] == hid)
    texts = [t for t, *_ in _texts_inside(heatmap_figure(result, hid, h["x_title"], h["y_title"], {}))]
    cells = len(result.heatmaps[hid].x_labels) * len(result.heatmaps[hid].y_labels)
    assert len(bands) == cells
    words = [t.replace("\n", " ") for t in texts]
    for band in {b.label for b in bands.values()}:
        assert words.count(band) >= 1
    assert sum(words.count(b.label) for b in set(bands.values())) >= cells  # a word in every cell
    legend = result.framework.rating_for(result.heatmaps[hid].heatmap.rating)
    assert all(any(w.startswith(f"{b.label} (") for w in words) for b in legend.bands)


# -- the report ----------------------------------------------------------------------------------------------------


def test_the_quadrant_is_in_the_index_profile_and_nowhere_else(reports):
    for name, (path, _) in reports.items():
        titles = [d.get("title") for d in docx.Document(path).element.body.iter(WP_DOCPR)]
        has = "Quadrant of the threat and resilience scores" in titles
        assert has == (name == "goci-profile"), name
        if has:
            descr = next(
                d.get("descr")
                for d in docx.Document(path).element.body.iter(WP_DOCPR)
                if d.get("title").startswith("Quadrant")
            )
            assert "Criminality 6.40 on a scale from 1 to 10 (High)" in descr
            assert "in the quadrant high criminality, low resilience" in descr


def test_every_picture_of_every_example_report_has_alt_text(reports):
    for name, (path, result) in reports.items():
        pictures = list(docx.Document(path).element.body.iter(WP_DOCPR))
        assert pictures, name
        for extent in docx.Document(path).element.body.iter(WP_EXTENT):  # placed at the width drawn for
            assert int(extent.get("cx")) == pytest.approx(WIDTH_CM * 360000, abs=1000), name
        for d in pictures:
            assert d.get("title") and d.get("descr"), (name, d.get("name"))
        chart = next(d.get("descr") for d in pictures if d.get("title") == "Scores on their scales")
        for b in score_bars(result):
            assert f"{b.title} {b.display} on a scale from" in chart, (name, b.id)


def test_a_framework_of_many_sections_charts_its_top_levels_and_says_the_rest_are_in_the_table():
    text = "id: t\nversion: 1.0.0\ntitle: T\nscales:\n  three: {range: {min: 0, max: 3, step: 1}}\nsections:"
    for i in range(3):
        text += f"\n  - id: s{i}\n    title: Top {i}\n    sections:"
        for j in range(14):
            text += f"\n      - id: s{i}_{j}\n        title: Subsection {i}.{j}\n        questions:"
            text += f"\n          - {{id: q{i}_{j}, text: Q, type: scale, scale: three}}"
    answers = "format: assess-answers/1\nframework: {id: t, version: 1.0.0}\nmetadata: {title: T, marking: M}\n"
    answers += "answers:\n" + "".join(f"  q{i}_{j}: {{value: {j % 4}}}\n" for i in range(3) for j in range(14))
    result = scored_inline(text + "\n", answers)
    assert len(score_bars(result, None)) == 45
    bars = score_bars(result)
    assert [b.id for b in bars] == ["s0", "s1", "s2"]  # all 45 do not fit in MAX_BARS: the top level does
    assert len(bars) <= MAX_BARS
    fig = scores_figure(result)
    _check(fig)
    assert fig.get_size_inches()[1] * 2.54 < 10
    assert any("42 more scores, of subsections, are in the score table" in t for t, *_ in _texts_inside(fig))
    assert scores_description(result).endswith("42 more scores, of subsections, are in the score table.")


def test_framework_text_in_a_chart_is_text_never_mathematics():
    text = (
        "id: t\nversion: 1.0.0\ntitle: T\nscales:\n  three: {range: {min: 0, max: 3, step: 1}}\nsections:\n"
        "  - id: s\n    title: 'Bribes from $5 to $10 a day'\n    questions:\n"
        "      - {id: q, text: Q, type: scale, scale: three}\n"
    )
    answers = "format: assess-answers/1\nframework: {id: t, version: 1.0.0}\nmetadata: {title: T, marking: M}\n"
    result = scored_inline(text, answers + "answers:\n  q: {value: 2}\n")
    fig = scores_figure(result)
    (title,) = [t for t in fig.findobj(lambda a: hasattr(a, "get_parse_math")) if t.get_text().startswith("Bribes")]
    assert title.get_text() == "Bribes from $5 to $10 a day" and not title.get_parse_math()
    assert scores_chart(result).startswith(b"\x89PNG")


def test_a_heat_map_without_a_rating_draws_grey_cells_and_says_no_rating():
    text = (ROOT / "frameworks" / "mission-risk.yaml").read_text(encoding="utf-8")
    unrated = text.replace("    y: impact\n    rating: risk_level\n", "    y: impact\n")
    assert unrated != text
    framework, _ = framework_from_text(unrated, "mission-risk.yaml")
    answers, _ = load_answers(ROOT / "frameworks" / "examples" / "mission-risk.answers.yaml")
    result = score(framework, answers)
    assert heatmap_bands(result, "risk_matrix") == {}
    fig = heatmap_figure(result, "risk_matrix", "Likelihood", "Impact", heatmap_numbers(result, "risk_matrix"))
    _check(fig)
    description = heatmap_description(result, "risk_matrix")
    assert "rating" not in description and "Theft of mission fuel at the Orin depot" in description


def test_a_heat_map_whose_vertical_title_takes_two_lines_keeps_it_inside_the_picture(results):
    """oc-threat 2.0.0's market harm question, as its vertical title, was cut at the picture's left edge."""
    result = results["mission-risk"]
    long = "Harm: how serious is the gravest harm the market is expected to cause over the period?"
    fig = heatmap_figure(result, "risk_matrix", "Likelihood", long, heatmap_numbers(result, "risk_matrix"))
    _check(fig)
    (title,) = [t for t, *_ in _texts_inside(fig) if t.startswith("Harm:")]
    assert title.count("\n") == 1


def test_a_heat_maps_column_labels_are_never_broken_inside_a_word(results):
    """Issue 16: oc-threat's market scale columns read 'Negligib le' and 'Pervasiv e'; a label keeps its words whole,
    and the numbers in its cells are one per market though several markets tie in the ranking."""
    result = results["oc-threat"]
    h = result.heatmaps["market_risk_matrix"]
    fw = result.framework
    numbers = heatmap_numbers(result, "market_risk_matrix")
    texts = [t for t, *_ in _texts_inside(heatmap_figure(result, "market_risk_matrix", "x", "y", numbers))]
    for label in h.x_labels:
        assert label in texts, (label, texts)
    assert "Negligible" in [label for label, _ in fw.axis(h.heatmap.x)]
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))  # one number each, though markets tie
