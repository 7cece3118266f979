"""Tests reading a framework at a git revision (PATH@REV) for assess diff: in a repository made for the test, and
each way it can fail with its own code: git missing, no repository, no such revision, no such file at it."""

from __future__ import annotations

import os
import subprocess

import pytest

from assess.cli import main
from assess.errors import AssessError
from assess.revisions import load, read_revision, split

from conftest import need

BASE = """\
id: t
version: 1.0.0
title: T
sections:
  - id: s
    title: S
    questions:
      - {id: q1, text: First, type: yesno}
  - id: u
    title: U
    questions:
      - {id: q3, text: Third, type: yesno}
"""


def git(cwd, *args):
    """Run git in cwd for the test's repository, as a user with a name and no global configuration."""
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="T",
               GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="T", GIT_COMMITTER_EMAIL="t@example.org")  # fmt: skip
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path):
    """A repository holding frameworks/t.yaml at two commits: 1.0.0, then 1.1.0 with a question added."""
    need("git")  # skipped with the install command here, failed in CI (ASSESS_REQUIRE_TOOLS=1)
    root = tmp_path / "repo"
    (root / "frameworks").mkdir(parents=True)
    path = root / "frameworks" / "t.yaml"
    git(root, "init", "-q")
    path.write_text(BASE, encoding="utf-8")
    git(root, "add", "frameworks/t.yaml")
    git(root, "commit", "-q", "-m", "1.0.0")
    added = BASE.replace("version: 1.0.0", "version: 1.1.0").replace(
        "  - id: u\n", "      - {id: q4, text: Fourth, type: text}\n  - id: u\n"
    )
    path.write_text(added, encoding="utf-8")
    git(root, "commit", "-q", "-am", "1.1.0")
    return root


def codes(exc: pytest.ExceptionInfo[AssessError]) -> list[str]:
    return [p.code for p in exc.value.problems]


def test_split_tells_a_revision_from_a_file(tmp_path):
    assert split("frameworks/x.yaml@HEAD~3") == ("frameworks/x.yaml", "HEAD~3")
    assert split("a@b/x.yaml@v1.0") == ("a@b/x.yaml", "v1.0")
    assert split("x.yaml") == ("x.yaml", None)
    assert split("@HEAD") == ("@HEAD", None) and split("x.yaml@") == ("x.yaml@", None)
    odd = tmp_path / "x@v2.yaml"
    odd.write_text(BASE, encoding="utf-8")
    assert split(str(odd)) == (str(odd), None)  # a file that exists is a file


def test_diff_of_a_revision_and_the_working_copy(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo / "frameworks")  # a path relative to the current folder, below the repository's top
    assert main(["diff", "t.yaml@HEAD~1", "t.yaml", "--check-version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("t 1.0.0 → 1.1.0: declared minor, required minor\n")
    assert "+ q4  added: Fourth — allows new answers" in out
    fw, _ = load("t.yaml@HEAD~1")
    assert fw.version == "1.0.0" and "q4" not in fw.questions


def test_a_problem_in_a_revision_is_named_path_at_revision(repo, capsys):
    path = repo / "frameworks" / "t.yaml"
    path.write_text(BASE.replace("title: T\n", "title: [T\n"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "broken")
    assert main(["diff", f"{path}@HEAD", f"{path}@HEAD~1"]) == 2
    err = capsys.readouterr().err
    assert f"{path}@HEAD:" in err and "[E007]" in err


def test_a_revision_that_does_not_exist(repo):
    with pytest.raises(AssessError) as exc:
        read_revision(str(repo / "frameworks" / "t.yaml"), "no-such-branch")
    assert codes(exc) == ["E604"]
    assert "'no-such-branch' is not a revision of the repository" in str(exc.value)


def test_a_revision_that_looks_like_an_option_is_refused(repo):
    with pytest.raises(AssessError) as exc:
        read_revision(str(repo / "frameworks" / "t.yaml"), "--output=/tmp/x")
    assert codes(exc) == ["E604"]


def test_a_file_not_in_the_revision(repo):
    with pytest.raises(AssessError) as exc:
        read_revision(str(repo / "frameworks" / "gone.yaml"), "HEAD")
    assert codes(exc) == ["E605"]
    assert "frameworks/gone.yaml is not in revision 'HEAD'" in str(exc.value)
    with pytest.raises(AssessError) as exc:
        read_revision(str(repo / "frameworks"), "HEAD")  # a folder, not a file
    assert codes(exc) == ["E605"]


def test_a_file_outside_any_repository(tmp_path, repo, monkeypatch):
    outside = tmp_path / "loose"
    outside.mkdir()
    (outside / "t.yaml").write_text(BASE, encoding="utf-8")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # git looks no higher, whatever holds tmp_path
    with pytest.raises(AssessError) as exc:
        read_revision(str(outside / "t.yaml"), "HEAD")
    assert codes(exc) == ["E603"]
    assert f"{outside / 't.yaml'} is not in a git repository (not a git repository" in str(exc.value)


def test_git_missing_is_said_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on it
    assert main(["diff", "frameworks/t.yaml@HEAD~1", "frameworks/t.yaml"]) == 2
    err = capsys.readouterr().err
    assert "frameworks/t.yaml@HEAD~1: reading a git revision needs git, and git was not found" in err
    assert "[E602]" in err


def test_an_answers_file_at_a_revision_is_one_coded_line(repo):
    answers = repo / "frameworks" / "t.answers.yaml"
    answers.write_text(
        "format: assess-answers/1\nframework: {id: t, version: 1.0.0}\nmetadata: {title: A, marking: M}\n",
        encoding="utf-8",
    )
    git(repo, "add", "frameworks/t.answers.yaml")
    git(repo, "commit", "-q", "-m", "answers")
    with pytest.raises(AssessError) as exc:
        load(f"{answers}@HEAD")
    assert codes(exc) == ["E608"] and exc.value.problems[0].file == f"{answers}@HEAD"
    with pytest.raises(AssessError) as exc:
        load(str(answers))
    assert codes(exc) == ["E608"]
    broken = repo / "frameworks" / "t.yaml"
    broken.write_text(BASE.replace("title: T\n", ""), encoding="utf-8")
    with pytest.raises(AssessError) as exc:
        load(str(broken))
    assert codes(exc) == ["E101"]  # a framework with a problem is still told its problem
