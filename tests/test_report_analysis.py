"""Tests the report's analysis as a JMAC reader meets it (issue 16): the key judgements on page one with their
likelihood and, apart, the analytic confidence; score ranges under unknowns; the outlook; the plan of action's
addressees, conflicts and thinly sourced findings; the collection plan in the report and exported; the sources'
grades and their official meanings. Each report is opened with python-docx and read as a reader reads it."""

from __future__ import annotations

import csv
import io
import subprocess

import docx
import openpyxl
import pytest

from assess.collection_plan import REQUIREMENT_COLUMNS
from assess.errors import WARNINGS, problem
from assess.model import framework as model
from assess.outputs import identify
from assess.pipeline import score_file
from assess.plan import plan
from assess.report.context import build_context
from assess.report.outlook import with_horizon

from conftest import need, run_cli

FRAMEWORK = """\
id: t16
version: 1.0.0
title: Threat test
grading: 4x4
collection: {min_weight: 2}
scales:
  lvl:
    options:
      - {value: nil, label: Nil, score: 0}
      - {value: low, label: Low, score: 1}
      - {value: medium, label: Medium, score: 2}
      - {value: high, label: High, score: 3}
      - {value: unknown, label: Unknown, unknown: true}
ratings:
  r3:
    bands:
      - {min: 0, max: 1, label: Low, colour: "#4A90C8"}
      - {min: 1, max: 2, label: Medium, colour: "#FFFFBF"}
      - {min: 2, max: 3, label: High, colour: "#E8605A"}
  r9:
    bands:
      - {min: 0, max: 2, label: Low, colour: "#4A90C8"}
      - {min: 2, max: 4, label: Medium, colour: "#FFFFBF"}
      - {min: 4, max: 9, label: High, colour: "#E8605A"}
heatmaps:
  - {id: threat_harm, title: "Groups: threat by harm", section: groups, x: threat, y: harm, rating: r9}
sections:
  - {include: key_judgements}
  - id: groups
    title: Groups
    repeat: {label: group, rank_by: threat}
    sections:
      - id: threat
        title: Threat
        rating: r3
        aggregate: weighted_mean
        questions:
          - id: violence
            text: "Violence: how far does the group use it?"
            type: scale
            scale: lvl
            weight: 3
            evidence: recommended
            confidence: true
            collectors: [unpol, fusion_cell]
          - {id: corruption, text: "Corruption: how far?", type: scale, scale: lvl, weight: 1, confidence: true}
      - id: harm
        title: Harm
        rating: r3
        questions:
          - {id: harm_done, text: "Harm to the peace process?", type: scale, scale: lvl}
      - id: heading
        title: Outlook of the group
        questions:
          - {id: trend, text: "Trajectory: where is the group heading?", type: scale, scale: trajectory, scored: false}
rules:
  - id: violent
    scope: groups
    when: "violence == 'high'"
    priority: high
    finding: "{entity} is highly violent."
    action: "Protect patrols on the roads {entity} holds."
    reference: R1
    addressee: security
    conflicts_with: [engage]
  - id: engage
    scope: groups
    when: "violence == 'high'"
    priority: medium
    finding: "{entity} controls the roads."
    action: "Open a channel to {entity} through local mediators."
    reference: R2
    addressee: mediation
  - id: armed
    scope: groups
    when: "violence == 'high' or violence == 'medium'"
    priority: low
    finding: "{entity} uses violence."
    action: "Map the armed men of {entity}."
    reference: R3
    addressee: jmac
"""

ANSWERS = """\
format: assess-answers/1
framework: {id: t16, version: 1.0.0, path: fw.yaml}
metadata: {title: Kessaria test, mission: MINUSKES, period: 2026-H2, marking: UN RESTRICTED}
answers: {}
entities:
  key_judgements:
    - id: kj1
      name: KJ1
      answers:
        kj_judgement: {value: "The Front will contest the northern corridor once the rains end."}
        kj_likelihood: {value: likely}
        kj_confidence: {value: moderate}
        kj_basis: {value: "Two defectors' accounts and the Front's movements in 2025."}
        kj_indicators: {value: "Fuel purchases in Tessal; recruitment drives."}
        kj_horizon: {value: "By March 2027"}
    - id: kj2
      name: KJ2
      answers:
        kj_judgement: {value: "The customs network keeps its hold on the port."}
        kj_likelihood: {value: almost_certain}
        kj_confidence: {value: high}
  groups:
    - id: g1
      name: Front A
      answers:
        violence:
          value: high
          confidence: high
          sources:
            - {ref: UNPOL incident log, reliability: B, credibility: "2"}
        corruption: {value: unknown}
        harm_done: {value: low}
        trend: {value: rising, note: "New recruits since June; watch the fuel price in Tessal."}
    - id: g2
      name: Cell B
      answers:
        violence:
          value: medium
          confidence: low
          sources:
            - {ref: Rumour in the market, reliability: X, credibility: "4"}
            - {ref: Press report, reliability: C, credibility: "3"}
        corruption: {value: low, confidence: high}
        harm_done: {value: high}
        trend: {value: unknown}
"""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def body(document) -> list:
    """The body's paragraphs and tables in order: a paragraph as its text, a table as its rows of cell texts."""
    out: list = []
    for el in document.element.body.iterchildren():
        if el.tag == f"{W}p":
            out.append("".join(t.text or "" for t in el.iter(f"{W}t")))
        elif el.tag == f"{W}tbl":
            out.append(
                [
                    [
                        "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p"))
                        for tc in tr.iter(f"{W}tc")
                    ]
                    for tr in el.iter(f"{W}tr")
                ]
            )
    return out


def last(parts: list, text: str) -> int:
    """Where a heading is in the body: its last occurrence (the table of contents lists it earlier)."""
    return max(i for i, p in enumerate(parts) if p == text)


def table(document, first: str) -> list[list[str]]:
    """The rows of the table whose first header cell is first."""
    return next(t for t in body(document) if isinstance(t, list) and t[0][0] == first)


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """The test assessment rendered with every output: the report, the plan workbook, the collection plan CSV."""
    folder = tmp_path_factory.mktemp("analysis")
    (folder / "fw.yaml").write_text(FRAMEWORK, encoding="utf-8")
    answers = folder / "a.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    out, book, needs = folder / "r.docx", folder / "plan.xlsx", folder / "needs.csv"
    r = run_cli("report", str(answers), "-o", str(out), "--actions", str(book), "--requirements", str(needs))
    assert r.returncode == 0, r.stderr
    return folder, docx.Document(out), score_file(answers).result, r


def test_page_one_prints_the_key_judgements_with_likelihood_and_confidence_apart(case):
    _, document, _, r = case
    parts = body(document)
    rows = table(document, "Key judgement")
    assert rows == [
        ["Key judgement", "Likelihood", "Analytic confidence"],
        [
            "1. The Front will contest the northern corridor once the rains end (by March 2027).",
            "Likely (55–80%)",
            "Moderate",
        ],
        ["2. The customs network keeps its hold on the port.", "Almost certain (95–99%)", "High"],
    ]
    # on the bottom line: after the headline, before the findings and the plan of action
    where = next(i for i, p in enumerate(parts) if isinstance(p, list) and p[0][0] == "Key judgement")
    assert parts.index("Bottom line") < where < parts.index("Key findings") < last(parts, "Plan of action")
    assert "stated apart and never combined in one sentence" in parts[where + 1]
    assert "1. Mission security and UNDSS: Protect patrols on the roads Front A holds." in parts  # top actions
    # the annex: a key judgement's questions ask no answer-level confidence, so none is said to be missing
    assert "Answer: Likely (55–80%)" in parts and "Answer: High · Confidence: High" in parts
    assert "[W022]" not in r.stderr  # neither judgement says a likelihood in its own words


def test_a_judgement_that_says_its_likelihood_in_its_words_is_warned_about(tmp_path):
    (tmp_path / "fw.yaml").write_text(FRAMEWORK, encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS.replace("The customs network keeps", "The customs network very likely keeps"))
    r = run_cli("report", str(answers), "-o", str(tmp_path / "r.docx"))
    assert r.returncode == 0, r.stderr
    said = WARNINGS["W022"].format(where="key judgement 'KJ2'", word="very likely")
    assert said in r.stderr


def test_without_key_judgements_page_one_has_no_table_for_them(tmp_path):
    (tmp_path / "fw.yaml").write_text(FRAMEWORK.replace("  - {include: key_judgements}\n", ""), encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS.split("  key_judgements:")[0] + "  groups:" + ANSWERS.split("  groups:")[1])
    r = run_cli("report", str(answers), "-o", str(tmp_path / "r.docx"))
    assert r.returncode == 0, r.stderr
    parts = body(docx.Document(tmp_path / "r.docx"))
    assert "Key judgements" not in parts
    assert not any(isinstance(p, list) and p[0][0] == "Key judgement" for p in parts)
    # a framework with the block, but none written yet: nothing on page one either
    (tmp_path / "fw.yaml").write_text(FRAMEWORK, encoding="utf-8")
    context, _ = build_context(score_file(answers).result)
    assert context["bottom"]["judgements"] == [] and context["bottom"]["judgements_note"] == ""


def test_the_ranking_shows_the_range_unknowns_leave_and_says_once_what_it_is(case):
    _, document, result, _ = case
    threat = result.entity_scores["groups"]["g1"]["threat"]
    assert threat.low is not None and threat.high is not None and threat.low < threat.value <= threat.high
    rows = table(document, "Rank")
    front = next(row for row in rows if row[1] == "Front A")
    # violence high (3) weighs 3, corruption unknown (0..3) weighs 1: 3.00, and 2.25 to 3.00
    assert front[2] == "3.00 (2.25–3.00)"
    cell = next(row for row in rows if row[1] == "Cell B")
    assert cell[2] == "1.75"  # nothing unknown: no range
    explained = [p for p in body(document) if isinstance(p, str) and p.startswith("A range in brackets")]
    assert len(explained) == 1 and "answers marked unknown" in explained[0]


def test_a_heat_map_of_two_rated_sections_places_each_group_in_its_bands(case):
    _, document, result, _ = case
    h = result.heatmaps["threat_harm"]
    assert h.x_labels == h.y_labels == ("Low", "Medium", "High")
    parts = body(document)
    at = last(parts, "Groups: threat by harm")
    # Front A: threat 3.00 (High), harm 1 (Medium); Cell B: threat 1.75 (Medium), harm 3 (High); numbered by rank
    assert parts[at + 2] == "Numbers in the cells: 1 Front A; 2 Cell B."
    alt = next(d.get("descr") for d in document.element.body.iter(DOCPR) if d.get("descr").startswith("Heat map"))
    assert "Harm to the peace process" not in alt and "Medium × High" in alt and "High × Medium" in alt


def test_the_outlook_lists_each_trajectory_by_block_with_its_note(case):
    _, document, _, _ = case
    parts = body(document)
    at = parts.index(table(document, "Subject"))
    assert parts[at - 2 : at] == ["Groups", "Trajectory: where is the group heading?"]  # the question once
    assert parts[at] == [
        ["Subject", "Trajectory", "Why; indicators to watch"],
        ["Front A", "Rising", "New recruits since June; watch the fuel price in Tessal."],
        ["Cell B", "Unknown", ""],
    ]
    basis = table(document, "No.")
    assert basis[1][1:] == [
        "The Front will contest the northern corridor once the rains end (by March 2027).",
        "Two defectors' accounts and the Front's movements in 2025.",
        "Fuel purchases in Tessal; recruitment drives.",
    ]


def test_the_plan_names_who_acts_marks_conflicts_and_thinly_sourced_findings(case):
    _, document, result, _ = case
    heads = ["No.", "Priority", "Finding", "Action", "Addressee", "For whom", "Owner", "Due"]
    rows = next(t for t in body(document) if isinstance(t, list) and t[0] == heads)
    items = plan(result)
    assert [row[0] for row in rows[1:]] == [str(i.number) for i in items] == ["1", "2", "3"]
    violent, engage, armed = rows[1], rows[2], rows[3]
    assert violent[4] == "Mission security and UNDSS" and engage[4] == "Mediation and good offices team"
    assert violent[3].endswith("\nConflicts with action 2: decide them together.")
    assert engage[3].endswith("\nConflicts with action 1: decide them together.")
    # Front A's violence rests on one source: the finding says so under its text
    assert violent[2] == "Front A is highly violent.\nRests on a single source."
    # Cell B's violence rests on two sources, both low-graded (X4, C3): said per block where the blocks differ
    assert armed[2] == (
        "Each group listed uses violence.\nFor Front A: rests on a single source. For Cell B: rests only on "
        "low-graded sources."
    )
    assert armed[3] == "Map the armed men of each group listed."  # no conflict: no second line


def test_the_collection_plan_follows_the_plan_of_action(case):
    _, document, result, _ = case
    parts = body(document)
    assert (
        last(parts, "Plan of action")
        < last(parts, "Collection plan")
        < last(parts, "Annex: answers question by question")
    )
    rows = table(document, "IR")
    assert rows[0] == ["IR", "What to find out", "Why it matters", "Collectors"]
    # Cell B's violence (weight 3) answered with low confidence; corruption (weight 1) is under min_weight 2
    assert [r.id for r in result.requirements] == ["groups/g2/violence"]
    (need,) = result.requirements
    assert rows[1] == ["IR-1", need.what, need.why, "UNPOL crime analysis, Military information / fusion cell"]


def test_the_collection_plan_is_exported_as_csv_and_in_the_plan_workbook(case):
    folder, _, result, r = case
    data = (folder / "needs.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == REQUIREMENT_COLUMNS
    assert rows[1][:9] == [
        "",
        "MINUSKES",
        "2026-H2",
        "IR-1",
        "1",
        "groups/g2/violence",
        "Groups",
        "Cell B",
        result.requirements[0].what,
    ]
    assert rows[1][10:] == ["low confidence", "UNPOL crime analysis; Military information / fusion cell", "", "", ""]
    assert f"wrote {folder / 'needs.csv'}: a collection plan of 1 intelligence requirement(s)" in r.stdout
    wb = openpyxl.load_workbook(folder / "plan.xlsx")
    assert wb.sheetnames == ["Plan of action", "Collection plan", "About"]
    ws = wb["Collection plan"]
    assert [c.value for c in ws[1]][:3] == ["IR", "What to find out", "Why it matters"]
    assert ws["A2"].value == 1 and ws["A2"].number_format == '"IR-"0'
    plan_sheet = wb["Plan of action"]
    header = [c.value for c in plan_sheet[1]]
    assert plan_sheet.cell(row=2, column=header.index("Addressee") + 1).value == "Mission security and UNDSS"
    assert identify(folder / "needs.csv") == "requirements"


def test_a_collection_plan_is_refreshed_until_the_mission_fills_it_in(tmp_path):
    (tmp_path / "fw.yaml").write_text(FRAMEWORK, encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    report, needs = tmp_path / "r.docx", tmp_path / "needs.xlsx"
    for _ in range(2):  # the second run replaces the first's workbook without --force
        r = run_cli("report", str(answers), "-o", str(report), "--requirements", str(needs))
        assert r.returncode == 0, r.stderr
    assert identify(needs) == "requirements"
    wb = openpyxl.load_workbook(needs)
    assert wb.sheetnames == ["Collection plan", "About"]
    wb["Collection plan"]["H2"] = "UNPOL SOC unit"  # the mission names an owner
    wb.save(needs)
    before = needs.read_bytes()
    report = tmp_path / "new.docx"  # all or none: the report is not written either
    r = run_cli("report", str(answers), "-o", str(report), "--requirements", str(needs))
    assert not report.exists() and sorted(p.name for p in tmp_path.iterdir()) == [
        "a.yaml",
        "fw.yaml",
        "needs.xlsx",
        "r.docx",
    ]
    filled = (
        "is a collection plan with entries in its owner, due_date or status columns (row 2), which replacing it "
        "would lose"
    )
    assert r.returncode == 1 and r.stderr == str(problem(str(needs), None, "E418", reason=filled)) + "\n"
    assert needs.read_bytes() == before
    # the plan of action's workbook is not a collection plan, and the two may not both print
    r = run_cli("report", str(answers), "-o", str(report), "--actions", str(tmp_path / "p.xlsx"))
    assert r.returncode == 0, r.stderr
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    book["Collection plan"]["J2"] = "In progress"  # the plan's own collection sheet, begun
    book.save(tmp_path / "p.xlsx")
    r = run_cli("report", str(answers), "-o", str(report), "--actions", str(tmp_path / "p.xlsx"))
    begun = (
        "is a plan of action with entries in its owner, due_date or status columns (row 2 of its Collection plan "
        "sheet), which replacing it would lose"
    )
    assert r.returncode == 1 and r.stderr == str(problem(str(tmp_path / "p.xlsx"), None, "E418", reason=begun)) + "\n"
    r = run_cli("report", str(answers), "-o", str(report), "--requirements", str(tmp_path / "p.xlsx"))
    other = "is a plan of action that 'assess report --actions' wrote, not a collection plan that 'assess report --requirements' wrote"
    assert r.returncode == 1 and r.stderr == str(problem(str(tmp_path / "p.xlsx"), None, "E418", reason=other)) + "\n"
    r = run_cli("report", str(answers), "-o", str(report), "--actions", "-", "--requirements", "-")
    mixed = problem(
        "--requirements -", None, "E412", option="--requirements", other="--actions (-)", harm="mix the two"
    )
    assert r.returncode == 1 and str(mixed) in r.stderr


def test_the_method_gives_the_grades_official_meanings_and_a_summary_per_section(case):
    _, document, _, _ = case
    parts = body(document)
    assert model.GRADES["4x4"] == ("ABCX", "1234")
    grading = next(p for p in parts if isinstance(p, str) and p.startswith("Sources are graded on the"))
    assert "4x4 system of Europol (source reliability A, B, C, X; information credibility 1, 2, 3, 4)" in grading
    assert "low-graded when its reliability is C or X, or its information's credibility is 4" in grading
    reliability, credibility = model.GRADE_OFFICIAL["4x4"]
    assert table(document, "Source reliability")[1:] == [[g, m] for g, m in reliability.items()]
    assert table(document, "Information credibility")[1:] == [[g, m] for g, m in credibility.items()]
    summary = table(document, "Section")
    assert summary[0] == [
        "Section",
        "Answers",
        "Without source",
        "Sources",
        "Low-graded",
        "By reliability",
        "By credibility",
    ]
    groups = next(row for row in summary if row[0] == "Groups")
    # Front A: violence (1 source, B2), trend; Cell B: violence (X4, C3), corruption, trend
    assert groups[3:] == ["3", "2", "B: 1 · C: 1 · X: 1", "2: 1 · 3: 1 · 4: 1"]


def test_page_one_of_the_pdf_carries_the_judgements(case, tmp_path):
    """Converted by LibreOffice, the first two pages show the judgement, its likelihood and its confidence."""
    need("soffice", "pdftotext")
    folder, _, _, _ = case
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(folder / "r.docx")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pages = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "2", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(pages.split())
    assert "Key judgements" in flat and "Likely (55–80%)" in flat and "Analytic confidence" in flat
    assert "The Front will contest the northern corridor" in flat


def test_the_collection_plan_files_keep_text_as_text(tmp_path):
    """A block named like a formula stays text in the collection plan's CSV (a leading ') and workbook (typed text)."""
    (tmp_path / "fw.yaml").write_text(FRAMEWORK, encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS.replace("name: Cell B", 'name: "=1+1 Cell B"'), encoding="utf-8")
    needs, book = tmp_path / "needs.csv", tmp_path / "needs.xlsx"
    for out in (needs, book):
        r = run_cli("report", str(answers), "-o", str(tmp_path / "r.docx"), "--requirements", str(out), "--force")
        assert r.returncode == 0, r.stderr
    (row,) = list(csv.DictReader(io.StringIO(needs.read_text(encoding="utf-8-sig"))))
    assert row["block"] == "'=1+1 Cell B" and row["what"].startswith("'=1+1 Cell B: Violence")
    ws = openpyxl.load_workbook(book)["Collection plan"]
    cells = {title.value: cell for title, cell in zip(ws[1], ws[2], strict=True)}
    assert cells["Block"].value == "=1+1 Cell B" and cells["Block"].data_type == "s"
    assert cells["What to find out"].value.startswith("=1+1 Cell B: Violence")
    assert all(c.data_type != "f" for line in ws.iter_rows() for c in line)


@pytest.mark.parametrize(
    ("horizon", "written"),
    [
        ("March 2027", "The Front will hold the corridor (by March 2027)."),
        ("by March 2027.", "The Front will hold the corridor (by March 2027)."),
        ("Before the 2027 elections", "The Front will hold the corridor (before the 2027 elections)."),
        ("within six months", "The Front will hold the corridor (within six months)."),
        ("Interim period", "The Front will hold the corridor (horizon: Interim period)."),
        ("Second half of 2026", "The Front will hold the corridor (horizon: Second half of 2026)."),
        ("mid-2027", "The Front will hold the corridor (by mid-2027)."),
        ("30 June 2027", "The Front will hold the corridor (by 30 June 2027)."),
        ("the corridor", "The Front will hold the corridor."),  # already said in the judgement: not twice
        ("", "The Front will hold the corridor."),
    ],
)
def test_a_judgements_horizon_reads_as_written_with_by_only_where_it_says_no_relation_of_its_own(horizon, written):
    """'(by Before the 2027 elections)' was printed for a horizon that says its own relation, and a horizon the
    judgement already states was printed twice."""
    assert with_horizon("The Front will hold the corridor.", horizon) == written
