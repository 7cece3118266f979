"""Tests the command line end to end: score in each format, clean failures, fast start, and the ecosystem's
conventions: --version, examples in every -h, shell completion, - for standard input, one meaning per flag, usage
errors of the subcommand, NO_COLOR, progress only on a terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import shlex
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import assess as assess_package
from assess.cli import main, parser
from assess.errors import MESSAGES, problem
from assess.terminal import colour
from assess.yamlsafe import MAX_BYTES

from conftest import ROOT, run_cli

EXAMPLE = "frameworks/examples/oc-threat.answers.yaml"


def test_score_table_fits_80_columns_and_shows_scores_ranking_actions_and_gaps():
    r = run_cli("score", EXAMPLE)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Organized-crime threat assessment (SOCTA style) 2.0.0" in lines[:3]
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
        "grades",
        "requirements",
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
    assert len(blocks) == sum(len(v) for v in data["entities"].values()) == 22  # 4 groups, 15 markets, 3 judgements
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


# ---------------------------------------------------------------------------- the ecosystem's conventions


def assess(*args: str, stdin: bytes | None = None, cwd: Path | str = ROOT, stderr=subprocess.PIPE):
    """Run `python -m assess ARGS` with bytes on its standard input, as `... | assess ARGS -` would."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "assess", *args], input=stdin, stdout=subprocess.PIPE, stderr=stderr, cwd=cwd, env=env
    )


def help_of(capsys, *args: str) -> str:
    """What `assess ARGS -h` prints."""
    with pytest.raises(SystemExit) as exit_:
        main([*args, "-h"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


COMMANDS = sorted(parser().commands.choices)  # type: ignore[union-attr]


def test_version_is_the_installed_package_version():
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout == f"assess {metadata.version('assess')}\n"
    assert metadata.version("assess") == assess_package.__version__  # the two places that say it agree


def test_version_of_a_checkout_run_without_installing_is_the_one_pyproject_gives(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "assess", checkout / "assess", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", checkout)
    code = "from assess.arguments import version; print(version())"
    r = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, cwd=checkout)  # -S: no site
    assert r.stdout == f"{metadata.version('assess')} (checkout, not installed)\n", r.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_ends_with_examples_of_itself(capsys, command):
    text = help_of(capsys, command)
    examples = text.split("\nexamples:\n", 1)[1].splitlines()
    assert examples and all(line.startswith(f"  assess {command}") for line in examples)


def test_the_read_only_examples_of_validate_and_score_run_as_written(capsys):
    lines = [
        line.strip() for c in ("validate", "score") for line in help_of(capsys, c).split("examples:")[1].splitlines()
    ]
    runnable = [line for line in lines if line and " -o " not in line]
    assert len(runnable) >= 4
    for line in runnable:
        command = line.replace("assess", shlex.join([sys.executable, "-m", "assess"]), 1)
        r = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 0, (line, r.stderr)


def test_usage_errors_show_the_subcommand_usage(capsys):
    for args, command in (
        (["score"], "score"),
        (["report", "x.yaml"], "report"),
        (["collect", "--jobs", "0", "x"], "collect"),
        (["score", EXAMPLE, "--bogus"], "score"),
        (["list", "--bogus"], "list"),
    ):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        err = capsys.readouterr().err
        assert exit_.value.code == 2
        assert err.startswith(f"usage: assess {command} "), err
        assert f"\nassess {command}: error: " in err
    with pytest.raises(SystemExit):
        main(["score", EXAMPLE, "--bogus"])
    assert capsys.readouterr().err.endswith("assess score: error: unrecognized arguments: --bogus\n")


def test_validate_reads_a_framework_on_standard_input():
    text = (ROOT / "frameworks/oc-threat.yaml").read_bytes()
    r = assess("validate", "-", "frameworks/goci-profile.yaml", stdin=text)
    assert r.returncode == 0, r.stderr
    first, second = r.stdout.decode().splitlines()
    assert first.startswith("<stdin>: valid — oc-threat 2.0.0, 8 sections")
    assert second.startswith("frameworks/goci-profile.yaml: valid — goci-profile")


def test_score_reads_answers_on_standard_input_as_it_reads_the_file():
    from_file = run_cli("score", EXAMPLE, "--format", "json").stdout
    r = assess("score", "-", "--format", "json", stdin=(ROOT / EXAMPLE).read_bytes())
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == from_file


def test_standard_input_is_named_and_refused_like_a_file():
    r = assess("score", "-", stdin=b"a: 1\0")
    assert r.stderr.decode() == f"{problem('<stdin>', None, 'E004')}\n" and r.returncode == 1
    r = assess("validate", "-", stdin=b"a: \xff\n")
    reason = "byte 0xff at line 1, column 4"
    assert r.stderr.decode().startswith(f"{problem('<stdin>', (1, 4), 'E003', reason=reason)}\n")
    r = assess("score", "-", stdin=b"")
    assert r.stderr.decode() == f"{problem('<stdin>', None, 'E002')}\n"


def test_standard_input_is_read_no_further_than_the_limit_of_a_file(tmp_path):
    r = assess("score", "-", stdin=b"#" * (MAX_BYTES + 10))  # piped: its size is not known before reading
    assert r.returncode == 1
    assert r.stderr.decode() == f"<stdin>: {MESSAGES['E020'].format(limit=MAX_BYTES)} [E020]\n"
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 10))
    with big.open("rb") as redirected:  # a file redirected in: refused by its size, unread
        r = subprocess.run(
            [sys.executable, "-m", "assess", "validate", "-"], stdin=redirected, capture_output=True, cwd=ROOT
        )
    expected = problem("<stdin>", None, "E005", size=MAX_BYTES + 10, limit=MAX_BYTES)
    assert r.stderr.decode().startswith(f"{expected}\n")


SMALL = """\
id: small-cli
version: 1.0.0
title: Small
sections:
  - id: s
    title: S
    questions:
      - {id: q, text: Q, type: number, min: 0, max: 10}
"""


def test_answers_on_standard_input_find_a_pinned_framework_from_the_current_folder(tmp_path):
    (tmp_path / "small.yaml").write_text(SMALL)
    r = assess("new", "small.yaml", "-o", "small.answers.yaml", "--no-open", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "small.answers.yaml").read_bytes()
    r = assess("score", "-", "--format", "json", stdin=text, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["framework"]["id"] == "small-cli"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = assess("score", "-", stdin=text, cwd=elsewhere)
    known = ", ".join(sorted(p.stem for p in (ROOT / "frameworks").glob("*.yaml")))
    assert r.stderr.decode() == f"{problem('<stdin>', None, 'E313', ref='small-cli', known=known)}\n"


def on_a_terminal(*args: str, stdin: bytes | None = None, env: dict | None = None):
    """Run `python -m assess ARGS` with its standard error on a terminal (a pty): the finished process and what the
    terminal was sent."""
    main_fd, terminal = pty.openpty()
    try:
        r = subprocess.run(
            [sys.executable, "-m", "assess", *args],
            input=stdin,
            stdout=subprocess.PIPE,
            stderr=terminal,
            cwd=ROOT,
            env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})),
        )
        os.close(terminal)
        seen = b""
        while True:
            try:
                chunk = os.read(main_fd, 4096)
            except OSError:  # Linux: the terminal's other end is closed and everything was read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(main_fd)
    return r, seen.decode()


def test_report_renders_answers_from_standard_input_with_a_status_line_only_on_a_terminal(tmp_path):
    out = tmp_path / "report.docx"
    r, shown = on_a_terminal("report", "-", "-o", str(out), stdin=(ROOT / EXAMPLE).read_bytes())
    assert r.returncode == 0 and out.stat().st_size > 0
    assert r.stdout.decode().startswith(f"wrote {out}: Organized-crime threat assessment")
    assert shown == "\r\x1b[Krendering the report of <stdin>…\r\x1b[K", shown


def test_compare_and_list_take_a_framework_file_for_its_id_and_stay_quiet_when_piped(tmp_path):
    store = str(tmp_path / "hq.sqlite")
    examples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "frameworks" / "examples").glob("*.answers.yaml"))
    r = run_cli("collect", *examples, "--store", store)  # the six, not the Selvara case's folder beside them
    assert r.returncode == 0, r.stderr
    by_id = run_cli("list", "--store", store, "--framework", "oc-threat")
    by_file = run_cli("list", "--store", store, "--framework", "frameworks/oc-threat.yaml")
    assert by_file.returncode == 0 and by_file.stdout == by_id.stdout and by_file.stderr == by_id.stderr
    assert len(by_id.stdout.splitlines()) == 1 and "oc-threat 2.0.0" in by_id.stdout
    summary = tmp_path / "summary.docx"
    r = run_cli(
        "compare", "--store", store, "--framework", "frameworks/oc-threat.yaml", "-o", str(summary), "--csv", "-"
    )
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and {row["framework"] for row in rows} == {"oc-threat"}
    assert "\x1b" not in r.stderr and "\r" not in r.stderr  # piped: no status line
    assert r.stderr.startswith(f"wrote {summary}: 1 assessment(s), 1 mission(s), 1 framework(s)")


def complete_in_bash(script: str, words: list[str]) -> list[str]:
    """What Tab offers in bash after words (the last one is being typed), with the completion script loaded."""
    line = " ".join(words)
    program = (
        f"source /dev/stdin <<'SCRIPT'\n{script}\nSCRIPT\n"
        f"COMP_WORDS=({shlex.join(words)}); "
        f"COMP_CWORD={len(words) - 1}; COMP_LINE={shlex.quote(line)}; COMP_POINT={len(line)}; "
        "_shtab_assess; printf '%s\\n' \"${COMPREPLY[@]}\""
    )
    r = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_offers_commands_options_files_and_bundled_framework_ids():
    r = run_cli("completion", "bash")
    assert r.returncode == 0 and r.stdout.endswith("complete -o bashdefault -F _shtab_assess assess\n")
    script = r.stdout
    assert "compare" in complete_in_bash(script, ["assess", ""])
    assert complete_in_bash(script, ["assess", "sc"]) == ["score"]
    assert complete_in_bash(script, ["assess", "score", "--f"]) == ["--framework", "--format", "--force"]
    assert complete_in_bash(script, ["assess", "score", "--framework", "oc"]) == ["oc-threat"]
    assert complete_in_bash(script, ["assess", "new", "mission-r"]) == ["mission-readiness", "mission-risk"]
    assert complete_in_bash(script, ["assess", "list", "--framework", "goci"]) == ["goci-profile"]
    assert complete_in_bash(script, ["assess", "score", "frameworks/examples/oc"]) == [EXAMPLE]
    assert complete_in_bash(script, ["assess", "completion", ""]) == ["bash", "zsh", "tcsh"]


@pytest.mark.parametrize("shell", ["zsh", "tcsh"])
def test_zsh_and_tcsh_completion_scripts_load(tmp_path, shell):
    if shutil.which(shell) is None:
        pytest.skip(f"needs {shell}")
    r = run_cli("completion", shell)
    assert r.returncode == 0
    script = tmp_path / "assess.completion"
    script.write_text(r.stdout)
    if shell == "zsh":
        check = subprocess.run(["zsh", "-n", str(script)], capture_output=True, text=True)
        assert "_assess_complete_frameworks_zsh" in r.stdout and "oc-threat" in r.stdout
    else:
        check = subprocess.run(["tcsh", "-f", "-c", f"source {script}; complete"], capture_output=True, text=True)
        assert "c/--framework=/f/" in check.stdout
    assert check.returncode == 0 and check.stderr == "", check.stderr


def test_no_color_turns_colour_off(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert colour()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour()
    monkeypatch.setenv("NO_COLOR", "")  # no-color.org: set and not empty
    assert colour()


def test_a_usage_error_on_a_terminal_with_no_color_has_no_escapes():
    r, shown = on_a_terminal("score", "--bogus", env={"NO_COLOR": "1", "FORCE_COLOR": ""})
    assert r.returncode == 2 and shown.startswith("usage: assess score") and "\x1b" not in shown


def test_a_framework_id_stays_an_id_where_a_folder_or_file_has_its_name(tmp_path):
    """Headquarters keep one folder per framework: `--framework oc-threat` still filters by id there."""
    (tmp_path / "oc-threat").mkdir()
    shutil.copy(ROOT / EXAMPLE, tmp_path / "oc-threat" / "a.answers.yaml")
    (tmp_path / "mission-risk").write_text("not a framework\n")
    store = str(tmp_path / "hq.sqlite")
    assert assess("collect", "oc-threat", "--store", store, cwd=tmp_path).returncode == 0
    r = assess("list", "--store", store, "--framework", "oc-threat", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 1 and b"oc-threat 2.0.0" in r.stdout
    r = assess("score", str(tmp_path / "oc-threat" / "a.answers.yaml"), "--framework", "mission-risk", cwd=tmp_path)
    assert b"[E3" in r.stderr  # the bundled mission-risk framework, which these oc-threat answers do not fit
    r = assess("score", str(tmp_path / "oc-threat" / "a.answers.yaml"), "--framework", "./mission-risk", cwd=tmp_path)
    assert r.returncode == 1 and b"[E3" not in r.stderr  # ./ names the file, which is no framework


def test_standard_input_is_read_once():
    r = run_cli("validate", "-", "-")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == f"{problem('assess validate', None, 'E021', count=2)}\n"


def test_help_version_and_completion_load_none_of_the_core():
    """`assess -h`, --version and completion answer at once: the command line imports the core per command."""
    probe = (
        "import sys; from assess.cli import main\n"
        "for argv in (['--version'], ['frameworks'], ['completion', 'bash'], ['score', '-h']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ('yaml', 'jinja2', 'docx', 'textual', 'assess.loader', 'assess.scoring', 'assess.pipeline')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stderr == "[]\n", r.stderr
