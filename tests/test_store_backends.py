"""The store's two backends behind one Store: addresses (a file or a postgresql:// URL, its password never shown),
the messages when PostgreSQL cannot be used, the same schema on both, JSONB, and the same statuses on both."""

from __future__ import annotations

import json
import socket
import sqlite3
import sys
import threading
from pathlib import Path

import pytest
from hqfiles import EXAMPLES
from pgserver import BACKENDS, new_address

from assess.answers import dumps, load_answers
from assess.cli import main
from assess.collect.address import is_url, scrub, shown, store_address
from assess.collect.collect import collect
from assess.collect.migrations import JSON_COLUMNS, SCHEMA_VERSION
from assess.collect.postgres import COPY_FROM, copy_of, dialect
from assess.collect.rows import Revision
from assess.collect.store import Store, StoreError, default_path

PASSWORD = "hunter2-s3cret"


def _refused_port() -> int:
    """A localhost port nothing listens on (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------------------- addresses


def test_a_url_is_postgresql_and_anything_else_a_file(monkeypatch):
    assert is_url("postgresql://hq@db.example/assess") and is_url("postgres://db.example/assess")
    assert is_url("PostgreSQL://hq@db.example/assess")
    assert not is_url("hq.sqlite") and not is_url("/srv/postgresql/hq.sqlite") and not is_url("mysql://db/x")
    assert not is_url(Path("postgresql:/x"))
    assert store_address("hq.sqlite") == Path("hq.sqlite")
    assert store_address("postgresql://db/x") == "postgresql://db/x"
    monkeypatch.setenv("ASSESS_STORE", "postgres://hq@db.example:6432/assess")
    assert default_path() == "postgres://hq@db.example:6432/assess"
    monkeypatch.setenv("ASSESS_STORE", "shared/hq.sqlite")
    assert default_path() == Path("shared/hq.sqlite")


def test_a_password_is_shown_as_stars_wherever_the_url_carries_it():
    assert shown(f"postgresql://hq:{PASSWORD}@db.example:5432/assess") == "postgresql://hq:***@db.example:5432/assess"
    assert shown(f"postgresql://db.example/assess?user=hq&password={PASSWORD}&sslmode=require") == (
        "postgresql://db.example/assess?user=hq&password=***&sslmode=require"
    )
    assert shown("postgresql://hq@db.example/assess") == "postgresql://hq@db.example/assess"  # nothing hidden
    assert shown("postgresql://hq:p%40ss@db/x") == "postgresql://hq:***@db/x"
    said = f'FATAL: password authentication failed for user "hq" (p%40ss {PASSWORD} p@ss)'
    assert scrub(said, f"postgresql://hq:p%40ss@db/x?password={PASSWORD}") == (
        'FATAL: password authentication failed for user "hq" (*** *** ***)'
    )


def test_statements_are_written_once_in_sqlite_dialect_and_translated():
    sql = "SELECT '?', \"a?\", x::text FROM t WHERE a = ? AND b LIKE '%:x' AND c = :name AND d = '%' || ?"
    assert dialect(sql) == (
        "SELECT '?', \"a?\", x::text FROM t WHERE a = %s AND b LIKE '%:x' AND c = %(name)s AND d = '%' || %s"
    )
    assert dialect("SELECT 5 % 2 WHERE x = ?") == "SELECT 5 %% 2 WHERE x = %s"


# ---------------------------------------------------------------------------- when PostgreSQL cannot be used


def test_without_the_driver_the_message_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg raises ImportError
    url = f"postgresql://hq:{PASSWORD}@db.example/assess"
    with pytest.raises(StoreError) as caught:
        Store(url)
    assert caught.value.problems[0].code == "E524"
    assert main(["list", "--store", url]) == 1
    err = capsys.readouterr().err
    assert "PostgreSQL driver (psycopg) is not installed" in err and "pip install 'assess[postgres]'" in err
    assert "postgresql://hq:***@db.example/assess" in err and PASSWORD not in err


def test_a_refused_connection_is_told_with_the_address_and_no_password(tmp_path, capsys):
    pytest.importorskip("psycopg", reason="psycopg, PostgreSQL's driver: pip install 'assess[postgres]'")
    url = f"postgresql://hq:{PASSWORD}@127.0.0.1:{_refused_port()}/assess?connect_timeout=5"
    for argv in (["list", "--store", url], ["compare", "--store", url, "-o", str(tmp_path / "s.docx")]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "cannot connect to the store postgresql://hq:***@127.0.0.1:" in err and "[E525]" in err
        assert "Connection refused" in err and PASSWORD not in err


def test_a_database_that_is_not_there_or_holds_no_store_is_refused(pg_server, capsys):
    url = pg_server.url("no_such_database").replace("postgres@", f"postgres:{PASSWORD}@")
    assert main(["list", "--store", url]) == 1
    err = capsys.readouterr().err
    assert 'database "no_such_database" does not exist' in err and "[E525]" in err and PASSWORD not in err
    empty = pg_server.create_database()
    assert main(["list", "--store", empty]) == 1
    assert "holds no store; run 'assess collect' into it first" in capsys.readouterr().err
    with pytest.raises(StoreError) as caught:
        Store(empty, create=False)
    assert caught.value.problems[0].code == "E526"
    with Store(empty) as store:  # collect (create) makes it
        assert store.counts() == {"assessments": 0, "revisions": 0, "frameworks": 0}


def test_a_store_of_a_newer_schema_is_refused_on_postgresql(pg_server):
    url = pg_server.create_database()
    with Store(url) as store, store.transaction() as c:
        c.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError) as caught:
        Store(url)
    assert caught.value.problems[0].code == "E510"


def test_a_failing_statement_is_a_coded_store_error(pg_server):
    with Store(pg_server.create_database()) as store:
        with pytest.raises(StoreError) as caught:
            store.rows("SELECT no_such_column FROM assessments")
        assert caught.value.problems[0].code == "E527" and "no_such_column" in str(caught.value)
        assert store.counts()["revisions"] == 0  # the connection is usable after


# ---------------------------------------------------------------------------- one schema on both


def test_postgresql_holds_the_same_tables_and_columns_as_sqlite(pg_server, tmp_path):
    with Store(tmp_path / "hq.sqlite") as lite:
        names = [r["name"] for r in lite.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        want = {
            (t, r["name"]): (r["type"], bool(r["notnull"] or r["pk"]))
            for t in names
            for r in lite.rows(f"PRAGMA table_info({t})")
        }
    types = {"TEXT": "text", "INTEGER": "integer", "REAL": "double precision"}
    with Store(pg_server.create_database()) as pg:
        got = {
            (r["table_name"], r["column_name"]): (r["data_type"], r["is_nullable"] == "NO")
            for r in pg.rows(
                "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                "WHERE table_schema = current_schema()"
            )
        }
        sequences = pg.rows(
            "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()"
        )
    assert set(got) == set(want) and "mission_keys" in names
    for (table, column), (sqlite_type, not_null) in want.items():
        json_column = column in JSON_COLUMNS.get(table, ())
        assert got[table, column] == ("jsonb" if json_column else types[sqlite_type], not_null), (table, column)
    assert sequences == [{"sequence_name": "assessments_seq"}]


def test_several_processes_opening_a_new_database_at_once_make_the_schema_once(pg_server):
    url = pg_server.create_database()
    failed: list[BaseException] = []

    def open_it() -> None:
        try:
            with Store(url) as store:
                store.counts()
        except BaseException as exc:  # reported below
            failed.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed == []
    with Store(url) as store:
        assert store.rows("SELECT key, value FROM meta") == [{"key": "schema_version", "value": str(SCHEMA_VERSION)}]


def test_payloads_are_queryable_as_jsonb_and_read_back_as_the_json_written(pg_server):
    with Store(pg_server.create_database()) as store:
        collect([EXAMPLES], store, jobs=1)
        rows = store.rows(
            "SELECT metadata->>'mission' AS mission, metadata, confidence FROM assessments "
            "WHERE metadata->>'period' = ? ORDER BY seq",
            ("2026-H2",),
        )
        assert rows and all(json.loads(r["metadata"])["mission"] == r["mission"] for r in rows)
        assert all(isinstance(json.loads(r["confidence"]), dict) for r in rows)
        varonia = store.rows(
            "SELECT COUNT(*) AS n FROM answer_files WHERE data->'metadata'->>'mission' LIKE ?", ("%UNIMVA%",)
        )
        assert varonia[0]["n"] >= 1
        scores = store.rows("SELECT questions FROM framework_scores WHERE jsonb_array_length(questions) > 0")
        assert scores and all(isinstance(json.loads(r["questions"]), list) for r in scores)


# ---------------------------------------------------------------------------- the same behaviour on both


def _revision(folder: Path, name: str, updated: str, title: str = "") -> Path:
    """The goci-profile example as one assessment, updated at a given time (and retitled: another revision)."""
    answers, _ = load_answers(EXAMPLES / "goci-profile.answers.yaml")
    answers.metadata["updated"] = updated
    if title:
        answers.metadata["title"] = title
    path = folder / f"{name}.answers.yaml"
    path.write_text(dumps(answers), encoding="utf-8")
    return path


@pytest.mark.parametrize("backend", BACKENDS)
def test_add_supersede_history_unchanged_and_tie_give_the_same_statuses(backend, request, tmp_path):
    files = [
        _revision(tmp_path, "first", "2026-10-14T16:40:00Z"),
        _revision(tmp_path, "newer", "2026-10-20T10:00:00Z"),
        _revision(tmp_path, "older", "2026-10-01T10:00:00Z"),
        _revision(tmp_path, "again", "2026-10-20T10:00:00Z"),  # the newer one's bytes: unchanged
        _revision(tmp_path, "tie", "2026-10-20T10:00:00Z", title="Another title"),  # as new, not the same
    ]
    with Store(new_address(request, backend, tmp_path)) as store:
        statuses = []
        for f in files:
            result = collect([f], store, jobs=1)
            statuses.append(result.outcomes[0].status)
            if f.name.startswith("tie"):
                assert [w.code for w in result.warnings] == ["W503"]
        assert statuses == ["collected", "superseded", "history", "unchanged", "history"]
        held = store.rows("SELECT updated, title, is_current FROM assessments ORDER BY updated, title")
        assert [(r["updated"][:10], r["is_current"]) for r in held] == [
            ("2026-10-01", 0),
            ("2026-10-14", 0),
            ("2026-10-20", 0),
            ("2026-10-20", 1),
        ]
        assert held[-1]["title"] != "Another title" and store.check() == []
        assert [r["seq"] for r in store.rows("SELECT seq FROM assessments ORDER BY seq")] == [1, 2, 3, 4]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_nul_character_in_a_text_refuses_that_file_alone_on_either_store(backend, request, tmp_path, capsys):
    """PostgreSQL cannot keep NUL in text: the file is refused with its field named (E530), on SQLite alike, and the
    other files of the collect are stored."""
    good = _revision(tmp_path, "good", "2026-10-14T16:40:00Z")
    bad = tmp_path / "nul.answers.yaml"
    text = _revision(tmp_path, "other", "2026-10-20T10:00:00Z").read_text(encoding="utf-8")
    (tmp_path / "other.answers.yaml").unlink()
    bad.write_text(text.replace("analyst: ", 'analyst: "JMAC\\0 cell" #', 1), encoding="utf-8")
    address = str(new_address(request, backend, tmp_path))
    assert main(["collect", str(good), str(bad), "--store", address]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: its text holds a NUL character (\\0) in metadata.analyst" in err and "[E530]" in err
    with Store(address, create=False) as store:
        assert [r["source"] for r in store.rows("SELECT source FROM assessments")] == [str(good)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_snapshot_reads_one_state_while_another_connection_writes(backend, request, tmp_path):
    address = new_address(request, backend, tmp_path)
    first = _revision(tmp_path, "first", "2026-10-14T16:40:00Z")
    with Store(address) as reader, Store(address) as writer:
        collect([first], writer, jobs=1)
        with reader.snapshot():
            before = reader.counts()
            collect([_revision(tmp_path, "newer", "2026-10-20T10:00:00Z")], writer, jobs=1)
            assert reader.counts() == before == {"assessments": 1, "revisions": 1, "frameworks": 1}
        assert reader.counts()["revisions"] == 2  # after the snapshot: the write is seen


def test_the_sqlite_store_is_still_one_file_in_wal_mode(tmp_path):
    with Store(tmp_path / "hq.sqlite") as store:
        assert store.kind == "sqlite" and store.path == tmp_path / "hq.sqlite"
    conn = sqlite3.connect(tmp_path / "hq.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


# ---------------------------------------------------------------------------- PostgreSQL's fast writes

TEXTS = [
    "tab\there",
    "line\nbreak\r\nand carriage",
    "back\\slash \\N \\t \\.",
    "",
    "unicode: é ü ß 中文 🚀 \u2028 end",
    "quote ' \" ; -- DROP TABLE answers",
    "\\N",
]
FLOATS = [0.1, 1 / 3, 1e-300, 2.5e16, 123456789.12345678, 5e-324, 1.7976931348623157e308, -2.5, None]


def _tricky(tmp_path: Path) -> tuple[Revision, str]:
    """A real revision (the goci-profile example) whose rows hold every kind of value COPY must carry: text with
    tabs, newlines, backslashes, '\\N' and unicode, '' beside NULL, floats that need all their digits."""
    got: list[tuple] = []
    with Store(tmp_path / "capture.sqlite") as store:
        add = store.add

        def keep(*a, **k):
            got.append(a)
            return add(*a, **k)

        store.add = keep  # type: ignore[method-assign]
        collect([_revision(tmp_path, "first", "2026-10-14T16:40:00Z")], store, jobs=1)
    rev, collected_at = got[0][0], got[0][1]
    t = lambda i: TEXTS[i % len(TEXTS)]  # noqa: E731
    f = lambda i: FLOATS[i % len(FLOATS)]  # noqa: E731
    rev.answers = [
        a._replace(value=t(i), label=None if i % 3 else t(i + 1), score=f(i), entity_id=None if i % 2 else t(i + 2))
        for i, a in enumerate(rev.answers)
    ]
    rev.scores = [
        s._replace(value=f(i + 1), display=t(i), rating=None if i % 2 else t(i)) for i, s in enumerate(rev.scores)
    ]
    rev.recommendations = [r._replace(finding=t(i), action=t(i + 3)) for i, r in enumerate(rev.recommendations)]
    rev.gaps = [g._replace(message=t(i), entity_id=None if i % 2 else "") for i, g in enumerate(rev.gaps)]
    return rev, collected_at


def test_rows_written_by_copy_read_back_exactly_as_sqlite_stores_them(pg_server, tmp_path):
    """On PostgreSQL a revision's answers, scores, recommendations and gaps go by COPY: every value reads back as
    written and as SQLite gives it — text byte for byte, NULL apart from '', floats to the last bit."""
    rev, collected_at = _tricky(tmp_path)
    assert min(len(rev.answers), len(rev.scores), len(rev.recommendations), len(rev.gaps)) >= COPY_FROM
    assert copy_of("INSERT INTO gaps (seq, n, kind) VALUES (?, ?, ?)") == "COPY gaps (seq, n, kind) FROM STDIN"
    assert copy_of("INSERT INTO rules (framework_hash, rule) VALUES (?, ?) ON CONFLICT DO NOTHING") is None
    held = {}
    for address in (tmp_path / "hq.sqlite", pg_server.create_database()):
        with Store(address) as store:
            assert store.add(rev, collected_at) == "collected"
            held[store.kind] = {
                t: [tuple(r.values()) for r in store.rows(f"SELECT * FROM {t} ORDER BY seq, n")]
                for t in ("answers", "scores", "recommendations", "gaps")
            }
            assert store.check() == []
    assert held["postgresql"] == held["sqlite"]
    for table, rows in (("answers", rev.answers), ("scores", rev.scores), ("gaps", rev.gaps)):
        assert held["postgresql"][table] == [(1, n, *r) for n, r in enumerate(rows)], table
    floats = [r[7] for r in held["postgresql"]["answers"]]
    assert floats[: len(FLOATS)] == FLOATS and all(type(x) is float for x in floats if x is not None)
    assert [r[5] for r in held["postgresql"]["answers"]][: len(TEXTS)] == TEXTS


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_failing_row_stores_nothing_of_the_transaction(backend, request, tmp_path):
    """A duplicate key among rows sent by COPY, or in a statement queued to go with the COMMIT, fails the whole
    transaction: nothing of it is kept."""
    driver = sqlite3.Error if backend == "sqlite" else pytest.importorskip("psycopg").Error
    with Store(new_address(request, backend, tmp_path)) as store:
        rows = [("k1", "1"), ("k2", "2"), ("k1", "3")]  # COPY (enough rows) with a duplicate
        for sent in (rows, rows[:1] + rows[2:]):  # by COPY; queued
            with pytest.raises((StoreError, driver)):
                with store.transaction() as c:
                    c.execute("INSERT INTO meta (key, value) VALUES ('before', 'x')")
                    c.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sent)
            assert store.rows("SELECT key FROM meta ORDER BY key") == [{"key": "schema_version"}]
        with store.transaction() as c:  # and the connection goes on
            c.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", rows[:2])
        assert [r["key"] for r in store.rows("SELECT key FROM meta ORDER BY key")] == ["k1", "k2", "schema_version"]


def test_a_line_break_in_a_file_s_text_never_prints_a_line_of_its_own(tmp_path, capsys):
    """A mission's name holding a line break (an attacker's fake 'collected 1, unchanged 0' line) is shown as \\n
    inside the one line of its message (E523 here), never as a line of its own under the program's."""
    first = _revision(tmp_path, "first", "2026-10-14T16:40:00Z")
    answers, _ = load_answers(first)
    answers.metadata["updated"] = "2026-10-20T10:00:00Z"
    answers.metadata["mission"] = "MINUSKES\ncollected 1, unchanged 0, superseded 0"
    forged = tmp_path / "forged.answers.yaml"
    forged.write_text(dumps(answers), encoding="utf-8")
    store = str(tmp_path / "hq.sqlite")
    assert main(["collect", str(first), "--store", store]) == 0
    capsys.readouterr()
    assert main(["collect", str(forged), "--store", store]) == 1
    out = capsys.readouterr()
    lines = (out.out + out.err).splitlines()
    assert [line for line in lines if line.startswith("collected")] == [
        f"collected 0, unchanged 0, superseded 0, rejected 1 (store {store})"
    ]
    assert "names mission 'MINUSKES\\ncollected 1, unchanged 0, superseded 0'" in out.err and "[E523]" in out.err
