"""Tests the command line end to end: score in each format, clean failures, fast start."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from conftest import ROOT, run_cli

EXAMPLE = "frameworks/examples/oc-threat.answers.yaml"


def test_score_table_fits_80_columns_and_shows_scores_ranking_actions_and_gaps():
    r = run_cli("score", EXAMPLE)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Organized-crime threat assessment (SOCTA style) 1.0.0" in lines[:3]
    assert any(line.startswith("Ranking: Armed groups and criminal networks") for line in lines)
    assert "Recommended actions (" in r.stdout and "[CRITICAL]" in r.stdout
    assert "Gaps (" in r.stdout


def test_score_json_is_stable_and_carries_explanations():
    r = run_cli("score", EXAMPLE, "--format", "json")
    data = json.loads(r.stdout)
    assert data["format"] == "assess-result/1"
    assert list(data) == [
        "format",
        "framework",
        "assessment",
        "complete",
        "precision",
        "sections",
        "derived",
        "entities",
        "rankings",
        "coverage",
        "confidence",
        "recommendations",
        "gaps",
        "questions",
        "heatmaps",
        "warnings",
    ]
    groups = next(s for s in data["sections"] if s["id"] == "groups")
    assert groups["method"].startswith("highest over 4 of 4")
    assert [i["id"] for i in groups["inputs"]] == [b["id"] for b in data["entities"]["groups"]]
    assert data["rankings"]["groups"][0]["rank"] == 1
    # the same run twice gives the same bytes
    assert run_cli("score", EXAMPLE, "--format", "json").stdout == r.stdout


def test_score_csv_has_one_row_per_question_and_block_question():
    r = run_cli("score", EXAMPLE, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    data = json.loads(run_cli("score", EXAMPLE, "--format", "json").stdout)
    assert len(rows) == len(data["questions"])
    blocks = {row["entity_name"] for row in rows if row["entity"]}
    assert len(blocks) == 4
    assert set(rows[0]) >= {"section", "entity", "question", "status", "value", "score", "confidence", "sources"}


def test_score_to_a_file(tmp_path):
    out = tmp_path / "result.json"
    r = run_cli("score", EXAMPLE, "--format", "json", "-o", str(out))
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(out.read_text())["framework"]["id"] == "oc-threat"


def test_bad_answers_file_gives_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: assess-answers/1\nframework: {id: oc-threat, version: 1.0.0}\nmetadata: {title: x, marking: UN RESTRICTED}\n"
        "answers:\n  info_cutoff: {value: yesterday}\n"
    )
    r = run_cli("score", str(bad))
    assert r.returncode == 1
    assert r.stderr == (f"{bad}:5:24: 'info_cutoff': 'yesterday' is not a date; write it as YYYY-MM-DD [E304]\n")
    assert "Traceback" not in r.stderr and r.stdout == ""
    r = run_cli("score", str(tmp_path / "missing.yaml"))
    assert r.returncode == 1 and "cannot read the file: No such file or directory" in r.stderr


def test_python_dash_m_and_help():
    r = run_cli("--help")
    assert r.returncode == 0 and "validate" in r.stdout and "score" in r.stdout and "new" in r.stdout


def test_validate_and_score_import_no_heavy_libraries():
    code = (
        "import sys; from assess.cli import main; main(['validate', 'frameworks/goci-profile.yaml']); "
        "main(['score', 'frameworks/examples/goci-profile.answers.yaml', '--format', 'json']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'docx', 'docxtpl', 'matplotlib', 'numpy', 'rich')))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "[]"
