"""assess store copy: a store copied into a new or empty store (SQLite or PostgreSQL, either way round) holds the
same rows and lists and compares the same; a destination not empty (another program's tables too), a source that is
no store or the same store is refused and nothing written, in messages that name SRC and DST (the command's own
arguments); a copy that differs or is killed leaves no destination."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assess.answers import dumps, load_answers
from assess.cli import main
from assess.collect import copy as store_copy
from assess.collect.collect import collect
from assess.collect.copy import copy_store, schema
from assess.collect.store import Store
from assess.errors import MESSAGES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "frameworks" / "examples"
KEY = {
    "fingerprint": "SHA256:Zq3xPv1b7lT0jXcS2Xw1O9A4y+u/5l6mN2rB8dE0fGh",  # mixed case, + and /: collations differ
    "mission": "MINUSEL",
    "public_key": "9zvP0W3dQ8y1n4Xo2sJv6hT5mC7bK0aR1eU3iL8gF2Y=",
    "created": "2026-11-02T09:00:00Z",
    "trusted_at": "2026-11-03T10:00:00Z",
}


def run(*argv: str, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def contents(address: Path | str) -> dict[str, list[tuple]]:
    """Every row of every table, collected_at included, ordered by key here (not by the database's collation),
    JSON columns read."""
    out = {}
    with Store(address, create=False) as store:
        for t in schema():
            rows = []
            for r in store.rows(f"SELECT {', '.join(t.columns)} FROM {t.name}"):
                rows.append(tuple(json.loads(v) if k in t.json else v for k, v in r.items()))
            out[t.name] = sorted(rows, key=lambda row, t=t: t.key_of(row))
    return out


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A SQLite store with a row in every table: the examples collected, a revision of one superseding it (the
    older kept as history), a trusted mission key and a revision it signed (with its file's SHA-256)."""
    folder = tmp_path_factory.mktemp("source")
    inbox = folder / "inbox"
    inbox.mkdir()
    for path in EXAMPLES.glob("*.answers.yaml"):
        (inbox / path.name).write_bytes(path.read_bytes())
    answers, _ = load_answers(EXAMPLES / "goci-profile.answers.yaml")
    answers.metadata["updated"] = "2027-01-15T08:30:00Z"
    answers.answers["human_smuggling"].value = 8
    (inbox / "goci-profile-revised.answers.yaml").write_text(dumps(answers), encoding="utf-8")
    path = folder / "hq.sqlite"
    with Store(path) as store:
        result = collect([inbox], store)
        assert not result.rejected
        assert store.put_key(KEY)
        with store.transaction() as c:
            c.execute(
                "UPDATE assessments SET signed_by = ?, file_sha256 = ? WHERE seq = 1", (KEY["fingerprint"], "ab" * 32)
            )
    held = contents(path)
    assert all(held[t.name] for t in schema()), "a table the source leaves empty"
    assert any(not r[held_column("assessments", "is_current")] for r in held["assessments"])
    return path


def held_column(table: str, column: str) -> int:
    return next(t.columns.index(column) for t in schema() if t.name == table)


def listing_and_table(address: Path | str, folder: Path, capsys) -> tuple[str, str]:
    """What assess list --all and assess compare --csv - print on standard output."""
    code, listed, _ = run("list", "--all", "--store", address, capsys=capsys)
    assert code == 0
    code, table, _ = run("compare", "--store", address, "-o", folder / "summary.docx", "--csv", "-", capsys=capsys)
    assert code == 0
    return listed, table


def expected_output(source: Path, shown_source: Path | str, shown_target: Path | str) -> str:
    """What store copy prints: each table's rows (those of source), then what was copied from where to where."""
    held = contents(source)
    width = max(len(t.name) for t in schema())
    lines = [f"{t.name:<{width}}  {len(held[t.name])} row{'s' if len(held[t.name]) != 1 else ''}" for t in schema()]
    current = sum(1 for r in held["assessments"] if r[held_column("assessments", "is_current")])
    lines.append(
        f"verified row for row: {current} assessments, {len(held['assessments'])} revisions copied from "
        f"{shown_source} to {shown_target}"
    )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- copies


def test_a_sqlite_store_copied_into_a_new_file_holds_the_same_rows_and_reads_the_same(source, tmp_path, capsys):
    destination = tmp_path / "new" / "copy.sqlite"  # its folder is made
    code, out, err = run("store", "copy", source, destination, capsys=capsys)
    assert (code, err) == (0, "")
    assert out == expected_output(source, source, destination)
    assert contents(destination) == contents(source)
    assert sorted(p.name for p in destination.parent.iterdir()) == ["copy.sqlite"]  # no temporary file left
    assert listing_and_table(destination, tmp_path, capsys) == listing_and_table(source, tmp_path, capsys)


def test_sqlite_into_postgresql_and_back(source, pg_server, tmp_path, capsys):
    url = pg_server.create_database()
    code, out, err = run("store", "copy", source, url, capsys=capsys)
    assert (code, err) == (0, "")
    assert out == expected_output(source, source, url)
    assert contents(url) == contents(source)
    assert listing_and_table(url, tmp_path, capsys) == listing_and_table(source, tmp_path, capsys)
    back = tmp_path / "back.sqlite"
    code, out, err = run("store", "copy", url, back, capsys=capsys)
    assert (code, err) == (0, "")
    assert out == expected_output(source, url, back)
    assert contents(back) == contents(source)
    assert listing_and_table(back, tmp_path, capsys) == listing_and_table(source, tmp_path, capsys)
    with Store(url) as store:  # the sequence is past the revisions copied: the next one collected follows them
        top = store.rows("SELECT MAX(seq) AS n FROM assessments")[0]["n"]
        answers, _ = load_answers(EXAMPLES / "oc-threat.answers.yaml")
        answers.id = "7e57c0b1-0000-4000-8000-000000000001"
        (tmp_path / "new.answers.yaml").write_text(dumps(answers), encoding="utf-8")
        assert collect([tmp_path / "new.answers.yaml"], store).collected == 1
        assert store.rows("SELECT MAX(seq) AS n FROM assessments")[0]["n"] == top + 1


def test_postgresql_into_postgresql_and_the_same_database_refused(source, pg_server, tmp_path, capsys):
    first, second = pg_server.create_database(), pg_server.create_database()
    copy_store(source, first)
    result = copy_store(first, second)
    assert (result.source, result.target) == (first, second)
    assert contents(second) == contents(source)
    alias = second.replace("@localhost:", "@127.0.0.1:")  # the same database by another address
    for destination in (second, alias):
        code, out, err = run("store", "copy", second, destination, capsys=capsys)
        assert (code, out) == (1, "")
        assert err == f"{destination}: " + MESSAGES["E533"] + " [E533]\n"
    assert contents(second) == contents(source)


def _empty_store(folder: Path) -> Path:
    path = folder / "empty.sqlite"
    Store(path).close()
    return path


def _database(path: Path, *tables: str) -> Path:
    """A SQLite database (another program's) with these tables, a row in each."""
    db = sqlite3.connect(path)
    for name in tables:
        db.execute(f"CREATE TABLE {name} (note TEXT)")
        db.execute(f"INSERT INTO {name} VALUES ('kept')")
    db.commit()
    db.close()
    return path


def _server_tables(url: str) -> list[tuple[str, list[tuple]]]:
    """Every table of the database's public schema (where a store's tables are made), with its rows."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        names = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
        return [(name, db.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()) for name in names]


def _server_database(pg_server, *tables: str, url: str | None = None) -> str:
    """A new database (another program's; or the one at url) with these tables, a row in each; its address."""
    import psycopg

    url = url or pg_server.create_database()
    with psycopg.connect(url, autocommit=True) as db:
        for name in tables:
            db.execute(f"CREATE TABLE {name} (note TEXT)")
            db.execute(f"INSERT INTO {name} VALUES ('kept')")
    return url


# ---------------------------------------------------------------------------- refusals


def test_a_destination_file_that_holds_anything_is_refused_and_left_as_it_was(source, tmp_path, capsys):
    full = tmp_path / "full.sqlite"
    copy_store(source, full)
    keyed = tmp_path / "keyed.sqlite"  # no assessment, but a key the desk trusts
    with Store(keyed) as store:
        store.put_key(KEY)
    other = _database(tmp_path / "other.db", "contacts", "assessments")  # not even opened as a store (that
    scores = _database(tmp_path / "scores.db", "scores")  # would migrate it): its tables are not a store's, even
    beside = _database(_empty_store(tmp_path).rename(tmp_path / "beside.sqlite"), "contacts")  # those named as a
    # store's are (no meta table); beside: a store, and another program's table beside it
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n", encoding="utf-8")
    revisions = len(contents(source)["assessments"])
    for destination, held in (
        (full, f"{revisions} revision(s) and 1 mission key(s)"),
        (keyed, "0 revision(s) and 1 mission key(s)"),
        (other, "the tables of another program (assessments, contacts)"),
        (scores, "the tables of another program (scores)"),
        (beside, "the tables of another program (contacts)"),
        (notes, "data that SQLite cannot read as a database (file is not a database)"),
    ):
        before = destination.read_bytes()
        code, out, err = run("store", "copy", source, destination, capsys=capsys)
        assert (code, out) == (1, "")
        assert err == f"{destination}: " + MESSAGES["E532"].format(held=held) + " [E532]\n"
        assert destination.read_bytes() == before
    names = ["beside.sqlite", "full.sqlite", "keyed.sqlite", "notes.txt", "other.db", "scores.db"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    code, out, err = run("store", "copy", source, tmp_path, capsys=capsys)  # a folder
    assert (code, out) == (1, "")
    assert err == f"{tmp_path}: " + MESSAGES["E017"].format(kind="a folder") + " [E017]\n"


def test_an_empty_destination_file_is_replaced_by_the_copy(source, tmp_path, capsys):
    destination = _empty_store(tmp_path)
    destination.chmod(0o600)
    code, _, err = run("store", "copy", source, destination, capsys=capsys)
    assert (code, err) == (0, "")
    assert contents(destination) == contents(source)
    assert destination.stat().st_mode & 0o777 == 0o600  # the file it replaces keeps its mode


def test_a_destination_database_that_holds_anything_is_refused_and_left_as_it_was(source, pg_server, capsys):
    url = pg_server.create_database()
    copy_store(source, url)
    before = contents(url)
    code, out, err = run("store", "copy", source, url, capsys=capsys)
    assert (code, out) == (1, "")
    held = f"{len(before['assessments'])} revision(s) and 1 mission key(s)"
    assert err == f"{url}: " + MESSAGES["E532"].format(held=held) + " [E532]\n"
    assert contents(url) == before


def test_another_programs_database_is_refused_before_anything_is_written(source, pg_server, capsys):
    """Its tables are looked at before it is opened as a store, which would make a store's tables beside them (or
    fail on a name both use, scores, and roll back as a server's failure)."""
    beside = pg_server.create_database()
    Store(beside).close()  # an empty store, and another program's table beside it
    _server_database(pg_server, "customers", url=beside)
    for url, held in (
        (_server_database(pg_server, "customers"), "customers"),
        (_server_database(pg_server, "scores"), "scores"),  # a store's table's name: still not a store's
        (_server_database(pg_server, "meta", "invoices"), "invoices, meta"),  # not a store's meta either
        (beside, "customers"),
    ):
        before = _server_tables(url)
        code, out, err = run("store", "copy", source, url, capsys=capsys)
        assert (code, out) == (1, "")
        held = f"the tables of another program ({held})"
        assert err == f"{url}: " + MESSAGES["E532"].format(held=held) + " [E532]\n"
        assert _server_tables(url) == before  # not a table added


def test_a_source_that_is_no_store_is_refused_and_left_as_it_was(source, tmp_path, pg_server, capsys):
    """Every refusal names SRC (the command's argument), not --store, the other commands' option; a file is looked
    at before it is opened as a store, which would make a store's tables in another program's database."""
    folder = tmp_path / "in"
    folder.mkdir()
    other = _database(folder / "other.db", "contacts", "scores")
    empty = folder / "empty.sqlite"
    empty.touch()
    notes = folder / "notes.txt"
    notes.write_text("not a database\n", encoding="utf-8")
    nothing = pg_server.create_database()
    altered = folder / "altered.sqlite"  # a store whose table has a column this assess's schema does not
    altered.write_bytes(source.read_bytes())
    db = sqlite3.connect(altered)
    db.execute("ALTER TABLE mission_keys ADD COLUMN note TEXT")
    db.commit()
    db.close()
    for given, detail in (
        (folder / "none.sqlite", "no such file"),
        (other, "it holds the tables of another program (contacts, scores)"),
        (empty, "it holds no store"),
        (notes, "SQLite cannot read it as a database: file is not a database"),
        (nothing, "it holds no store"),
        (altered, "its table mission_keys differs in the columns note"),
    ):
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        code, out, err = run("store", "copy", given, tmp_path / "copy.sqlite", capsys=capsys)
        assert (code, out) == (1, "")
        assert err == f"{given}: " + MESSAGES["E535"].format(detail=detail) + " [E535]\n"
        assert "--store" not in err
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
        assert not (tmp_path / "copy.sqlite").exists()
    assert _server_tables(nothing) == []
    code, out, err = run("store", "copy", folder, tmp_path / "copy.sqlite", capsys=capsys)
    assert (code, out) == (1, "")
    assert err == f"{folder}: " + MESSAGES["E017"].format(kind="a folder") + " [E017]\n"


def test_the_same_file_is_refused_under_any_name(source, tmp_path, capsys):
    link = tmp_path / "link.sqlite"
    link.symlink_to(source)
    before = source.read_bytes()
    for destination in (source, link, Path(os.path.relpath(source))):
        code, out, err = run("store", "copy", source, destination, capsys=capsys)
        assert (code, out) == (1, "")
        assert err == f"{destination}: " + MESSAGES["E533"] + " [E533]\n"
    assert source.read_bytes() == before


def test_the_schema_is_read_from_the_migrations_as_the_database_makes_it(tmp_path):
    """Every table and column a new SQLite store has is one schema() copies, with its primary key."""
    path = _empty_store(tmp_path)
    db = sqlite3.connect(path)
    try:
        made = {
            name: [(r[1], r[2].upper(), r[5]) for r in db.execute(f"PRAGMA table_info({name})")]
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    finally:
        db.close()
    read = {}
    for t in schema():
        read[t.name] = [
            (c, kind, t.key.index(c) + 1 if c in t.key else 0) for c, kind in zip(t.columns, t.types, strict=True)
        ]
    assert read == made


# ---------------------------------------------------------------------------- a copy that fails


def _corrupting(monkeypatch, change: str) -> None:
    """Make the copy differ from the source just before it is verified (as a faulty driver or disk would)."""
    verify = store_copy.verify_copy

    def corrupt_then_verify(src, c, tables, shown, progress):
        c.execute(change)
        verify(src, c, tables, shown, progress)

    monkeypatch.setattr(store_copy, "verify_copy", corrupt_then_verify)


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ("UPDATE answers SET value = 'forged' WHERE seq = 3 AND n = 2", "table answers, row seq=3, n=2: column value"),
        (
            "DELETE FROM scores WHERE seq = 5 AND n = 0",
            "table scores, row seq=5, n=0: the row is missing from the copy",
        ),
        (
            "UPDATE answer_files SET data = '{\"answers\": {}}' WHERE seq = 2",
            "table answer_files, row seq=2: column data differs",
        ),
        (
            f"UPDATE mission_keys SET mission = 'OTHER' WHERE fingerprint = '{KEY['fingerprint']}'",
            f"table mission_keys, row fingerprint='{KEY['fingerprint']}': column mission differs",
        ),
    ],
)
def test_a_copy_that_differs_is_refused_and_leaves_no_file(source, tmp_path, monkeypatch, capsys, change, detail):
    _corrupting(monkeypatch, change)
    destination = tmp_path / "copy.sqlite"
    code, out, err = run("store", "copy", source, destination, capsys=capsys)
    assert (code, out) == (1, "")
    assert err.startswith(f"{destination}: the copy of {source} into this store failed (") and detail in err
    assert "nothing was written into it" in err and err.endswith(" [E534]\n")
    assert list(tmp_path.iterdir()) == []  # neither the copy nor its temporary file


def test_a_copy_into_postgresql_that_differs_commits_nothing(source, pg_server, monkeypatch, capsys):
    _corrupting(monkeypatch, 'UPDATE assessments SET metadata = \'{"mission": "OTHER"}\' WHERE seq = 4')
    url = pg_server.create_database()
    code, out, err = run("store", "copy", source, url, capsys=capsys)
    assert (code, out) == (1, "")
    assert "[E534]" in err and "table assessments, row seq=4: column metadata differs" in err
    assert all(rows == [] for name, rows in contents(url).items() if name != "meta")


def test_a_statement_that_fails_is_refused_with_the_reason(tmp_path, pg_server, capsys):
    """A SQLite store may hold a row its foreign keys forbid (SQLite does not check them); PostgreSQL refuses it."""
    orphan = _empty_store(tmp_path)
    db = sqlite3.connect(orphan)
    db.execute("INSERT INTO answer_files (seq, data) VALUES (7, '{}')")
    db.commit()
    db.close()
    url = pg_server.create_database()
    code, out, err = run("store", "copy", orphan, url, capsys=capsys)
    assert (code, out) == (1, "")
    assert "[E534]" in err and "answer_files" in err and "foreign key" in err
    assert all(rows == [] for name, rows in contents(url).items() if name != "meta")


# ---------------------------------------------------------------------------- killed


def _grow(source: Path, path: Path, revisions: int) -> None:
    """A copy of source with its revisions repeated (new numbers and ids) up to the number given: a store a copy
    takes a few seconds over."""
    path.write_bytes(source.read_bytes())
    db = sqlite3.connect(path, isolation_level=None)
    tables = ("assessments", "answers", "scores", "recommendations", "gaps", "answer_files")
    columns = {t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")] for t in tables}
    base = [seq for (seq,) in db.execute("SELECT seq FROM assessments ORDER BY seq")]
    db.execute("BEGIN")
    for seq in range(len(base) + 1, revisions + 1):
        old = base[seq % len(base)]
        for t in tables:
            made = {"seq": "?", "revision": "revision || ?", "assessment_id": "assessment_id || ?"}
            values = ", ".join(made.get(c, c) if t == "assessments" or c == "seq" else c for c in columns[t])
            params = (seq, f"-{seq}", f"-{seq}") if t == "assessments" else (seq,)
            db.execute(
                f"INSERT INTO {t} ({', '.join(columns[t])}) SELECT {values} FROM {t} WHERE seq = ?", (*params, old)
            )
    db.execute("COMMIT")
    db.close()


@pytest.fixture(scope="module")
def large(source, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("large") / "large.sqlite"
    _grow(source, path, 1000)
    return path


def _start(source: Path, destination: Path | str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "assess", "store", "copy", str(source), str(destination)],
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(condition, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert proc.poll() is None, "the copy ended before it was killed"
        assert time.monotonic() < deadline, "the copy never began"
        time.sleep(0.01)


@pytest.mark.parametrize("old", ["none", "empty"])
def test_a_copy_killed_midway_leaves_no_destination_or_the_old_empty_one(large, tmp_path, old):
    destination = tmp_path / "copy.sqlite"
    if old == "empty":
        _empty_store(tmp_path).rename(destination)
    before = destination.read_bytes() if destination.exists() else None
    for delay in (0.0, 0.25, 0.6):
        proc = _start(large, destination)
        _wait_for(lambda: any(tmp_path.glob(".copy.sqlite.*.copying")), proc)  # writing the copy
        time.sleep(delay)
        assert proc.poll() is None, "the copy ended before it was killed: make the store larger"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        assert (destination.read_bytes() if destination.exists() else None) == before
    assert _start(large, destination).wait(timeout=300) == 0  # the leftovers are in no one's way
    with Store(destination, create=False) as store:
        assert store.counts()["revisions"] == 1000


def test_a_copy_into_postgresql_killed_midway_commits_nothing(large, pg_server):
    import psycopg

    url = pg_server.create_database()
    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as admin:
        proc = _start(large, url)

        def copying() -> bool:
            sql = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s AND query LIKE 'COPY %%'"
            return admin.execute(sql, (url.rpartition("/")[2],)).fetchone() == (1,)

        _wait_for(copying, proc)
        time.sleep(0.3)
        assert proc.poll() is None, "the copy ended before it was killed: make the store larger"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert all(rows == [] for name, rows in contents(url).items() if name != "meta")
