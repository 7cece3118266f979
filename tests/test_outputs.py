"""Tests that nothing a user typed or owns is lost or overwritten by what a command writes (issue 12): an output
that is an input is refused, an existing file that assess did not write is kept unless --force, a missing or
unwritable folder, a folder or a special file as output, and a full disk are coded messages, a command's
outputs are written all or none, -o - prints, and the JSON lists every warning printed."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from assess.cli import main
from assess.errors import problem
from assess.model import ADDRESSEE_LABELS
from assess.output import ACTION_COLUMNS
from assess.report import read_payload

from conftest import ROOT, run_cli

EXAMPLE = ROOT / "frameworks" / "examples" / "goci-profile.answers.yaml"
READS = "replace a file the command reads"
"""What E412 says writing an output over one of the command's inputs would do."""


@pytest.fixture
def answers(tmp_path) -> Path:
    """A copy of an example answers file (it names a bundled framework)."""
    path = tmp_path / "a.yaml"
    shutil.copy(EXAMPLE, path)
    return path


@pytest.fixture(scope="module")
def store_master(tmp_path_factory) -> Path:
    """A headquarters store holding one assessment, collected once for the module."""
    folder = tmp_path_factory.mktemp("hq")
    shutil.copy(EXAMPLE, folder / "a.yaml")
    assert main(["collect", str(folder / "a.yaml"), "--store", str(folder / "hq.sqlite")]) == 0
    return folder / "hq.sqlite"


@pytest.fixture
def store(store_master, tmp_path) -> Path:
    path = tmp_path / "hq.sqlite"
    shutil.copy(store_master, path)
    return path


def here(capsys, *args) -> subprocess.CompletedProcess:
    """Run assess in this process, with run_cli's result: to simulate a full disk, to render without paying the
    imports again, and for a test's further cases (a subprocess costs a second or two)."""
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


def cli(capsys, *args) -> tuple[int, str, str]:
    r = here(capsys, *args)
    return r.returncode, r.stdout, r.stderr


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def said(file, code: str, **fields) -> str:
    """The line a refused run prints: the problem formatted from the message table, as the user sees it."""
    return f"{problem(str(file), None, code, **fields)}\n"


def refused(r, code: str) -> str:
    """The run failed cleanly with one message of code; returns it."""
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.endswith(f"[{code}]\n"), r.stderr
    return r.stderr


def fake_report(path: Path) -> bytes:
    """A .docx that carries an assess payload part, as far as telling an earlier report goes."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("customXml/item1.xml", '<assess xmlns="urn:assess:payload:1" format="assess-payload/1"/>')
    return path.read_bytes()


def word_document(path: Path) -> bytes:
    """Someone's own Word document (the summary template is one: it carries no assess payload or mark)."""
    shutil.copy(ROOT / "templates" / "summary.docx", path)
    return path.read_bytes()


# ---------------------------------------------------------------------------- outputs that are inputs


@pytest.mark.parametrize(
    "args, option",
    [
        (["score", "{a}", "--format", "csv", "-o", "{a}"], "-o"),
        (["report", "{a}", "-o", "{a}"], "-o"),
        (["report", "{a}", "-o", "{t}/r.docx", "--actions", "{a}"], "--actions"),
    ],
    ids=["score", "report", "actions"],
)
def test_an_output_that_is_the_answers_file_is_refused_and_the_answers_kept(answers, tmp_path, args, option):
    before = answers.read_bytes()
    r = run_cli(*[a.format(a=answers, t=tmp_path) for a in args])
    assert refused(r, "E412") == said(answers, "E412", option=option, other=f"the answers file ({answers})", harm=READS)
    assert answers.read_bytes() == before
    assert listing(tmp_path) == ["a.yaml"]


def test_the_same_file_is_found_through_a_link_and_dot_dot(answers, tmp_path, capsys):
    before = answers.read_bytes()
    (tmp_path / "link.csv").symlink_to("a.yaml")
    for run, out in ((run_cli, tmp_path / "link.csv"), (here, tmp_path / "sub" / ".." / "a.yaml")):
        r = run(*([] if run is run_cli else [capsys]), "score", str(answers), "--format", "csv", "-o", str(out))
        assert refused(r, "E412") == said(out, "E412", option="-o", other=f"the answers file ({answers})", harm=READS)
    assert answers.read_bytes() == before
    assert listing(tmp_path) == ["a.yaml", "link.csv"]


def test_a_report_over_the_framework_the_answers_pin_is_refused_even_with_another_framework(tmp_path, capsys):
    framework = tmp_path / "fw.yaml"
    shutil.copy(ROOT / "frameworks" / "goci-profile.yaml", framework)
    made = here(capsys, "new", framework, "-o", tmp_path / "a.yaml", "--no-open")
    assert made.returncode == 0, made.stderr
    before = framework.read_bytes()
    bundled = ROOT / "frameworks" / "goci-profile.yaml"
    r = run_cli("report", str(tmp_path / "a.yaml"), "--framework", str(bundled), "-o", str(framework))
    pinned = f"the framework the answers pin ({tmp_path}/fw.yaml)"
    assert refused(r, "E412") == said(framework, "E412", option="-o", other=pinned, harm=READS)
    assert framework.read_bytes() == before
    r = here(capsys, "score", tmp_path / "a.yaml", "-o", framework)
    assert refused(r, "E412") == said(framework, "E412", option="-o", other=f"the framework ({framework})", harm=READS)
    assert framework.read_bytes() == before and listing(tmp_path) == ["a.yaml", "fw.yaml"]


def test_compare_refuses_to_write_over_the_store(store, tmp_path, capsys):
    before = store.read_bytes()
    r = run_cli("compare", "--store", str(store), "-o", str(tmp_path / "s.docx"), "--csv", str(store))
    assert refused(r, "E412") == said(store, "E412", option="--csv", other=f"the store ({store})", harm=READS)
    r = here(capsys, "compare", "--store", store, "-o", store)
    assert refused(r, "E412") == said(store, "E412", option="-o", other=f"the store ({store})", harm=READS)
    assert store.read_bytes() == before
    assert listing(tmp_path) == ["hq.sqlite"]


def test_an_output_that_does_not_exist_yet_is_compared_by_its_resolved_path(tmp_path):
    store = tmp_path / "new.sqlite"  # neither exists: the store would be refused (E515) after the check
    out = tmp_path / "x" / ".." / "new.sqlite"
    r = run_cli("compare", "--store", str(store), "-o", str(out))
    assert refused(r, "E412") == said(out, "E412", option="-o", other=f"the store ({store})", harm=READS)
    assert listing(tmp_path) == []


def test_collect_refuses_a_store_that_is_a_file_to_collect(tmp_path):
    empty = tmp_path / "empty.yaml"  # SQLite would make an empty file into a store
    empty.write_bytes(b"")
    r = run_cli("collect", str(empty), "--store", str(empty))
    collected = f"a file to collect ({empty})"
    assert refused(r, "E412") == said(empty, "E412", option="--store", other=collected, harm=READS)
    assert empty.read_bytes() == b"" and listing(tmp_path) == ["empty.yaml"]


def test_two_outputs_naming_one_file_are_refused(answers, tmp_path):
    r = run_cli("report", str(answers), "-o", str(tmp_path / "r.docx"), "--actions", str(tmp_path / "r.docx"))
    report = tmp_path / "r.docx"
    both = "make one output overwrite the other"
    assert refused(r, "E412") == said(report, "E412", option="--actions", other=f"-o ({report})", harm=both)
    assert listing(tmp_path) == ["a.yaml"]


# ---------------------------------------------------------------------------- folders and special files


def test_a_missing_folder_is_a_message_before_any_rendering(answers, tmp_path, capsys):
    r = run_cli("score", str(answers), "--format", "csv", "-o", str(tmp_path / "nodir" / "x.csv"))
    nodir = tmp_path / "nodir"
    missing = dict(folder=nodir, state="does not exist")
    assert refused(r, "E413") == said(nodir / "x.csv", "E413", what="the result", **missing)
    r = here(capsys, "report", answers, "-o", tmp_path / "r.docx", "--actions", nodir / "a.csv")
    assert refused(r, "E413") == said(nodir / "a.csv", "E413", what="the plan of action", **missing)
    r = here(capsys, "score", answers, "-o", answers / "x.csv")
    assert refused(r, "E413") == said(
        answers / "x.csv", "E413", what="the result", folder=answers, state="is not a folder"
    )
    assert listing(tmp_path) == ["a.yaml"]  # no r.docx, no nodir


@pytest.mark.skipif(not os.path.isdir("/sys/kernel"), reason="needs Linux's /sys, where no one may create files")
def test_a_folder_that_takes_no_files_is_a_message_and_leaves_no_other_output(answers, store, tmp_path, capsys):
    r = run_cli("report", str(answers), "-o", "/sys/kernel/x.docx")
    kernel = "the folder /sys/kernel takes no new files (Permission denied)"
    assert refused(r, "E414") == said("/sys/kernel/x.docx", "E414", what="the report", reason=kernel)
    r = here(capsys, "compare", "--store", store, "-o", tmp_path / "s.docx", "--csv", "/sys/kernel/s.csv")
    assert refused(r, "E414") == said("/sys/kernel/s.csv", "E414", what="the CSV", reason=kernel)
    r = here(capsys, "report", answers, "-o", "/proc/x.docx")
    # the words in brackets are the system's for /proc, which may vary: they are taken from the line itself
    system = r.stderr.partition("takes no new files (")[2].partition(")")[0]
    proc = f"the folder /proc takes no new files ({system})"
    assert refused(r, "E414") == said("/proc/x.docx", "E414", what="the report", reason=proc)
    assert listing(tmp_path) == ["a.yaml", "hq.sqlite"]  # no s.docx


def test_a_folder_or_a_special_file_as_output_is_refused(answers, tmp_path, capsys):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    r = run_cli("score", str(answers), "-o", str(fifo))
    printable = " (or - to print it)"
    assert refused(r, "E415") == said(fifo, "E415", what="the result", kind="a named pipe (FIFO)", hint=printable)
    r = here(capsys, "report", answers, "-o", tmp_path)
    assert refused(r, "E415") == said(tmp_path, "E415", what="the report", kind="a folder", hint="")
    r = here(capsys, "score", answers, "-o", str(tmp_path / "new") + "/")
    assert refused(r, "E415") == said(
        str(tmp_path / "new") + "/", "E415", what="the result", kind="a folder", hint=printable
    )
    assert listing(tmp_path) == ["a.yaml", "pipe.csv"] and fifo.is_fifo()


def test_a_read_only_file_is_not_replaced(answers, tmp_path, capsys):
    out = tmp_path / "r.json"
    out.write_text('{"format": "assess-result/1"}\n')
    out.chmod(0o444)
    read_only = said(out, "E414", what="the result", reason="the file is read-only")
    r = run_cli("score", str(answers), "--format", "json", "-o", str(out))
    assert refused(r, "E414") == read_only
    r = here(capsys, "score", answers, "--format", "json", "-o", out, "--force")
    assert refused(r, "E414") == read_only
    assert out.read_text() == '{"format": "assess-result/1"}\n' and listing(tmp_path) == ["a.yaml", "r.json"]


# ---------------------------------------------------------------------------- files assess did not write


def test_a_file_assess_did_not_write_is_kept_unless_force(answers, tmp_path, capsys):
    notes = tmp_path / "notes.csv"
    notes.write_text("who,what\nme,my notes\n")
    r = run_cli("score", str(answers), "--format", "csv", "-o", str(notes))
    assert refused(r, "E418") == said(notes, "E418", reason="is not a result that 'assess score' wrote")
    assert notes.read_text() == "who,what\nme,my notes\n"
    word = tmp_path / "word.docx"
    before = word_document(word)
    r = here(capsys, "report", answers, "-o", word)
    assert refused(r, "E418") == said(word, "E418", reason="is not a report that 'assess report' wrote")
    assert word.read_bytes() == before
    r = here(capsys, "score", answers, "--format", "csv", "-o", notes, "--force")
    assert r.returncode == 0, r.stderr
    assert notes.read_text().startswith("assessment,framework,version,")
    assert listing(tmp_path) == ["a.yaml", "notes.csv", "word.docx"]


def test_an_earlier_result_of_any_format_is_replaced_and_another_kind_is_not(answers, tmp_path, capsys):
    out = tmp_path / "result.out"
    for fmt in ("json", "csv", "table", "json"):
        code, _, err = cli(capsys, "score", answers, "--format", fmt, "-o", out)
        assert code == 0, err
    assert json.loads(out.read_text())["format"] == "assess-result/1"
    plan = tmp_path / "plan.csv"
    plan.write_text(",".join(ACTION_COLUMNS) + "\n")
    r = here(capsys, "score", answers, "--format", "csv", "-o", plan)
    other_kind = "is a plan of action that 'assess report --actions' wrote, not a result that 'assess score' wrote"
    assert refused(r, "E418") == said(plan, "E418", reason=other_kind)
    assert listing(tmp_path) == ["a.yaml", "plan.csv", "result.out"]


def test_a_plan_of_action_the_mission_began_to_fill_is_kept(answers, tmp_path):
    plan = tmp_path / "plan.csv"
    head = ",".join(ACTION_COLUMNS)
    row = "a1,MINUSKES,2026-H2,1,high,2,Found,Act,JMAC,,r1,Ref,Section,rule"
    plan.write_text(f"\ufeff{head}\n{row},,,\n{row},Maj. Dupont,,\n", encoding="utf-8")
    before = plan.read_bytes()
    r = run_cli("report", str(answers), "-o", str(tmp_path / "r.docx"), "--actions", str(plan))
    filled = "is a plan of action with entries in its owner, due_date or status columns (line 3), which replacing it would lose"
    assert refused(r, "E418") == said(plan, "E418", reason=filled)
    assert plan.read_bytes() == before and listing(tmp_path) == ["a.yaml", "plan.csv"]


def test_rerunning_report_refreshes_it_and_force_replaces_a_word_document(answers, tmp_path, capsys):
    report, plan = tmp_path / "r.docx", tmp_path / "plan.csv"
    assert cli(capsys, "report", answers, "-o", report, "--actions", plan)[0] == 0
    plan_text = plan.read_text()
    report.write_bytes(fake_report(tmp_path / "old.docx"))  # an earlier report: replaced without asking
    os.unlink(tmp_path / "old.docx")
    code, out, err = cli(capsys, "report", answers, "-o", report, "--actions", "-")
    assert code == 0, err
    assert plan_text.startswith("\ufeff")  # a saved plan starts with the byte-order mark, the printed one not
    assert out == plan_text[1:]  # the plan on standard output, the command's own lines on stderr
    assert f"wrote {report}: " in err and zipfile.ZipFile(report).getinfo("word/document.xml")
    word = tmp_path / "word.docx"
    word_document(word)
    code, _, err = cli(capsys, "report", answers, "-o", word, "--actions", plan, "--force")
    assert code == 0, err
    assert read_payload(word)["framework"]["id"] == "goci-profile"
    assert listing(tmp_path) == ["a.yaml", "plan.csv", "r.docx", "word.docx"]


def test_compare_refreshes_its_own_outputs_and_keeps_a_report(store, tmp_path, capsys):
    summary, table = tmp_path / "s.docx", tmp_path / "s.csv"
    for _ in range(2):
        code, _, err = cli(capsys, "compare", "--store", store, "-o", summary, "--csv", table)
        assert code == 0, err
    report = tmp_path / "r.docx"
    before = fake_report(report)
    code, _, err = cli(capsys, "compare", "--store", store, "-o", report)
    other_kind = "is a report that 'assess report' wrote, not a summary that 'assess compare' wrote"
    assert code == 1 and err == said(report, "E418", reason=other_kind)
    assert report.read_bytes() == before
    assert listing(tmp_path) == ["hq.sqlite", "r.docx", "s.csv", "s.docx"]


# ---------------------------------------------------------------------------- a full disk, all or none


def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_while_writing_a_score_leaves_the_old_file(answers, tmp_path, capsys, monkeypatch):
    out = tmp_path / "r.csv"
    assert cli(capsys, "score", answers, "--format", "csv", "-o", out)[0] == 0
    before = out.read_bytes()
    monkeypatch.setattr(os, "write", enospc)
    code, stdout, err = cli(capsys, "score", answers, "--format", "json", "-o", out)
    monkeypatch.undo()
    assert (code, stdout) == (1, "")
    assert err == said(out, "E416", what="the result", reason=os.strerror(errno.ENOSPC))
    assert out.read_bytes() == before and listing(tmp_path) == ["a.yaml", "r.csv"]


def test_a_full_disk_while_rendering_or_syncing_a_report_leaves_both_old_outputs(
    answers, tmp_path, capsys, monkeypatch
):
    report, plan = tmp_path / "r.docx", tmp_path / "plan.csv"
    old_report = fake_report(report)
    plan.write_text(",".join(ACTION_COLUMNS) + "\n")
    old_plan = plan.read_bytes()
    import docxtpl

    monkeypatch.setattr(docxtpl.DocxTemplate, "save", enospc)  # in the forked renderer
    code, _, err = cli(capsys, "report", answers, "-o", report, "--actions", plan)
    monkeypatch.undo()
    full = said(report, "E416", what="the report", reason=os.strerror(errno.ENOSPC))
    assert code == 1 and err.endswith(full)
    monkeypatch.setattr(os, "fsync", enospc)  # the rendering done, the disk fills as the files are flushed
    code, _, err = cli(capsys, "report", answers, "-o", report, "--actions", plan)
    monkeypatch.undo()
    assert code == 1 and err.endswith(full)
    assert "Traceback" not in err
    assert report.read_bytes() == old_report and plan.read_bytes() == old_plan
    assert listing(tmp_path) == ["a.yaml", "plan.csv", "r.docx"]


def test_a_failure_renaming_the_second_output_puts_the_first_back(store, tmp_path, capsys, monkeypatch):
    summary, table = tmp_path / "s.docx", tmp_path / "s.csv"
    assert cli(capsys, "compare", "--store", store, "-o", summary, "--csv", table)[0] == 0
    table.write_text(table.read_text().replace("\n", "\r\n", 1))  # the same kind of file, other bytes
    before = {p: p.read_bytes() for p in (summary, table)}
    replace, calls = os.replace, []

    def second_fails(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        replace(src, dst)

    monkeypatch.setattr(os, "replace", second_fails)
    code, out, err = cli(capsys, "compare", "--store", store, "-o", summary, "--csv", table)
    monkeypatch.undo()
    assert (code, out) == (1, "")
    assert err == said(table, "E417", what="the CSV", reason=os.strerror(errno.EIO))
    assert {p: p.read_bytes() for p in before} == before
    assert listing(tmp_path) == ["hq.sqlite", "s.csv", "s.docx"]


# ---------------------------------------------------------------------------- standard output and warnings


def test_dash_prints_a_text_output_and_refuses_a_word_document(answers, store, tmp_path, capsys):
    r = run_cli("score", str(answers), "--format", "json", "-o", "-")
    assert r.returncode == 0 and json.loads(r.stdout)["format"] == "assess-result/1"
    r = run_cli("report", str(answers), "-o", "-")
    assert refused(r, "E419") == said("-o -", "E419", what="the report", option="-o", example="report.docx")
    r = here(capsys, "compare", "--store", store, "-o", "-", "--csv", tmp_path / "s.csv")
    assert refused(r, "E419") == said("-o -", "E419", what="the summary", option="-o", example="summary.docx")
    assert listing(tmp_path) == ["a.yaml", "hq.sqlite"]


def test_score_json_lists_every_warning_it_printed(answers, tmp_path):
    text = answers.read_text()
    older = tmp_path / "older.yaml"  # another version (W001) with an answer to no question (W002)
    older.write_text(
        re.sub(r"(?m)^  version: .*$", '  version: "0.9.0"', text, count=1).replace(
            "answers:\n", "answers:\n  gone: {value: 3}\n", 1
        )
    )
    changed = tmp_path / "changed.yaml"  # the same version, but the framework changed since (W005)
    changed.write_text(re.sub(r"hash: sha256:[0-9a-f]{4}", "hash: sha256:0000", text, count=1))
    for path, codes in ((older, ["W001", "W002"]), (changed, ["W005"])):
        r = run_cli("score", str(path), "--format", "json")
        assert r.returncode == 0, r.stderr
        printed = r.stderr.splitlines()
        assert [line[-5:-1] for line in printed] == codes
        assert json.loads(r.stdout)["warnings"] == printed


def test_a_plan_of_action_written_before_actions_named_their_addressee_is_an_earlier_plan(answers, tmp_path):
    """A plan CSV from before issue 16 (no addressee column), still empty, is refreshed; the new one names who acts."""
    plan = tmp_path / "plan.csv"
    old = [c for c in ACTION_COLUMNS if c != "addressee"]
    plan.write_text("\ufeff" + ",".join(old) + "\n", encoding="utf-8")
    r = run_cli("report", str(answers), "-o", str(tmp_path / "r.docx"), "--actions", str(plan))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(plan.read_text(encoding="utf-8-sig"))))
    assert rows and all(row["addressee"] for row in rows)
    assert {row["addressee"] for row in rows} <= set(ADDRESSEE_LABELS.values())
