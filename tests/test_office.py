"""Tests of the office outputs (issue 14, item 9): the report and the summary as PDF, the plan of action as a
workbook and as a CSV spreadsheets read right."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import time
from pathlib import Path

import openpyxl
import pytest

from assess.errors import AssessError, problem
from assess.office import PACKAGE, SOFFICE_ENV, convert, pdf_kind
from assess.output import ACTION_COLUMNS
from assess.outputs import identify
from assess.pipeline import score_file
from assess.plan import plan
from assess.workbook import COLUMNS, STATUSES

from conftest import ROOT, need, run_cli

EXAMPLES = ROOT / "frameworks" / "examples"
LARGEST = EXAMPLES / "oc-threat.answers.yaml"  # the example with the most blocks and actions

FRAMEWORK = """\
id: office-check
version: 1.0.0
title: Office check
scales:
  swing:
    options:
      - {value: worse, label: Worse, score: -3}
      - {value: same, label: Same, score: 0}
sections:
  - id: groups
    title: Groups
    repeat: {label: group}
    questions:
      - {id: kind, text: Kind, type: scale, scale: swing}
rules:
  - id: each
    when: "kind == 'worse'"
    scope: groups
    priority: high
    finding: "{entity} got worse"
    action: "Watch the group closely"
    reference: "=1+1 (a framework's own text)"
"""

# a block named as a formula, with a bell (a control character no workbook holds) in it; the mission a formula too
ANSWERS = r"""format: assess-answers/1
id: 5f0c2d1e-8a3b-4c6d-9e7f-0a1b2c3d4e5f
framework: {id: office-check, version: 1.0.0, path: fw.yaml}
metadata:
  title: Office check — été
  mission: "=cmd|' /C calc'!A0"
  period: 2026-H2
  marking: UN RESTRICTED & EYES ONLY
entities:
  groups:
    - id: g1
      name: "=HYPERLINK(\"http://evil.example/\",\"x\")\a"
      answers: {kind: {value: worse}}
    - id: g2
      name: Quiet group
      answers: {kind: {value: same}}
"""
FORMULA_NAME = '=HYPERLINK("http://evil.example/","x")'


@pytest.fixture
def hostile(tmp_path) -> Path:
    """A small answers file whose only plan item names a block called like a formula."""
    (tmp_path / "fw.yaml").write_text(FRAMEWORK, encoding="utf-8")
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def example_workbook(tmp_path_factory):
    """The largest example's report with its plan of action as a workbook, and its scored result."""
    folder = tmp_path_factory.mktemp("workbook")
    out, book = folder / "r.docx", folder / "plan.xlsx"
    r = run_cli("report", str(LARGEST), "-o", str(out), "--actions", str(book))
    assert r.returncode == 0, r.stderr
    return book, score_file(LARGEST).result, r


def listing(folder: Path) -> list[str]:
    """The names in a folder, sorted (temp files would show)."""
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------------------- the workbook


def test_the_plan_workbook_is_a_sheet_to_work_in(example_workbook):
    book, result, r = example_workbook
    items = plan(result)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Plan of action", "Collection plan", "About"]
    ws = wb["Plan of action"]
    assert [c.value for c in ws[1]] == [title for title, _ in COLUMNS]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:O{len(items) + 1}"
    assert ws.max_row == len(items) + 1
    widths = {title: ws.column_dimensions[chr(ord("A") + i)].width for i, (title, _) in enumerate(COLUMNS)}
    assert widths["Finding"] >= 40 and widths["Action"] >= 40 and widths["No."] < 10
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [row[0] for row in rows] == [x.number for x in items] == list(range(1, len(items) + 1))
    assert [row[2] for row in rows] == [x.rank for x in items]  # numbers, which sort critical first
    assert all(isinstance(row[0], int) and isinstance(row[2], int) for row in rows)
    assert [row[2] for row in rows] == sorted(row[2] for row in rows)
    assert [(row[1], row[3], row[4], row[5], row[6]) for row in rows] == [
        (x.priority, x.finding, x.action, x.addressee, x.for_whom) for x in items
    ]
    assert all(row[12:] == [None, None, None] for row in rows)  # owner, due date, status: the mission's
    assert ws["D2"].alignment.wrap_text and ws["A1"].font.bold
    assert ws["N2"].number_format == "yyyy-mm-dd"
    validations = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    status = validations["O2:O1048576"]
    assert status.type == "list" and status.formula1 == '"' + ",".join(STATUSES) + '"'
    assert validations["N2:N1048576"].type == "date"
    assert "UN RESTRICTED" in ws.oddHeader.center.text
    about = {row[0].value: row[1].value for row in wb["About"].iter_rows()}
    meta = result.answers.metadata
    assert about["Assessment id"] == result.answers.id
    assert (about["Mission"], about["Period"], about["Handling"]) == (meta["mission"], meta["period"], meta["marking"])
    assert about["Framework"] == f"{result.framework.title} {result.framework.version} ({result.framework.id})"
    assert about["State"].startswith("DRAFT") == (not result.complete)
    assert f"wrote {book}: a plan of {len(items)} action(s), from {len(result.recommendations)} recommended" in r.stdout


def test_workbook_text_from_answers_and_framework_stays_text(hostile, tmp_path):
    book = tmp_path / "plan.xlsx"
    r = run_cli("report", str(hostile), "-o", str(tmp_path / "r.docx"), "--actions", str(book))
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(book)["Plan of action"]
    (row,) = ws.iter_rows(min_row=2)
    by = {title: cell for (title, _), cell in zip(COLUMNS, row, strict=True)}
    for title, typed in (("Finding", FORMULA_NAME + " got worse"), ("For whom", FORMULA_NAME)):
        assert by[title].value == typed and by[title].data_type == "s", title  # the bell removed, text kept
    assert by["Reference"].value.startswith("=1+1") and by["Reference"].data_type == "s"
    assert all(c.data_type != "f" for line in ws.iter_rows() for c in line)  # not one formula
    about = openpyxl.load_workbook(book)["About"]
    mission = next(row[1] for row in about.iter_rows() if row[0].value == "Mission")
    assert mission.value == "=cmd|' /C calc'!A0" and mission.data_type == "s"
    assert ws.oddHeader.center.text.startswith("UN RESTRICTED && EYES ONLY")  # '&' is a code in a print header
    removed = "1 character(s) that a spreadsheet cannot hold were removed"
    for title in ("Finding", "For whom"):
        assert str(problem(str(book), None, "W009", where=f"item 1, {title}", detail=removed)) in r.stderr


def test_a_plan_workbook_is_refreshed_until_the_mission_fills_it_in(hostile, tmp_path):
    report, book = tmp_path / "r.docx", tmp_path / "plan.xlsx"
    for _ in range(2):  # the second run replaces the first's workbook without --force
        r = run_cli("report", str(hostile), "-o", str(report), "--actions", str(book))
        assert r.returncode == 0, r.stderr
    assert identify(book) == "actions"
    wb = openpyxl.load_workbook(book)
    wb["Plan of action"]["M2"] = "Maj. Dupont"  # the mission names an owner
    wb.save(book)
    before = book.read_bytes()
    r = run_cli("report", str(hostile), "-o", str(report), "--actions", str(book))
    filled = (
        "is a plan of action with entries in its owner, due_date or status columns (row 2), which replacing it "
        "would lose"
    )
    assert r.returncode == 1 and r.stderr == str(problem(str(book), None, "E418", reason=filled)) + "\n"
    assert book.read_bytes() == before
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)  # a workbook assess did not write is not replaced either
    r = run_cli("report", str(hostile), "-o", str(report), "--actions", str(other))
    mine = "is not a plan of action that 'assess report --actions' wrote"
    assert r.returncode == 1 and r.stderr == str(problem(str(other), None, "E418", reason=mine)) + "\n"


# ---------------------------------------------------------------------------- the CSV


def test_the_plan_csv_starts_with_a_byte_order_mark_and_says_where_it_comes_from(hostile, tmp_path):
    plan_csv = tmp_path / "plan.csv"
    r = run_cli("report", str(hostile), "-o", str(tmp_path / "r.docx"), "--actions", str(plan_csv))
    assert r.returncode == 0, r.stderr
    data = plan_csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + ",".join(ACTION_COLUMNS).encode() + b"\n")
    (row,) = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    assert row["assessment_id"] == "5f0c2d1e-8a3b-4c6d-9e7f-0a1b2c3d4e5f"
    assert row["mission"] == "'=cmd|' /C calc'!A0"  # formula-safe, as every CSV assess writes
    assert (row["period"], row["number"], row["priority"], row["priority_rank"]) == ("2026-H2", "1", "high", "2")
    assert row["for_whom"] == "'" + FORMULA_NAME + "\a"  # CSV keeps the text as typed, made inert
    assert row["reference"].startswith("'=1+1")
    assert (row["owner"], row["due_date"], row["status"]) == ("", "", "")
    hostile.write_text(ANSWERS.replace("period: 2026-H2", "period: 2026-07"), encoding="utf-8")
    r = run_cli("report", str(hostile), "-o", str(tmp_path / "r.docx"), "--actions", str(plan_csv))
    assert r.returncode == 0, r.stderr
    (row,) = csv.DictReader(io.StringIO(plan_csv.read_text(encoding="utf-8-sig")))
    assert row["period"] == "'2026-07"  # a spreadsheet keeps it as written, not as the date July 2026


def test_the_plan_csv_has_one_row_per_item_of_the_reports_plan(tmp_path):
    example = EXAMPLES / "mission-risk.answers.yaml"
    r = run_cli("report", str(example), "-o", str(tmp_path / "r.docx"), "--actions", "-")
    assert r.returncode == 0, r.stderr
    assert not r.stdout.startswith("\ufeff")  # printed: no byte-order mark in the terminal
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    items = plan(score_file(example).result)
    assert [(int(row["number"]), row["priority"], int(row["priority_rank"])) for row in rows] == [
        (x.number, x.priority, x.rank) for x in items
    ]
    assert [row["for_whom"] for row in rows] == [x.for_whom for x in items]


# ---------------------------------------------------------------------------- the PDF


def pdf_text(path: Path) -> str:
    """The text of a PDF, as pdftotext extracts it."""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_report_pdf_is_converted_beside_the_docx_and_collect_asks_for_the_docx(tmp_path):
    need("soffice", "pdftotext")
    report = tmp_path / "oc-threat.docx"
    started = time.perf_counter()
    r = run_cli("report", str(LARGEST), "-o", str(report), "--pdf", timeout=600)
    took = time.perf_counter() - started
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "oc-threat.pdf"
    assert listing(tmp_path) == ["oc-threat.docx", "oc-threat.pdf"]
    text = pdf_text(pdf)
    title = score_file(LARGEST).result.answers.metadata["title"]
    assert " ".join(title.split()[:4]) in " ".join(text.split())
    assert "Plan of action" in text or "Executive summary" in text
    assert pdf_kind(pdf) == "report" and identify(pdf) == "pdf"  # marked: a rerun replaces it
    assert f"wrote {pdf}: the report as PDF (collect the .docx: it carries the data)" in r.stdout
    print(f"report and PDF of {LARGEST.name}: {took:.1f} s")
    r = run_cli("collect", str(pdf), "--store", str(tmp_path / "hq.sqlite"))
    detail = "it is a PDF, which carries no payload: collect the .docx it was made from (report --pdf writes both)"
    assert r.returncode == 1 and str(problem(str(pdf), None, "E501", detail=detail)) in r.stderr


def test_compare_pdf_is_converted_beside_the_summary(tmp_path):
    need("soffice", "pdftotext")
    store = str(tmp_path / "hq.sqlite")
    r = run_cli("collect", str(EXAMPLES / "goci-profile.answers.yaml"), "--store", store)
    assert r.returncode == 0, r.stderr
    summary = tmp_path / "summary.docx"
    r = run_cli("compare", "--store", store, "-o", str(summary), "--pdf", timeout=600)
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "summary.pdf"
    assert pdf_kind(pdf) == "summary" and identify(pdf) == "pdf"
    mission = score_file(EXAMPLES / "goci-profile.answers.yaml").result.answers.metadata["mission"]
    assert mission.split()[0] in pdf_text(pdf)
    assert f"wrote {pdf}: the summary as PDF" in r.stdout


def test_without_libreoffice_pdf_says_what_to_install_and_writes_nothing(hostile, tmp_path, monkeypatch):
    report = tmp_path / "r.docx"
    monkeypatch.setenv(SOFFICE_ENV, str(tmp_path / "no-such-soffice"))
    r = run_cli("report", str(hostile), "-o", str(report), "--pdf", "--actions", str(tmp_path / "plan.csv"))
    program = f"{tmp_path / 'no-such-soffice'} (from {SOFFICE_ENV})"
    said = problem(str(tmp_path / "r.pdf"), None, "E421", program=program, package=PACKAGE, variable=SOFFICE_ENV)
    assert (r.returncode, r.stderr) == (1, f"{said}\n")
    assert f"apt-get install -y {PACKAGE}" in r.stderr
    monkeypatch.delenv(SOFFICE_ENV)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no soffice, no libreoffice on PATH
    r = run_cli("compare", "--store", str(tmp_path / "hq.sqlite"), "-o", str(tmp_path / "s.docx"), "--pdf")
    said = problem(
        str(tmp_path / "s.pdf"), None, "E421", program="soffice or libreoffice", package=PACKAGE, variable=SOFFICE_ENV
    )
    assert (r.returncode, r.stderr) == (1, f"{said}\n")
    assert listing(tmp_path) == ["answers.yaml", "bin", "fw.yaml"]


def test_a_failed_conversion_writes_nothing_at_all(hostile, tmp_path, monkeypatch):
    monkeypatch.setenv(SOFFICE_ENV, "false")  # a program that fails at once
    r = run_cli("report", str(hostile), "-o", str(tmp_path / "r.docx"), "--pdf", "--actions", str(tmp_path / "a.csv"))
    said = problem(str(tmp_path / "r.pdf"), None, "E422", reason="LibreOffice exited with status 1")
    assert (r.returncode, r.stderr.splitlines()[-1]) == (1, str(said))
    assert listing(tmp_path) == ["answers.yaml", "fw.yaml"]  # neither the report nor the plan


def test_pdf_onto_an_input_is_refused(hostile, tmp_path, monkeypatch):
    monkeypatch.setenv(SOFFICE_ENV, "true")  # found; never run, as the refusal comes first
    answers = tmp_path / "r.pdf"  # an answers file whose name the PDF would take
    os.rename(hostile, answers)
    before = answers.read_bytes()
    r = run_cli("report", str(answers), "-o", str(tmp_path / "r.docx"), "--pdf")
    assert r.returncode == 1 and r.stderr.endswith("[E412]\n") and "--pdf names the same file as" in r.stderr
    assert answers.read_bytes() == before and listing(tmp_path) == ["fw.yaml", "r.pdf"]
    foreign = tmp_path / "other.pdf"
    foreign.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")  # a PDF assess did not write: kept
    os.rename(answers, tmp_path / "a.yaml")
    r = run_cli("report", str(tmp_path / "a.yaml"), "-o", str(tmp_path / "other.docx"), "--pdf")
    reason = "is not a PDF that 'assess report --pdf' or 'assess compare --pdf' wrote"
    assert (r.returncode, r.stderr) == (1, str(problem(str(foreign), None, "E418", reason=reason)) + "\n")


def test_a_stuck_conversion_is_stopped_with_its_helpers(tmp_path):
    stuck = tmp_path / "soffice"
    pids = tmp_path / "pids"
    stuck.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pids}\nsleep 60\n")  # a helper, then LibreOffice hangs
    stuck.chmod(0o755)
    docx = tmp_path / "r.docx"
    docx.write_bytes(b"PK\x03\x04 not converted")
    started = time.perf_counter()
    with pytest.raises(AssessError) as caught:
        convert(docx, tmp_path / "r.pdf", str(stuck), "report", "r.pdf", timeout=1)
    assert time.perf_counter() - started < 30
    reason = "LibreOffice took more than 1 seconds and was stopped"
    assert [str(p) for p in caught.value.problems] == [str(problem("r.pdf", None, "E422", reason=reason))]
    helper = int(pids.read_text())
    for _ in range(50):  # the helper was killed with the session: it is gone (or a zombie) at once
        try:
            state = Path(f"/proc/{helper}/stat").read_text().split()[2]
        except FileNotFoundError:
            break
        if state == "Z":
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"helper process {helper} still runs")
    assert not (tmp_path / "r.pdf").exists()
