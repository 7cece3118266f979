"""Headquarters collection: reports and answers files collected into one store, revisions superseding,
every rejection with its reason, kills leaving the store consistent, and the comparison in Word and CSV."""

from __future__ import annotations

import copy
import csv
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from docx import Document
from hqfiles import EXAMPLES, NAMES, reports_like
from pgserver import BACKENDS, dump, fetch, new_address

from assess.answers import dumps, load_answers
from assess.cli import main
from assess.collect.collect import collect
from assess.collect.compare import CSV_COLUMNS, compare, to_csv
from assess.collect.periods import period_range
from assess.collect.readers import PARALLEL_MIN
from assess.collect.store import SCHEMA_VERSION, Store
from assess.collect.summary import render_summary
from assess.collect.template import DEFAULT as SUMMARY_TEMPLATE
from assess.collect.template import build as build_template
from assess.errors import MESSAGES, AssessError, problem
from assess.loader import load_framework
from assess.report import read_payload, render_report
from assess.report.payload import embed, strip
from assess.report.render import text_of
from assess.report.word import PROPERTY_LIMIT, plain
from assess.scoring import score

ROOT = Path(__file__).resolve().parent.parent
# the reports collected (made, reports_like) are tests/hqfiles.py's; the store each test collects into is a SQLite
# file or a PostgreSQL database (store_address, tests/pgserver.py): every test of the store runs on both


def run(*argv: str, capsys) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# ---------------------------------------------------------------------------- collecting


def test_collect_the_examples_then_again_changes_nothing(made, store_address):
    with Store(store_address) as store:
        first = collect([made["inbox"]], store)
        assert (first.collected, first.unchanged, first.superseded, len(first.rejected)) == (6, 0, 0, 0)
        assert first.summary() == "collected 6, unchanged 0, superseded 0, rejected 0"
        before = fetch(store, "SELECT COUNT(*) FROM answers")[0][0]
        again = collect([made["inbox"], made["inbox"] / "oc-threat.docx"], store)
        assert (again.collected, again.unchanged) == (0, 6)  # the file named twice is collected once
        # the answers files the reports were made from carry the same payload: the same revisions
        answers = collect(sorted(EXAMPLES.glob("*.answers.yaml")), store)  # the six, not the Selvara case beside them
        assert answers.unchanged == 6 and answers.collected == 0
        assert fetch(store, "SELECT COUNT(*) FROM answers")[0][0] == before
        assert store.counts() == {"assessments": 6, "revisions": 6, "frameworks": 6}
        assert store.check() == []
        (row,) = fetch(
            store,
            "SELECT framework_id, framework_version, framework_hash, mission, period, "
            "analyst, marking, source_kind, is_current FROM assessments WHERE framework_id = "
            "'goci-profile'",
        )
    assert row == (
        "goci-profile",
        "1.1.0",
        load_framework(ROOT / "frameworks/goci-profile.yaml")[0].hash,
        "UN Integrated Mission in Varonia (UNIMVA) (fictional)",
        "2026-H2",
        "JMAC organized crime cell (fictional)",
        "UN RESTRICTED",
        "report",
        1,
    )


def test_every_answer_and_score_is_stored(made, store_address):
    payload = read_payload(made["inbox"] / "oc-threat.docx")
    with Store(store_address) as store:
        collect([made["inbox"] / "oc-threat.docx"], store)

        def one(sql: str) -> tuple:
            (row,) = fetch(store, sql)
            return row

        assert one("SELECT COUNT(*) FROM answers") == (len(payload["result"]["questions"]),)
        status, value, conf, sources = one(
            "SELECT status, value, confidence, sources FROM answers WHERE question_id = 'active_groups_estimate'"
        )
        assert (status, value, conf, sources) == ("answered", "23", '"medium"', 2)
        groups = one("SELECT exact, display, rating FROM scores WHERE kind = 'section' AND score_id = 'groups'")
        g = next(s for s in payload["result"]["sections"] if s["id"] == "groups")
        assert groups == (g["exact"], g["display"], g["rating"]) == (g["exact"], "22.50", "Very high")
        assert one("SELECT COUNT(*) FROM scores WHERE kind = 'entity'")[0] > 0
        assert one("SELECT COUNT(*) FROM recommendations") == (len(payload["result"]["recommendations"]),)
        unknown = [x for x in payload["result"]["gaps"] if x["kind"] == "unknown"]
        assert one("SELECT COUNT(*) FROM gaps WHERE kind = 'unknown'") == (len(unknown),) == (11,)


def test_a_newer_revision_supersedes_and_the_older_is_kept_as_history(made, store_address, capsys):
    store_path = store_address
    with Store(store_path) as store:
        collect([made["inbox"]], store)
        newer = collect([made["revised"][1]], store)
        assert newer.superseded == 1 and newer.summary().startswith("collected 0, unchanged 0, superseded 1")
        late = collect([made["older"][0]], store)  # an older revision arriving late (as an answers file)
        assert late.history == 1 and "older revisions kept as history 1" in late.summary()
        assert store.check() == []
        held = fetch(
            store, "SELECT updated, is_current FROM assessments WHERE framework_id = 'goci-profile' ORDER BY updated"
        )
        assert held == [("2026-10-01T10:00:00Z", 0), ("2026-10-14T16:40:00Z", 0), ("2026-10-20T10:00:00Z", 1)]
        smuggling = fetch(
            store,
            "SELECT x.value FROM answers x JOIN assessments a ON a.seq = x.seq WHERE a.is_current = 1 AND "
            "x.question_id = 'human_smuggling'",
        )
        assert smuggling == [("8",)]
    code, out, err = run("list", "--store", str(store_path), "--framework", "goci-profile", capsys=capsys)
    assert code == 0 and len(out.splitlines()) == 1
    assert out.startswith("2026-10-20 10:00  2026-H2   goci-profile 1.1.0  UNIMVA  2b6f1c9e  Organized crime index")
    assert out.rstrip().endswith("(3 revisions, draft)")
    code, out, err = run("list", "--store", str(store_path), "--framework", "goci-profile", "--all", capsys=capsys)
    assert [line[:16] for line in out.splitlines()] == ["2026-10-20 10:00", "2026-10-14 16:40", "2026-10-01 10:00"]
    assert sum("superseded" in line for line in out.splitlines()) == 2
    assert err == f"3 revision(s) in {store_path} (framework goci-profile)\n"


def test_list_is_newest_first_and_filters(made, store_address, tmp_path, capsys):
    store_path = store_address
    assert run("collect", str(made["inbox"]), str(made["extra"]), "--store", str(store_path), capsys=capsys)[0] == 0
    code, out, err = run("list", "--store", str(store_path), capsys=capsys)
    lines = out.splitlines()
    assert len(lines) == 8
    assert lines == sorted(lines, reverse=True)
    assert [line.split()[5] for line in lines] == [
        "UNMIRT",
        "UNISMAR",
        "MINUVEL",
        "UNISMIN",
        "UNIMVA",
        "MINUSKES",
        "UNIMVA",
        "UNIMVA",
    ]
    code, out, _ = run("list", "--store", str(store_path), "--mission", "varonia", "--since", "2026", capsys=capsys)
    assert [line.split()[2] for line in out.splitlines()] == ["2026-H2", "2026-H1"]
    code, out, _ = run("list", "--store", str(store_path), "--until", "2025-12", capsys=capsys)
    assert [line.split()[2] for line in out.splitlines()] == ["2025-H2"]
    code, _, err = run("list", "--store", str(store_path), "--since", "last year", capsys=capsys)
    assert code == 1
    assert err == f"{problem('--since', None, 'E511', value='last year')}\n"
    none = tmp_path / "none.sqlite"  # listing a store file that does not exist (SQLite's own) makes none
    code, _, err = run("list", "--store", str(none), capsys=capsys)
    assert code == 1 and str(problem(str(none), None, "E515", path=none)) in err and not none.exists()


# ---------------------------------------------------------------------------- rejections


def _rewrite_payload_part(src: Path, out: Path, change) -> None:
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            data = z.read(info)
            if re.match(r"customXml/item\d+\.xml$", info.filename) and b"urn:assess:payload" in data:
                data = change(data)
            w.writestr(info, data)


@pytest.fixture(scope="session")
def bad(made, tmp_path_factory):
    """One file of each kind collect refuses, with the reason and the message it must give."""
    d = tmp_path_factory.mktemp("bad")
    good = made["inbox"] / "oc-threat.docx"
    files = {}
    (d / "notes.docx").write_text("Meeting notes, not a report\n", encoding="utf-8")
    files["notes.docx"] = ("not-docx", "E501", {"detail": "it is a text file (.docx), not a Word document"})
    (d / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    pdf = "it is a PDF, which carries no payload: collect the .docx it was made from (report --pdf writes both)"
    files["scan.pdf"] = ("not-docx", "E501", {"detail": pdf})
    with zipfile.ZipFile(d / "archive.docx", "w") as z:
        z.writestr("readme.txt", "hello")
    files["archive.docx"] = ("not-docx", "E501", {"detail": "it is a zip archive without a Word document"})
    data = good.read_bytes()
    (d / "truncated.docx").write_bytes(data[: len(data) // 2])
    files["truncated.docx"] = (
        "corrupt-zip",
        "E502",
        {"detail": "it starts as a zip archive but cannot be read (File is not a zip file)"},
    )
    doc = Document()
    doc.add_paragraph("A report typed by hand")
    doc.save(d / "handmade.docx")
    files["handmade.docx"] = (
        "no-payload",
        "E503",
        {
            "detail": "this Word document carries no assess payload; it was not made by 'assess report', or the "
            "payload was removed"
        },
    )

    def lowered(part: bytes) -> bytes:
        """The payload with the gravest group's displayed score lowered (its SHA-256 left as it was)."""
        assert b'"display":"22.50"' in part
        return part.replace(b'"display":"22.50"', b'"display":"12.50"', 1)

    _rewrite_payload_part(good, d / "altered.docx", lowered)
    files["altered.docx"] = (
        "payload-altered",
        "E504",
        {"detail": "its SHA-256 does not match its content, so it was changed after the report was made"},
    )
    _rewrite_payload_part(good, d / "broken-xml.docx", lambda b: b.replace(b"</assess>", b"</asses>"))
    files["broken-xml.docx"] = ("payload-altered", "E504", {"detail": None})
    payload = read_payload(good)
    strip(good, d / "bare.docx")
    future = copy.deepcopy(payload)
    future["format"] = "assess-payload/9"
    shutil.copyfile(d / "bare.docx", d / "future.docx")
    embed(d / "future.docx", future)
    files["future.docx"] = (
        "unsupported-payload",
        "E514",
        {"detail": "unknown payload format 'assess-payload/9'; expected assess-payload/1"},
    )
    nameless = copy.deepcopy(payload)
    nameless["framework"] = {}
    shutil.copyfile(d / "bare.docx", d / "nameless.docx")
    embed(d / "nameless.docx", nameless)
    files["nameless.docx"] = (
        "unknown-framework",
        "E505",
        {"detail": "the payload names no framework, so 'assess report' did not make it"},
    )
    (d / "bare.docx").unlink()
    text = (EXAMPLES / "sanctions-coherence.answers.yaml").read_text(encoding="utf-8")
    (d / "stranger.answers.yaml").write_text(
        text.replace("id: sanctions-coherence", "id: piracy-watch", 1), encoding="utf-8"
    )
    files["stranger.answers.yaml"] = (
        "unknown-framework",
        "E505",
        {
            "detail": (
                "'piracy-watch' is neither beside the answers nor bundled (bundled: crime-politics-nexus, goci-profile, "
                "mission-readiness, mission-risk, oc-threat, sanctions-coherence); put the framework file beside "
                "the answers and pin it with 'path'"
            )
        },
    )
    (d / "broken.yaml").write_text("format: assess-answers/1\nid: [unclosed\n", encoding="utf-8")
    files["broken.yaml"] = ("unreadable-yaml", "E506", {"detail": None})
    (d / "shopping.yml").write_text("- eggs\n- milk\n", encoding="utf-8")
    files["shopping.yml"] = ("unreadable-yaml", "E506", {"detail": None})
    text = (EXAMPLES / "oc-threat.answers.yaml").read_text(encoding="utf-8")
    (d / "wrong-value.answers.yaml").write_text(text.replace("value: 23\n", "value: many\n", 1), encoding="utf-8")
    files["wrong-value.answers.yaml"] = ("invalid-answers", "E507", {"framework": "oc-threat 2.0.0", "detail": None})
    return d, files


def test_every_rejection_names_its_reason_and_the_rest_are_collected(made, bad, tmp_path):
    folder, expected = bad
    with Store(tmp_path / "hq.sqlite") as store:
        result = collect(
            [folder / "scan.pdf", folder, made["inbox"] / "goci-profile.docx", tmp_path / "gone.docx"], store
        )
    assert result.collected == 1
    by_name = {Path(o.path).name: o for o in result.rejected}
    assert set(by_name) == set(expected) | {"gone.docx"}
    assert by_name["gone.docx"].reason == "missing"
    assert by_name["gone.docx"].problem == problem(str(tmp_path / "gone.docx"), None, "E508")
    for name, (reason, code, fields) in expected.items():
        o = by_name[name]
        assert (o.reason, o.problem.code) == (reason, code), name
        if all(v is not None for v in fields.values()):
            assert o.problem == problem(o.path, None, code, **fields), name

    def opening(code: str, detail: str, **fields) -> str:
        """How the message of code begins when its detail begins with detail."""
        return MESSAGES[code].split("{detail}")[0].format(**fields) + detail

    assert by_name["broken-xml.docx"].problem.message.startswith(
        opening("E504", "the payload part is not well-formed XML (")
    )
    assert MESSAGES["E007"].split(":")[0] in by_name["broken.yaml"].problem.message
    assert by_name["shopping.yml"].problem.message.startswith(opening("E506", "not an answers file: "))
    wrong_value = by_name["wrong-value.answers.yaml"].problem.message
    assert wrong_value.startswith(opening("E507", "line ", framework="oc-threat 2.0.0"))
    e305 = MESSAGES["E305"].format(qid="active_groups_estimate", expected="a number", found="the text 'many'")
    assert f"{e305} [E305]" in wrong_value
    # every class of the issue is covered
    assert {o.reason for o in result.rejected} >= {
        "not-docx",
        "corrupt-zip",
        "no-payload",
        "payload-altered",
        "unknown-framework",
        "unreadable-yaml",
    }


def test_collect_command_prints_why_and_exits_1(made, bad, store_address, capsys):
    folder, _ = bad
    store_path = store_address
    code, out, err = run(
        "collect", str(made["inbox"]), str(folder / "altered.docx"), "--store", str(store_path), capsys=capsys
    )
    assert code == 1
    assert out == f"collected 6, unchanged 0, superseded 0, rejected 1 (store {store_path})\n"
    detail = "its SHA-256 does not match its content, so it was changed after the report was made"
    assert err == f"{problem(str(folder / 'altered.docx'), None, 'E504', detail=detail)}\n"
    code, out, err = run("collect", str(made["inbox"]), "--store", str(store_path), capsys=capsys)
    assert (code, out, err) == (0, f"collected 0, unchanged 6, superseded 0, rejected 0 (store {store_path})\n", "")


def test_folders_skip_other_files_and_read_framework_files(made, tmp_path):
    folder = tmp_path / "mail"
    shutil.copytree(made["v11"], folder / "v11")
    (folder / "~$oc-threat.docx").write_bytes(b"lock")  # Word's lock file
    (folder / "cover-letter.txt").write_text("please find attached", encoding="utf-8")
    (folder / ".hidden.docx").write_text("x", encoding="utf-8")
    with Store(tmp_path / "hq.sqlite") as store:
        result = collect([folder], store)
    assert [(Path(o.path).name, o.status) for o in result.outcomes] == [
        ("oc-threat-2.1.0.yaml", "framework"),
        ("unmt.answers.yaml", "collected"),
    ]
    assert result.ignored == 1 and not result.rejected
    assert result.summary() == (
        "collected 1, unchanged 0, superseded 0, frameworks read 1, rejected 0, other files ignored 1"
    )


# ---------------------------------------------------------------------------- killed collects


def _contents(address: Path | str) -> set:
    with Store(address) as store:
        return set(
            fetch(
                store,
                "SELECT assessment_id, period, revision, is_current, n_answers, n_scores, "
                "n_recommendations, n_gaps FROM assessments",
            )
        )


def _mission_risk_like(made, folder: Path, n: int) -> list[Path]:
    """n reports of mission-risk's example payload, as n other assessments."""
    return reports_like(made["inbox"] / "mission-risk.docx", folder, range(n))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_collect_killed_at_any_moment_leaves_the_store_consistent_and_a_rerun_completes(
    made, backend, request, tmp_path
):
    folder = tmp_path / "inbox"
    folder.mkdir()
    _mission_risk_like(made, folder, 60)
    shutil.copytree(made["extra"], folder / "extra")
    for name in NAMES:
        shutil.copyfile(EXAMPLES / f"{name}.answers.yaml", folder / f"{name}.answers.yaml")
    files, total = 60 + 4 + 6, 60 + 2 + 6  # each extra period is there as a report and as its answers file
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    def start(store: Path | str):
        return subprocess.Popen(
            [sys.executable, "-m", "assess", "collect", str(folder), "--store", str(store)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    (tmp_path / "reference").mkdir()
    reference = new_address(request, backend, tmp_path / "reference")
    t = time.monotonic()
    assert start(reference).wait(timeout=300) == 0
    took = time.monotonic() - t
    expected = _contents(reference)
    assert len(expected) == total
    store = new_address(request, backend, tmp_path)
    rng = random.Random(6)
    seen, partial = 0, 0
    for _ in range(14):
        proc = start(store)
        time.sleep(rng.uniform(0.05, took))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 10
        while _readers_of(store) and time.monotonic() < deadline:  # its readers see it gone and exit
            time.sleep(0.1)
        assert _readers_of(store) == []
        if isinstance(store, Path) and not store.exists():  # killed before it made the SQLite file
            continue
        with Store(store) as s:
            assert s.check() == []
            held = s.counts()["revisions"]
        assert held >= seen  # committed work is never lost
        partial += 0 < held - seen
        seen = held
        if held == total:
            break
    assert partial >= 1, "no kill landed in the middle of a collect"
    with Store(store) as s:
        rerun = collect([folder], s)
        assert not rerun.rejected
        assert rerun.collected + rerun.unchanged == files
        assert s.check() == []
    assert _contents(store) == expected


@pytest.mark.parametrize("backend", BACKENDS)
def test_reader_processes_store_exactly_what_one_process_stores(made, bad, backend, request, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    _mission_risk_like(made, folder, 24)
    shutil.copytree(bad[0], folder / "bad")
    shutil.copytree(made["v11"], folder / "v11")  # a framework file, then answers on it, in that order
    shutil.copytree(made["inbox"], folder / "examples")
    shutil.copyfile(made["inbox"] / "oc-threat.docx", folder / "oc-threat-copy.docx")  # the same revision twice
    for copy_ in (1, 2):  # answers files without an id (W501), twice: the second copy is unchanged, unwarned
        text = (EXAMPLES / "goci-profile.answers.yaml").read_text(encoding="utf-8")
        (folder / f"noid-{copy_}.answers.yaml").write_text(re.sub(r"^id: .*\n", "", text, flags=re.M), encoding="utf-8")
    results, stores = {}, {}
    for jobs in (1, 3):
        (tmp_path / f"jobs{jobs}").mkdir()
        stores[jobs] = new_address(request, backend, tmp_path / f"jobs{jobs}")
        with Store(stores[jobs]) as store:
            results[jobs] = collect([folder], store, jobs=jobs)
    assert [results[1].readers, results[3].readers] == [0, 3]  # only the second collect used readers
    one, three = results[1], results[3]
    assert len(one.outcomes) >= PARALLEL_MIN
    assert one.outcomes == three.outcomes and one.warnings == three.warnings
    assert one.summary() == three.summary()
    assert one.summary() == (
        "collected 32, unchanged 2, superseded 0, frameworks read 1, rejected 12, other files ignored 1"
    )
    assert [Path(w.file).name for w in one.warnings if w.code == "W501"] == ["noid-1.answers.yaml"]
    assert dump(stores[1]) == dump(stores[3])


def test_a_collect_reads_in_process_when_no_reader_can_start(made, tmp_path, monkeypatch):
    """Where a process may not fork (a process limit, no /dev/shm), the files are read here instead."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    _mission_risk_like(made, folder, PARALLEL_MIN)

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    with Store(tmp_path / "hq.sqlite") as store:
        result = collect([folder], store, jobs=3)
    assert result.summary() == f"collected {PARALLEL_MIN}, unchanged 0, superseded 0, rejected 0"
    assert result.readers == 0


def _readers_of(store: Path) -> list[int]:
    """Processes still running a collect into store (a killed collect's readers would be among them)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(store).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


# ---------------------------------------------------------------------------- the store


def test_store_schema_is_versioned_and_a_newer_one_is_refused(store_address, tmp_path):
    path = store_address
    with Store(path) as store:
        assert fetch(store, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
        if store.kind == "sqlite":  # SQLite's own: write-ahead logging, so that compare reads while collect writes
            assert store.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    with Store(path) as store, store.transaction() as c:  # opening again migrates nothing
        assert store.counts()["revisions"] == 0
        c.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(AssessError) as info:
        Store(path)
    assert str(info.value) == str(problem(str(path), None, "E510", path=path, found=99, known=SCHEMA_VERSION))
    # a file that is not a database (SQLite's own; a server refusing is the store address tests')
    not_a_store = tmp_path / "not.sqlite"
    not_a_store.write_text("hello, I am not a database " * 100, encoding="utf-8")
    with pytest.raises(AssessError) as info:
        Store(not_a_store)
    assert str(info.value) == str(
        problem(str(not_a_store), None, "E509", path=not_a_store, reason="file is not a database")
    )


def test_default_store_is_in_the_user_data_folder(monkeypatch, tmp_path):  # a file: SQLite's own
    import platformdirs

    from assess.collect.store import default_path

    monkeypatch.delenv("ASSESS_STORE", raising=False)
    assert default_path() == Path(platformdirs.user_data_dir("assess", appauthor=False)) / "collect.sqlite"
    monkeypatch.setenv("ASSESS_STORE", str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026", ("2026-01-01", "2026-12-31")),
        ("2026-H2", ("2026-07-01", "2026-12-31")),
        ("2026-H1", ("2026-01-01", "2026-06-30")),
        ("2026 S1", None),  # one grammar, as 'assess new' and the answers check take it
        ("2026-H3", None),
        ("second half 2026", None),
        ("2026-Q1", ("2026-01-01", "2026-03-31")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2026-07-15", ("2026-07-15", "2026-07-15")),
        ("2026-13", None),
        ("autumn", None),
        ("", None),
    ],
)
def test_periods_read_as_date_ranges(text, expected):
    assert period_range(text) == expected


# ---------------------------------------------------------------------------- comparing


@pytest.fixture(scope="session", params=BACKENDS)
def hq(made, request, tmp_path_factory):
    """A store with everything made: 6 missions, UNIMVA over three periods (revised), oc-threat on two versions;
    once per backend."""
    path = new_address(request, request.param, tmp_path_factory.mktemp("hq"))
    with Store(path) as store:
        result = collect([made["inbox"], made["extra"], made["revised"][1], made["v11"]], store)
        assert not result.rejected and result.superseded == 1
    return path


def test_compare_missions_trends_recurring_and_gaps(hq):
    with Store(hq) as store:
        c = compare(store)
    assert len(c.assessments) == 9
    views = {v.id: v for v in c.frameworks}
    goci = views["goci-profile"]
    assert goci.labels == ["UNIMVA"] and [a.period for a in goci.columns] == ["2026-H2"]
    assert [(ln.id, ln.cells[0].display) for ln in goci.scores][:3] == [
        ("criminality", "6.44"),
        ("criminal_markets", "6.00"),
        ("criminal_actors", "6.88"),
    ]
    # the framework declares its headline: criminality and resilience, the index profile's two axes
    assert goci.headline == [("criminality", "Criminality"), ("resilience", "Resilience")] and goci.declared
    assert goci.scales["criminality"] == (1.0, 10.0)
    (trend,) = goci.trends
    assert [a.period for a, _ in trend.points] == ["2025-H2", "2026-H1", "2026-H2"]
    assert trend.change == "Criminality: ▲ 0.16 worse from 2025-H2 to 2026-H2"
    oc = views["oc-threat"]
    assert oc.versions == ["2.0.0", "2.1.0"] and oc.mixed and oc.options_compared
    assert oc.changed == ["market_scale"]
    # 2.1.0 drops the scale's 'unknown' option: answers change, no score is computed otherwise (assess diff), so the
    # markets score still compares across the versions (issue 17 review)
    assert [ln.id for ln in oc.scores] == ["groups", "markets"] and oc.not_compared == []
    assert oc.labels == ["MINUSKES", "UNMT"]
    assert c.notes == [
        "Organized-crime threat assessment (SOCTA style) (oc-threat): assessments on versions 2.0.0, 2.1.0 are "
        f"compared only on the {oc.common} questions that did not change between them (questions and their options "
        "compared). Changed: market_scale. No migration is declared from version 2.0.0 to 2.1.0, so its questions "
        "that changed are not compared."
    ]
    assert [w.code for w in c.warnings] == ["W504"]  # 2.1.0 declares no migrations (issue 17)
    top = c.recurring[0]
    assert (top.framework_id, len(top.missions)) == ("oc-threat", 2)
    assert all(len(r.missions) == 2 for r in c.recurring if r.framework_id == "oc-threat")
    cov = {(x.label, x.assessment.framework_id): x for x in c.coverage}
    minuskes = cov[("MINUSKES", "oc-threat")]
    assert minuskes.unknown == 11  # its 11 unknowns: none on market_scale (for that case, the test below)
    assert cov[("UNIMVA", "goci-profile")].assessment.period == "2026-H2"


def test_an_unknown_on_a_question_changed_between_versions_is_not_counted(made, store_address, tmp_path):
    """MINUSKES answers a market's scale 'unknown' on oc-threat 2.0.0; market_scale changed in 2.1.0 (UNMT's), so
    the comparison leaves that unknown and its gap out of the coverage, though the store keeps both."""
    answers, _ = load_answers(EXAMPLES / "oc-threat.answers.yaml")
    cocaine = next(b for b in answers.entities["markets"] if b.answers["market_kind"].value == "cocaine")
    cocaine.answers["market_scale"].value = "unknown"
    (tmp_path / "minuskes.answers.yaml").write_text(dumps(answers), encoding="utf-8")
    with Store(store_address) as store:
        result = collect([tmp_path / "minuskes.answers.yaml", made["v11"]], store)
        assert (result.collected, result.rejected) == (2, [])
        c = compare(store)
        (minuskes,) = [x for x in c.coverage if x.label == "MINUSKES"]
        seq = minuskes.assessment.seq
        unknown = [r["question_id"] for r in store.answer_states([seq]) if r["status"] == "unknown"]
        scale_gaps = [
            g["message"] for g in store.gaps([seq]) if (g["question_id"], g["kind"]) == ("market_scale", "unknown")
        ]
    assert [v.changed for v in c.frameworks if v.id == "oc-threat"] == [["market_scale"]]
    assert len(unknown) == 12 and unknown.count("market_scale") == 1
    assert minuskes.unknown == 11
    assert len(scale_gaps) == 1 and cocaine.name in scale_gaps[0]
    assert scale_gaps[0] not in minuskes.intelligence_gaps


def test_compare_filters_and_refuses_an_empty_selection(hq):
    with Store(hq) as store:
        c = compare(store, mission="varonia", since="2026-H1")
        assert [a.period for a in c.assessments] == ["2026-H1", "2026-H2"]
        assert c.selection == "mission 'varonia', periods from 2026-H1"
        c = compare(store, framework="oc-threat", until="2026")
        assert len(c.assessments) == 2
        with pytest.raises(AssessError) as info:
            compare(store, framework="oc-threat", since="2030")
        assert str(info.value) == str(
            problem(str(hq), None, "E512", path=hq, filters="framework oc-threat, periods from 2030")
        )
        with pytest.raises(AssessError) as info:
            compare(store, until="soon")
        assert str(info.value) == str(problem("--until", None, "E511", value="soon"))


def test_csv_has_one_row_per_assessment_and_score(hq):
    with Store(hq) as store:
        c = compare(store)
        ((n,),) = fetch(
            store,
            "SELECT COUNT(*) FROM scores s JOIN assessments a ON a.seq = s.seq WHERE "
            "a.is_current = 1 AND s.kind IN ('section', 'derived')",
        )
    rows = list(csv.DictReader(io.StringIO(to_csv(c, bom=False))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == n
    gap = [r for r in rows if r["score"] == "criminality_resilience_gap"]
    assert [(r["period"], r["display"]) for r in gap] == [("2025-H2", "3.09"), ("2026-H1", "3.15"), ("2026-H2", "3.26")]
    assert gap[-1]["rating"] == "Criminality outpaces resilience" and gap[-1]["comparable"] == "yes"
    markets = {r["mission"]: r["comparable"] for r in rows if r["score"] == "markets" and r["framework"] == "oc-threat"}
    assert len(markets) == 2 and set(markets.values()) == {"yes"}  # no change of 2.1.0 alters how it is computed
    groups = next(r for r in rows if r["score"] == "groups" and "Kessaria" in r["mission"])
    assert (groups["exact"], groups["display"], groups["rating"], groups["version"]) == (
        groups["exact"],
        "22.50",
        "Very high",
        "'2.0.0",  # as text: in German or French settings '1.2.3' reads as a date
    )


def _docx_text(path: Path) -> tuple[str, list[list[list[str]]]]:
    doc = Document(path)
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return text, tables


def test_the_word_summary_shows_scores_trends_recurring_and_gaps(hq, tmp_path, capsys):
    out, out_csv = tmp_path / "summary.docx", tmp_path / "summary.csv"
    code, stdout, stderr = run("compare", "--store", str(hq), "-o", str(out), "--csv", str(out_csv), capsys=capsys)
    assert code == 0
    assert stdout.splitlines()[0] == f"wrote {out}: 9 assessment(s), 7 mission(s), 6 framework(s)"
    assert stdout.splitlines()[1].startswith(f"wrote {out_csv}: ")
    assert stderr.startswith("note: Organized-crime threat assessment (SOCTA style) (oc-threat): assessments on")
    text, tables = _docx_text(out)
    assert "Organized crime in mission areas: headquarters summary" in text
    assert "9 assessments, 7 missions, 6 frameworks" in text
    assert "9 assessment(s) from 7 mission(s) on 6 framework(s), periods 2025-H2 to 2026-H2. " in text
    assert "Organized index profile" not in text and "Organized crime index profile — version 1.1.0" in text
    assert "Organized-crime threat assessment (SOCTA style) — versions 2.0.0, 2.1.0" in text
    assert "are compared only on the" in text and "Changed: market_scale." in text
    assert tables[0][0][:3] == ["Mission, period", "Framework: headline", "Headline score"]  # at a glance first
    facts = dict((row[0], row[1]) for row in next(t for t in tables if t[0][0] == "Selection"))
    assert facts["Assessments"] == "9" and facts["Handling"] == "UN RESTRICTED"
    assert facts["Periods"] == "2025-H2, 2026-H1, 2026-H2"
    oc = next(t for t in tables if t[0][1:] == ["MINUSKES", "UNMT"])
    assert oc[1] == ["Period", "2026-H2", "2026-H2"]
    assert oc[2][0] == "Armed groups and criminal networks" and oc[2][1] == "22.50 Very high"
    goci = next(t for t in tables if t[0][1:] == ["UNIMVA"])
    assert ["Criminality", "6.44 High"] in goci
    trend = next(t for t in tables if t[0][0] == "Mission" and t[0][1] == "Periods and Criminality")
    assert trend[1][0] == "UNIMVA" and re.fullmatch(r"2025-H2 \d\.\d\d → 2026-H1 \d\.\d\d → 2026-H2 6\.44", trend[1][1])
    assert trend[1][2] == "Criminality: ▲ 0.16 worse from 2025-H2 to 2026-H2"
    assert any(t[0][0] == "Mission" and t[0][1] == "Periods and Resilience" for t in tables)
    recurring = next(t for t in tables if t[0][:2] == ["#", "Missions"])
    assert recurring[0][4:] == ["For whom", "Policy", "Framework"]
    first = next(r for r in recurring[1:] if r[1] == "2: MINUSKES, UNMT")
    assert first[6] == "Organized-crime threat assessment"
    assert "by priority, then by how many missions they recur in" in text
    coverage = next(t for t in tables if t[0][:3] == ["Mission", "Framework, period", "Answered"])
    assert [r[0] for r in coverage[1:]] == ["MINUVEL", "UNIMVA", "UNISMIN", "UNMIRT", "MINUSKES", "UNMT", "UNISMAR"]
    assert "Intelligence gaps (answers 'unknown')" in text
    assert (
        "Answered 'unknown' (intelligence gap): How serious are the unintended humanitarian effects of the sanctions?"
        in text
    )
    annex = next(t for t in tables if t[0][:2] == ["Mission", "Period"])
    assert len(annex) == 10 and annex[1][0] == "UNMIRT"
    assert [
        "UNIMVA",
        "2026-H2",
        "goci-profile 1.1.0",
        "English",  # the language it was written in (issue 18)
        "2026-10-20",
        "2",
        "2b6f1c9e-4d1a-4f0e-9c41-6a1d2c7e9b10",
    ] in annex
    with zipfile.ZipFile(out) as z:
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in z.namelist())  # the trend chart
        header = z.read("word/header1.xml").decode("utf-8") if "word/header1.xml" in z.namelist() else ""
    assert "UN RESTRICTED" in header or "UN RESTRICTED" in text
    rows = list(csv.reader(out_csv.open(encoding="utf-8-sig")))  # it starts with a byte-order mark
    assert tuple(rows[0]) == CSV_COLUMNS


def test_a_summary_of_one_assessment_without_trends(hq, tmp_path):
    with Store(hq) as store:
        c = compare(store, framework="sanctions-coherence")
    render_summary(c, tmp_path / "one.docx")
    text, _ = _docx_text(tmp_path / "one.docx")
    assert "1 assessment(s) from 1 mission(s) on 1 framework(s), period 2026-H2." in text
    assert "1 assessment, 1 mission, 1 framework" in text
    assert "by priority, then by how many missions they recur in; 0 recur in more than one mission" in text
    with zipfile.ZipFile(tmp_path / "one.docx") as z:
        assert not any(n.startswith("word/media/") for n in z.namelist())  # one period: no trend chart


def test_compare_writes_nothing_when_the_folder_is_missing(hq, tmp_path, capsys):
    out = tmp_path / "no" / "s.docx"
    code, _, err = run("compare", "--store", str(hq), "-o", str(out), capsys=capsys)
    expected = problem(str(out), None, "E413", what="the summary", folder=str(out.parent), state="does not exist")
    assert code == 1 and str(expected) in err


def test_summary_template_is_reproducible_from_the_builder(tmp_path):
    rebuilt = build_template(tmp_path / "summary.docx")
    assert text_of(rebuilt) == text_of(SUMMARY_TEMPLATE)


def test_two_collects_at_once_share_the_store(made, store_address):
    """Both write revisions of the same frameworks (and the same rules) into one store at the same time (four at
    once on PostgreSQL, compared with one: test_store_concurrency.py)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    store = store_address
    six = sorted(EXAMPLES.glob("*.answers.yaml"))  # the six examples, not the Selvara case in their subfolder
    inputs = ([made["inbox"], *six], [made["extra"], made["revised"][1], made["older"][1]])
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "assess", "collect", *map(str, paths), "--store", str(store)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for paths in inputs
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    with Store(store) as s:
        assert s.check() == []
        assert s.counts() == {"assessments": 8, "revisions": 10, "frameworks": 6}
        assert fetch(
            s,
            "SELECT COUNT(*) FROM recommendations r JOIN assessments a ON a.seq = r.seq "
            "LEFT JOIN rules u ON u.framework_hash = a.framework_hash AND u.rule = r.rule "
            "WHERE u.rule IS NULL",
        ) == [(0,)]


def _open_store_at_the_signal(path: str, start, errors) -> None:
    start.wait()
    try:
        Store(path).close()
    except AssessError as exc:
        errors.put(str(exc))


@pytest.mark.parametrize("backend", BACKENDS)
def test_new_store_opened_by_several_processes_at_the_same_moment(backend, request, tmp_path):
    # two desks starting a collect into the same new store: SQLite refused the switch to WAL at once ('database
    # is locked') in about one round in six before the store retried it; on PostgreSQL all three create the schema
    # of the same new database
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    errors = ctx.Queue()
    for round_ in range(20):
        start = ctx.Barrier(3)
        (tmp_path / str(round_)).mkdir()
        path = str(new_address(request, backend, tmp_path / str(round_)))
        procs = [ctx.Process(target=_open_store_at_the_signal, args=(path, start, errors)) for _ in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0, 0, 0]
    assert errors.empty(), errors.get()


def test_progress_is_reported_file_by_file(made, tmp_path):
    seen = []
    with Store(tmp_path / "hq.sqlite") as store:
        collect([made["inbox"]], store, progress=lambda done, total, path: seen.append((done, total, Path(path).name)))
    assert seen == [(i, 6, f"{name}.docx") for i, name in enumerate(NAMES, 1)]


def test_jobs_must_be_a_number_of_processes(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["collect", str(tmp_path), "--jobs", "none", "--store", str(tmp_path / "hq.sqlite")])
    assert exc.value.code == 2
    assert "argument -j/--jobs: expected a number of processes from 1 to 64, got 'none'" in capsys.readouterr().err
    assert not (tmp_path / "hq.sqlite").exists()


def test_readme_lists_every_summary_template_variable():
    from assess.collect.variables import DESCRIPTIONS, example_context
    from assess.report.variables import render

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- summary-variables:start -->\n", 1)[1].split("<!-- summary-variables:end -->", 1)[0]
    context = example_context()
    assert block == render(context, DESCRIPTIONS), "run: python -m assess.collect.variables, paste into README.md"
    assert set(DESCRIPTIONS) == set(context)  # every variable described, none described that is gone


def test_the_summary_carries_its_own_document_properties_and_alt_text(hq, tmp_path):
    with Store(hq) as store:
        c = compare(store)
    out = tmp_path / "props.docx"
    render_summary(c, out)
    doc = Document(out)
    # read by namespace, not with python-docx: docxtpl's docxcompose rebinds the prefix python-docx reads them by
    with zipfile.ZipFile(out) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
    props = {tag.rsplit("}", 1)[-1]: e.text or "" for e in ElementTree.fromstring(core) for tag in [e.tag]}
    assert props["title"] == "Headquarters summary"
    # Word keeps 255 characters of a property: longer ones are shortened with an ellipsis
    assert props["subject"] == plain("; ".join(f"{v.title} {', '.join(v.versions)}" for v in c.frameworks))
    assert props["subject"].startswith("Crime–politics") and len(props["subject"]) <= PROPERTY_LIMIT
    assert props["keywords"] == plain("; ".join(sorted({a.mission for a in c.assessments})))
    assert props["creator"] == "assess" and props["lastModifiedBy"] == "assess" and props["description"] == ""
    assert props["category"] == "UN RESTRICTED" and props["created"] == props["modified"] > "2014"
    assert "python-docx" not in core and "2013-" not in core
    doc_prs = list(
        doc.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    )
    assert doc_prs and all(d.get("descr", "").startswith("Line chart of headline scores by period: ") for d in doc_prs)
    assert "UNIMVA" in doc_prs[0].get("descr")


@pytest.mark.parametrize("framework_id", ["oc-threat", "goci-profile"])
def test_a_report_made_with_an_earlier_release_of_a_bundled_framework_still_collects(framework_id, tmp_path):
    # a mission's report of last release carries that release's hash; assess ships the release, so HQ collects it
    previous = sorted((ROOT / "frameworks" / "previous").glob(f"{framework_id}-*.yaml"))
    assert previous, "frameworks/previous ships each bundled framework's earlier release"
    old, _ = load_framework(previous[-1])
    current, _ = load_framework(ROOT / "frameworks" / f"{framework_id}.yaml")
    assert old.id == current.id and old.hash != current.hash
    answers, _ = load_answers(ROOT / "frameworks" / "examples" / f"{framework_id}.answers.yaml")
    # what the earlier release could not hold cannot be in a report made with it, so it is left out: an option it
    # lacked (goci-profile 1.1.0's 'unknown' indicator), a question it did not ask, a repeatable section it did not
    # have (oc-threat 2.0.0's markets and key judgements)
    for sid in list(answers.entities):
        if sid not in old.all_sections or old.all_sections[sid].repeat is None:
            del answers.entities[sid]
    for block in [answers.answers, *(e.answers for es in answers.entities.values() for e in es)]:
        for qid, a in list(block.items()):
            q = old.questions.get(qid)
            allowed = {str(o.value) for o in q.options} if q is not None and q.options else None
            if q is None or (isinstance(a.value, str) and allowed is not None and a.value not in allowed):
                del block[qid]
    report = tmp_path / "missions" / "old.docx"
    report.parent.mkdir()
    render_report(score(old, answers), report)
    assert read_payload(report)["framework"]["hash"] == old.hash
    with Store(tmp_path / "hq.sqlite") as store:
        outcome = collect([report], store)
        assert outcome.collected == 1 and outcome.count("rejected") == 0
