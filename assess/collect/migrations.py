"""Provides the store's schema: the version this code reads and writes, the statements that create each
version's tables, and opening a connection to them (write-ahead logging, migration one step at a time).

Portable SQL: standard types (TEXT, INTEGER, REAL), explicit keys (no AUTOINCREMENT). What is SQLite's own is
the journal mode (WAL), BEGIN IMMEDIATE and WITHOUT ROWID on the row tables (one b-tree per table instead of
two). PostgreSQL runs the same steps through for_postgres (assess.collect.postgres): WITHOUT ROWID dropped, REAL
as DOUBLE PRECISION, the JSON columns as JSONB, a sequence for the revisions' numbers. The tables' columns are
the fields of the records in assess.collect.rows, by name.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

from ..errors import AssessError, problem


class StoreError(AssessError):
    """The store itself cannot be used (not a database, locked for too long, disk full): collection stops."""


SCHEMA_VERSION = 4
"""The schema this code reads and writes; a store with a lower version is migrated when opened."""

#: The statements that bring a store from version n-1 to version n. Append, never edit a released step.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE assessments (
            seq INTEGER NOT NULL PRIMARY KEY,
            assessment_id TEXT NOT NULL,
            revision TEXT NOT NULL UNIQUE,
            framework_id TEXT NOT NULL,
            framework_version TEXT NOT NULL,
            framework_hash TEXT NOT NULL,
            framework_title TEXT NOT NULL,
            title TEXT NOT NULL,
            mission TEXT NOT NULL,
            area TEXT NOT NULL,
            period TEXT NOT NULL,
            period_start TEXT,
            period_end TEXT,
            analyst TEXT NOT NULL,
            marking TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            complete INTEGER NOT NULL,
            questions INTEGER NOT NULL,
            answered INTEGER NOT NULL,
            unanswered INTEGER NOT NULL,
            not_applicable INTEGER NOT NULL,
            unknown INTEGER NOT NULL,
            required_missing INTEGER NOT NULL,
            hidden INTEGER NOT NULL,
            confidence TEXT NOT NULL,
            metadata TEXT NOT NULL,
            n_answers INTEGER NOT NULL,
            n_scores INTEGER NOT NULL,
            n_recommendations INTEGER NOT NULL,
            n_gaps INTEGER NOT NULL,
            source TEXT NOT NULL,
            source_kind TEXT NOT NULL,
            collected_at TEXT NOT NULL,
            is_current INTEGER NOT NULL
        )""",
        "CREATE INDEX assessments_identity ON assessments (assessment_id, period)",
        "CREATE INDEX assessments_current ON assessments (is_current, framework_id, mission)",
        """CREATE TABLE answers (
            seq INTEGER NOT NULL REFERENCES assessments (seq) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            entity_id TEXT,
            status TEXT NOT NULL,
            value TEXT,
            label TEXT,
            score REAL,
            confidence TEXT,
            sources INTEGER NOT NULL,
            PRIMARY KEY (seq, n)
        ) WITHOUT ROWID""",
        """CREATE TABLE scores (
            seq INTEGER NOT NULL REFERENCES assessments (seq) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            kind TEXT NOT NULL,
            score_id TEXT NOT NULL,
            entity_id TEXT,
            entity_name TEXT,
            title TEXT NOT NULL,
            depth INTEGER NOT NULL,
            exact TEXT,
            value REAL,
            display TEXT NOT NULL,
            rating TEXT,
            colour TEXT,
            direction TEXT NOT NULL,
            PRIMARY KEY (seq, n)
        ) WITHOUT ROWID""",
        """CREATE TABLE recommendations (
            seq INTEGER NOT NULL REFERENCES assessments (seq) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            rule TEXT NOT NULL,
            priority TEXT NOT NULL,
            finding TEXT NOT NULL,
            action TEXT NOT NULL,
            section_id TEXT,
            entity_id TEXT,
            entity_name TEXT,
            PRIMARY KEY (seq, n)
        ) WITHOUT ROWID""",
        """CREATE TABLE gaps (
            seq INTEGER NOT NULL REFERENCES assessments (seq) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            kind TEXT NOT NULL,
            question_id TEXT NOT NULL,
            entity_id TEXT,
            message TEXT NOT NULL,
            PRIMARY KEY (seq, n)
        ) WITHOUT ROWID""",
        """CREATE TABLE rules (
            framework_hash TEXT NOT NULL,
            rule TEXT NOT NULL,
            reference TEXT NOT NULL,
            source TEXT,
            PRIMARY KEY (framework_hash, rule)
        )""",
        """CREATE TABLE frameworks (
            framework_hash TEXT NOT NULL PRIMARY KEY,
            framework_id TEXT NOT NULL,
            version TEXT NOT NULL,
            title TEXT NOT NULL,
            from_file INTEGER NOT NULL
        )""",
        """CREATE TABLE framework_questions (
            framework_hash TEXT NOT NULL REFERENCES frameworks (framework_hash) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            section_id TEXT NOT NULL,
            signature TEXT,
            PRIMARY KEY (framework_hash, question_id)
        )""",
        """CREATE TABLE framework_scores (
            framework_hash TEXT NOT NULL REFERENCES frameworks (framework_hash) ON DELETE CASCADE,
            score_id TEXT NOT NULL,
            questions TEXT NOT NULL,
            PRIMARY KEY (framework_hash, score_id)
        )""",
    ),
    # 2 (issue 17): each revision's answers file as data (its follow-up, and its answers migrated to compare
    # versions), and where a framework version's file was read (its declared migrations); revisions held
    # before have none, and a collect of the same file adds it
    2: (
        """CREATE TABLE answer_files (
            seq INTEGER NOT NULL PRIMARY KEY REFERENCES assessments (seq) ON DELETE CASCADE,
            data TEXT NOT NULL,
            follow_up_total INTEGER,
            follow_up_done INTEGER,
            follow_up_in_progress INTEGER,
            follow_up_dropped INTEGER,
            follow_up_not_started INTEGER
        )""",
        "ALTER TABLE frameworks ADD COLUMN path TEXT",
    ),
    # 3 (issue 18): the language each revision's texts are in; '' for revisions held before (read as their
    # framework's default language)
    3: ("ALTER TABLE assessments ADD COLUMN language TEXT NOT NULL DEFAULT ''",),
    # 4 (issue 19): the missions' public keys headquarters trusts (assess key trust), the key that signed each
    # revision (NULL: unsigned), and the SHA-256 of the file each revision was collected from (its name in the
    # content-addressed archive, collect --archive); revisions held before have neither
    4: (
        """CREATE TABLE mission_keys (
            fingerprint TEXT NOT NULL PRIMARY KEY,
            mission TEXT NOT NULL,
            public_key TEXT NOT NULL,
            created TEXT NOT NULL,
            trusted_at TEXT NOT NULL,
            revoked_at TEXT,
            revoked_reason TEXT
        )""",
        "CREATE INDEX mission_keys_mission ON mission_keys (mission)",
        "ALTER TABLE assessments ADD COLUMN signed_by TEXT",
        "ALTER TABLE assessments ADD COLUMN file_sha256 TEXT",
    ),
}


JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "assessments": ("confidence", "metadata"),
    "answer_files": ("data",),
    "framework_scores": ("questions",),
}
"""The columns that hold JSON text, by table: JSONB on PostgreSQL (queryable: metadata->>'mission')."""

SEQUENCE = "assessments_seq"
"""PostgreSQL's sequence of the revisions' numbers (assessments.seq)."""


def for_postgres(version: int) -> tuple[str, ...]:
    """The statements of MIGRATIONS[version] in PostgreSQL's dialect: WITHOUT ROWID dropped, REAL (4 bytes there)
    as DOUBLE PRECISION, the JSON_COLUMNS as JSONB; step 1 also makes the sequence of the revisions' numbers."""
    out = []
    for statement in MIGRATIONS[version]:
        sql = re.sub(r"\)\s*WITHOUT ROWID\s*$", ")", statement)
        sql = re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)
        table = re.match(r"\s*(?:CREATE TABLE|ALTER TABLE)\s+(\w+)", sql)
        for column in JSON_COLUMNS.get(table.group(1), ()) if table else ():
            sql = re.sub(rf"(?m)(^\s*|ADD COLUMN\s+){column} TEXT\b", rf"\g<1>{column} JSONB", sql)
        out.append(sql)
    if version == 1:
        out.append(f"CREATE SEQUENCE {SEQUENCE} OWNED BY assessments.seq")
    return tuple(out)


def use_wal(conn: sqlite3.Connection, seconds: float = 60) -> None:
    """Turn on write-ahead logging. SQLite answers 'database is locked' at once, without waiting out the busy
    timeout, when another process is switching the same new file at the same moment: try again for a while."""
    deadline = time.monotonic() + seconds
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _locked(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.25)


def _locked(exc: sqlite3.Error) -> bool:
    """Whether SQLite refused because another connection holds the file ('database is locked'), by its code."""
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the store to SCHEMA_VERSION, one step per transaction; return the version found."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)")
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '0')")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    found = int(row[0]) if row else 0
    if found > SCHEMA_VERSION:
        raise StoreError([problem(str(path), None, "E510", path=path, found=found, known=SCHEMA_VERSION)])
    for version in range(found + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = int(conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
            if current < version:  # another process may have migrated meanwhile
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
                conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found
