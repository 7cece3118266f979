"""The archive of collected files (collect --archive, $ASSESS_ARCHIVE): each file's exact bytes kept once by their
SHA-256, written atomically, checked before they are trusted, never through a link; every revision stored records
its file's SHA-256, archive or not; list --archive names each revision's file."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from assess.answers import check, dumps, load_answers
from assess.cli import main
from assess.collect.archive import Archive, Changed
from assess.collect.store import Store
from assess.errors import problem
from assess.loader import load_framework
from assess.report import render_report
from assess.scoring import score

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "frameworks" / "examples"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """A goci-profile report and a later revision's answers file (another assessment's period)."""
    folder = tmp_path_factory.mktemp("archive")
    fw = load_framework(ROOT / "frameworks" / "goci-profile.yaml")[0]
    answers, _ = load_answers(EXAMPLES / "goci-profile.answers.yaml")
    assert not [p for p in check(fw, answers) if not p.is_warning]
    render_report(score(fw, answers), folder / "goci.docx")
    answers.metadata.update(period="2027-H1", updated="2027-06-01T10:00:00Z")
    (folder / "next.answers.yaml").write_text(dumps(answers), encoding="utf-8")
    return {"report": folder / "goci.docx", "answers": folder / "next.answers.yaml"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def archived(folder: Path) -> list[Path]:
    """Every file in an archive folder (hidden temporary files too)."""
    return sorted(p for p in folder.rglob("*") if not p.is_dir())


def test_two_copies_of_one_file_are_archived_once_byte_for_byte(files, store_address, tmp_path, capsys):
    inbox = tmp_path / "inbox"
    (inbox / "copy").mkdir(parents=True)
    shutil.copyfile(files["report"], inbox / "goci.docx")
    shutil.copyfile(files["report"], inbox / "copy" / "GOCI.DOCX")
    shutil.copyfile(files["answers"], inbox / "next.answers.yaml")
    archive = tmp_path / "archive"
    code, out, err = run(capsys, "collect", str(inbox), "--store", str(store_address), "--archive", str(archive))
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == f"archive {archive}: 2 new files, 1 held already"
    h, a = sha256(files["report"]), sha256(files["answers"])
    report_copy = archive / "sha256" / h[:2] / f"{h}.docx"
    answers_copy = archive / "sha256" / a[:2] / f"{a}.yaml"
    assert archived(archive) == sorted([report_copy, answers_copy])
    assert report_copy.read_bytes() == files["report"].read_bytes()
    assert answers_copy.read_bytes() == files["answers"].read_bytes()
    with Store(store_address) as store:
        held = sorted(r["file_sha256"] for r in store.rows("SELECT file_sha256 FROM assessments"))
    assert held == sorted([h, a])
    # collected again: nothing new, each file checked once
    code, out, err = run(capsys, "collect", str(inbox), "--store", str(store_address), "--archive", str(archive))
    assert code == 0 and out.splitlines()[1] == f"archive {archive}: 0 new files, 3 held already"


def test_every_revision_records_its_files_sha256_without_an_archive(files, store_address, tmp_path, capsys):
    assert run(capsys, "collect", str(files["report"]), str(files["answers"]), "--store", str(store_address))[0] == 0
    with Store(store_address) as store:
        held = {r["source"]: r["file_sha256"] for r in store.rows("SELECT source, file_sha256 FROM assessments")}
    assert held == {str(files["report"]): sha256(files["report"]), str(files["answers"]): sha256(files["answers"])}


def test_the_archive_folder_comes_from_the_environment(files, tmp_path, capsys, monkeypatch):
    archive = tmp_path / "from-env"
    monkeypatch.setenv("ASSESS_ARCHIVE", str(archive))
    store = tmp_path / "hq.sqlite"
    assert run(capsys, "collect", str(files["report"]), "--store", str(store))[0] == 0
    assert [p.name for p in archived(archive)] == [f"{sha256(files['report'])}.docx"]


def test_list_names_each_revisions_archived_file(files, store_address, tmp_path, capsys):
    archive = tmp_path / "archive"
    assert run(capsys, "collect", str(files["answers"]), "--store", str(store_address))[0] == 0  # not archived
    assert (
        run(capsys, "collect", str(files["report"]), "--store", str(store_address), "--archive", str(archive))[0] == 0
    )
    code, out, err = run(capsys, "list", "--store", str(store_address), "--archive", str(archive))
    h = sha256(files["report"])
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4
    assert lines[0].startswith("2027-06-01 10:00  2027-H1") and lines[1] == "  file: not archived"
    assert lines[2].startswith("2026-10-14 16:40  2026-H2")
    assert lines[3] == f"  file: {archive / 'sha256' / h[:2] / (h + '.docx')}"
    # without --archive, list is as it always was
    code, out, err = run(capsys, "list", "--store", str(store_address))
    assert [line[:16] for line in out.splitlines()] == ["2027-06-01 10:00", "2026-10-14 16:40"]
    missing = tmp_path / "no-such-archive"
    code, out, err = run(capsys, "list", "--store", str(store_address), "--archive", str(missing))
    assert code == 1 and err == f"{problem(str(missing), None, 'E508')}\n"


def test_an_altered_archived_copy_is_replaced_and_said(files, tmp_path, capsys):
    archive = tmp_path / "archive"
    store = tmp_path / "hq.sqlite"
    assert run(capsys, "collect", str(files["report"]), "--store", str(store), "--archive", str(archive))[0] == 0
    (copy,) = archived(archive)
    copy.write_bytes(b"not the report")
    code, out, err = run(capsys, "collect", str(files["report"]), "--store", str(store), "--archive", str(archive))
    assert code == 0 and "unchanged 1" in out
    assert err == f"{problem(str(files['report']), None, 'W515', path=copy)}\n"
    assert copy.read_bytes() == files["report"].read_bytes() and archived(archive) == [copy]


def test_no_link_is_followed_out_of_the_archive(files, tmp_path, capsys):
    store = tmp_path / "hq.sqlite"
    outside = tmp_path / "outside"
    outside.mkdir()
    # a copy's name that is a link to a file elsewhere: replaced by the bytes, the file elsewhere untouched
    archive = tmp_path / "archive"
    h = sha256(files["report"])
    (archive / "sha256" / h[:2]).mkdir(parents=True)
    (outside / "victim").write_bytes(b"keep me")
    (archive / "sha256" / h[:2] / f"{h}.docx").symlink_to(outside / "victim")
    code, out, err = run(capsys, "collect", str(files["report"]), "--store", str(store), "--archive", str(archive))
    assert code == 0 and "[W515]" in err
    copy = archive / "sha256" / h[:2] / f"{h}.docx"
    assert not copy.is_symlink() and copy.read_bytes() == files["report"].read_bytes()
    assert (outside / "victim").read_bytes() == b"keep me"
    # a folder of the archive that is a link: refused before anything is collected
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "sha256").symlink_to(outside, target_is_directory=True)
    store2 = tmp_path / "hq2.sqlite"
    code, out, err = run(capsys, "collect", str(files["report"]), "--store", str(store2), "--archive", str(linked))
    assert (code, out) == (1, "") and "[E558]" in err and "is a link" in err
    assert sorted(p.name for p in outside.iterdir()) == ["victim"] and not store2.exists()


def test_an_archive_inside_a_folder_collected_is_refused(files, tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(files["report"], inbox / "goci.docx")
    store = tmp_path / "hq.sqlite"
    for archive, where in ((inbox / "archive", "inside"), (inbox, "the folder")):
        code, out, err = run(capsys, "collect", str(inbox), "--store", str(store), "--archive", str(archive))
        assert code == 1 and out == ""
        assert err == f"{problem(str(archive), None, 'E557', archive=archive, where=where, folder=inbox)}\n"
    assert not store.exists() and not (inbox / "archive").exists()


def test_a_file_that_changed_since_it_was_read_is_not_archived(files, tmp_path):
    archive = Archive(tmp_path / "archive")
    archive.open()
    with pytest.raises(Changed):
        archive.put(files["report"], "0" * 64)  # the bytes read then had another SHA-256
    assert archived(tmp_path / "archive") == [] and archive.new == 0
    path, warning = archive.put(files["report"], sha256(files["report"]))
    assert warning is None and path.read_bytes() == files["report"].read_bytes()
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_file_written_to_while_it_is_read_is_refused(files, tmp_path, capsys, monkeypatch):
    import assess.collect.read as read

    answers = tmp_path / "next.answers.yaml"
    shutil.copyfile(files["answers"], answers)
    hashed = read.digest

    def digest_then_written_to(path):
        got = hashed(path)
        with open(path, "a", encoding="utf-8") as fh:  # the mission's editor saves again just after
            fh.write("# saved again\n")
        return got

    monkeypatch.setattr(read, "digest", digest_then_written_to)
    store = tmp_path / "hq.sqlite"
    code, out, err = run(capsys, "collect", str(answers), "--store", str(store), "--archive", str(tmp_path / "a"))
    assert code == 1 and "rejected 1" in out and err == f"{problem(str(answers), None, 'E559')}\n"
    assert archived(tmp_path / "a") == []
    with Store(store) as s:
        assert s.rows("SELECT seq FROM assessments") == []
