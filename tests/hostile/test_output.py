"""Hostile text in answers, frameworks and file names, as an attacker would write it: what assess prints cannot
drive the reader's terminal, what it writes to a CSV cannot run as a spreadsheet formula, and no input gives a
traceback (issue 11)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest

from assess.cli import main
from assess.errors import MESSAGES, problem
from assess.output import actions_csv
from assess.pipeline import score_file

from conftest import ROOT, run_cli

#: What must never reach a terminal raw: C0 controls but newline and tab, DEL, C1, bidi embeddings,
#: overrides and isolates, line and paragraph separators.
DRIVES_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

FRAMEWORK = """\
id: hostile
version: 1.0.0
title: Hostile output
precision: 2
scales:
  swing:
    options:
      - {value: worse, label: Worse, score: -3}
      - {value: same, label: Same, score: 0}
      - {value: better, label: Better, score: 2}
sections:
  - id: trend
    title: Trend
    aggregate: sum
    questions:
      - {id: change, text: Change, type: scale, scale: swing}
      - {id: tally, text: Tally, type: number, min: -3, max: 2, scored: true}
      - {id: n_eq, text: Eq, type: text}
      - {id: n_plus, text: Plus, type: text}
      - {id: n_minus, text: Minus, type: text}
      - {id: n_at, text: At, type: text}
      - {id: n_tab, text: Tab, type: text}
      - {id: n_cr, text: CR, type: text}
      - {id: n_num, text: Num, type: text}
      - {id: n_esc, text: Esc, type: text}
  - id: groups
    title: Groups
    repeat: {label: group, rank_by: groups}
    questions:
      - {id: kind, text: Kind, type: scale, scale: swing}
rules:
  - id: each
    when: "kind == 'worse'"
    scope: groups
    priority: critical
    finding: "{entity} got worse"
    action: "Watch {entity}"
    reference: "-1+cmd|' /C calc'!A0"
"""

ANSWERS = r"""format: assess-answers/1
id: 0b6c1f0e-5a1d-4c55-9e0a-7d3f2b9c4e11
framework: {id: hostile, version: 1.0.0, path: fw.yaml}
metadata:
  title: "Title \e[8mhidden\e]0;pwned\a \u202Eevil\x9b31m"
  mission: "@SUM(1+1)*cmd|' /C calc'!A0"
  area: "-2+3+cmd|' /C calc'!A0"
  analyst: "Équipe — été, مهمة"
  period: 2026-H2
  marking: UN RESTRICTED
answers:
  change: {value: worse}
  tally: {value: -2.5}
  n_eq: {value: "=HYPERLINK(\"http://evil.example/?x\",\"click\")"}
  n_plus: {value: "+1+cmd|' /C calc'!A0"}
  n_minus: {value: "-2+3+cmd|' /C calc'!A0"}
  n_at: {value: "@SUM(1+1)*cmd|' /C calc'!A0"}
  n_tab: {value: "\t=1+1"}
  n_cr: {value: "\r=1+1"}
  n_num: {value: "-12.5"}
  n_esc: {value: "\e[2J\e[3J wiped"}
entities:
  groups:
    - id: g1
      name: "=cmd|' /C calc'!A0"
      answers: {kind: {value: worse}}
    - id: g2
      name: "Front \e[31mred\e[0m \u202Eesrever"
      answers: {kind: {value: worse}}
"""

TITLE = "Title \x1b[8mhidden\x1b]0;pwned\x07 \u202eevil\x9b31m"
FORMULAS = {  # question: its answer as typed, which a spreadsheet would run
    "n_eq": '=HYPERLINK("http://evil.example/?x","click")',
    "n_plus": "+1+cmd|' /C calc'!A0",
    "n_minus": "-2+3+cmd|' /C calc'!A0",
    "n_at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "n_tab": "\t=1+1",
    "n_cr": "\r=1+1",
}


@pytest.fixture
def hostile(tmp_path) -> Path:
    """The answers file, beside the framework it pins."""
    (tmp_path / "fw.yaml").write_text(FRAMEWORK, encoding="utf-8")
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def inert(r) -> None:
    """The run printed nothing that drives a terminal and no traceback."""
    for name, text in (("stdout", r.stdout), ("stderr", r.stderr)):
        assert not DRIVES_TERMINAL.findall(text), f"{name} has raw control characters: {text!r}"
    assert "Traceback" not in r.stderr


def rows(source: str | Path) -> list[dict]:
    """The rows of a CSV file (or text) as a spreadsheet reads them: a carriage return in a cell stays one."""
    if isinstance(source, Path):
        with source.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    return list(csv.DictReader(io.StringIO(source, newline="")))


def test_score_table_shows_control_characters_escaped_and_other_text_as_it_is(hostile):
    r = run_cli("score", str(hostile))
    assert r.returncode == 0, r.stderr
    inert(r)
    assert r"Title \x1b[8mhidden\x1b]0;pwned\x07 \u202eevil\x9b31m" in r.stdout
    assert r"Front \x1b[31mred\x1b[0m \u202eesrever got worse" in r.stdout
    assert "Équipe — été, مهمة" in r.stdout  # accents, em dash and Arabic untouched
    assert re.search(r"^Trend +-5\.50$", r.stdout, re.M)


def test_score_json_keeps_every_value_as_typed_and_prints_safely(hostile):
    r = run_cli("score", str(hostile), "--format", "json")
    assert r.returncode == 0, r.stderr
    inert(r)
    data = json.loads(r.stdout)
    assert data["assessment"]["metadata"]["title"] == TITLE
    values = {q["id"]: q["value"] for q in data["questions"]}
    assert {k: values[k] for k in FORMULAS} == FORMULAS  # the raw channel: no quote added
    assert data["assessment"]["metadata"]["analyst"] == "Équipe — été, مهمة"
    assert "Équipe — été, مهمة" in r.stdout  # readable, not \u-escaped


def test_score_csv_neutralises_formulas_and_keeps_numbers(hostile, tmp_path):
    out = tmp_path / "result.csv"
    r = run_cli("score", str(hostile), "--format", "csv", "-o", str(out))
    assert r.returncode == 0, r.stderr
    inert(r)
    by_question = {(row["entity"], row["question"]): row for row in rows(out)}
    for qid, typed in FORMULAS.items():
        assert by_question[("", qid)]["value"] == "'" + typed
    assert by_question[("g1", "kind")]["entity_name"] == "'=cmd|' /C calc'!A0"
    # numbers assess writes, negative ones too, are numbers; so is text that is only a number
    assert by_question[("", "change")]["score"] == "-3.00"
    assert by_question[("", "tally")]["value"] == "-2.5" and by_question[("", "tally")]["score"] == "-2.50"
    assert by_question[("", "n_num")]["value"] == "-12.5"
    assert float(by_question[("g1", "kind")]["score"]) == -3
    # printed to the terminal, the same CSV is neutralised and shows its controls escaped
    r = run_cli("score", str(hostile), "--format", "csv")
    assert r.returncode == 0, r.stderr
    inert(r)
    assert "'=HYPERLINK(" in r.stdout and r"\x1b[2J\x1b[3J wiped" in r.stdout


def test_plan_of_action_csv_neutralises_formulas_from_answers_and_framework(hostile):
    result = score_file(hostile).result  # what report --actions writes, without rendering the report
    [first] = rows(actions_csv(result))  # the rule fired for both groups: one item of the plan names them
    # a name with an override is isolated in the list, so it cannot reverse the names after it
    assert first["for_whom"] == "'=cmd|' /C calc'!A0; \u2068Front \x1b[31mred\x1b[0m \u202eesrever\u2069"
    assert first["finding"] == "Each group listed got worse"
    assert first["reference"] == "'-1+cmd|' /C calc'!A0"  # a framework's text is foreign too
    assert first["action"] == "Watch each group listed"


def test_collect_list_and_compare_print_safely_and_write_a_safe_csv(hostile, tmp_path):
    named = hostile.with_name("mission \x1b]0;pwned\x07\u202e.yaml")
    hostile.rename(named)
    store = str(tmp_path / "hq.sqlite")
    r = run_cli("collect", str(tmp_path), "--store", store)
    assert r.returncode == 0, r.stderr
    inert(r)
    r = run_cli("list", "--store", store)
    assert r.returncode == 0, r.stderr
    inert(r)
    assert r"\x1b[8mhidden" in r.stdout
    summary = tmp_path / "summary.csv"
    r = run_cli("compare", "--store", store, "-o", str(tmp_path / "s.docx"), "--csv", str(summary))
    assert r.returncode == 0, r.stderr
    inert(r)
    trend = next(row for row in rows(summary) if row["score"] == "trend")
    assert trend["mission"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert trend["area"] == "'-2+3+cmd|' /C calc'!A0"
    assert trend["title"] == TITLE  # starts with a letter: left as it is
    assert (trend["exact"], float(trend["value"]), trend["display"]) == ("-11/2", -5.5, "-5.50")


def test_messages_quoting_user_text_and_paths_show_them_escaped(tmp_path, write):
    fw = write("fw.yaml", FRAMEWORK)
    bad = write("bad.yaml", ANSWERS.replace("change: {value: worse}", r'change: {value: "\e]0;pwned\a"}'))
    r = run_cli("score", str(bad), "--framework", str(fw))
    assert r.returncode == 1
    inert(r)
    escaped = r"\x1b]0;pwned\x07"  # the value as printed: its control characters spelled out
    shown = problem(str(bad), (12, 19), "E302", qid="change", value=escaped, allowed="worse, same, better")
    assert str(shown) in r.stderr.splitlines()
    r = run_cli("validate", str(tmp_path / "\x1b[8mmissing\u202e.yaml"))
    assert r.returncode == 1
    inert(r)
    missing = f"{tmp_path}/" + r"\x1b[8mmissing\u202e.yaml"
    assert str(problem(missing, None, "E001", reason="No such file or directory")) in r.stderr.splitlines()
    r = run_cli("score", str(bad), "\x1b[8m\u202e")  # argparse quotes what was typed
    assert r.returncode == 2
    inert(r)
    assert r"unrecognized arguments: \x1b[8m\u202e" in r.stderr
    r = run_cli("list", "--store", str(tmp_path / "none.sqlite"), "--since", "\x1b[31m")
    assert r.returncode == 1
    inert(r)
    assert MESSAGES["E511"].format(value=r"\x1b[31m") in r.stderr


def test_a_file_name_that_is_not_utf8_prints_as_its_bytes(tmp_path):
    name = os.fsdecode(b"\xff\x1b.yaml")  # as the shell passes it: a surrogate per undecodable byte
    r = run_cli("new", "goci-profile", "-o", name, "--no-open", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    inert(r)
    assert r.stdout.startswith(r"created \xff\x1b.yaml: Organized crime index profile")
    r = run_cli("score", str(tmp_path / name), "--framework", str(tmp_path / os.fsdecode(b"\xfe.yaml")))
    assert r.returncode == 1
    inert(r)
    unreadable = f"{tmp_path}/" + r"\xfe.yaml"
    assert str(problem(unreadable, None, "E001", reason="No such file or directory")) in r.stderr.splitlines()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "1e400", "90000", "soon"])
@pytest.mark.parametrize("command", ["report", "compare"])
def test_timeout_must_be_a_finite_number_of_seconds(tmp_path, capsys, command, value):
    store = str(tmp_path / "hq.sqlite")
    argv = {
        "report": ["report", "frameworks/examples/oc-threat.answers.yaml", "-o", str(tmp_path / "r.docx")],
        "compare": ["compare", "--store", store, "-o", str(tmp_path / "s.docx")],
    }[command]
    with pytest.raises(SystemExit) as exc:
        main([*argv, f"--timeout={value}"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --timeout: expected a number of seconds above 0 and at most 86400 (a day), got '{value}'" in err
    assert not (tmp_path / "r.docx").exists()


def test_an_output_file_that_cannot_be_written_is_a_message(hostile, tmp_path):
    missing = tmp_path / "no-such-folder"
    r = run_cli("score", str(hostile), "--format", "csv", "-o", str(missing / "r.csv"))
    assert r.returncode == 1 and r.stdout == ""
    inert(r)
    gone = problem(str(missing / "r.csv"), None, "E413", what="the result", folder=missing, state="does not exist")
    assert r.stderr == f"{gone}\n"


def test_invisible_characters_that_make_two_names_look_alike_are_shown_but_arabic_joiners_stay():
    from assess.terminal import visible

    assert visible("UNMIK\u200b (fictional)\u2060\ufeff") == "UNMIK\\u200b (fictional)\\u2060\\ufeff"
    assert visible("می\u200cخواهم \u200fنص") == "می\u200cخواهم \u200fنص"  # ZWNJ and RLM are part of the text


def test_a_framework_whose_file_name_is_not_utf8_is_validated_and_named_visibly(tmp_path):
    name = os.fsdecode(b"\xff.yaml")
    text = (ROOT / "tests" / "fixtures" / "lakeside.yaml").read_text(encoding="utf-8")
    # its rules name who must act, so validation has nothing to say but the name (W017 is not the point here)
    text = text.replace("\n    section: ", "\n    addressee: jmac\n    section: ")
    assert text.count("addressee: jmac") == text.count("\n  - id: ", text.index("\nrules:"))
    (tmp_path / name).write_bytes(text.encode("utf-8"))
    r = run_cli("validate", name, cwd=tmp_path)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.startswith("\\xff.yaml: valid — lakeside-threat 1.0.0")
