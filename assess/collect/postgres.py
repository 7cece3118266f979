"""Provides the PostgreSQL side of the store (psycopg 3, imported only when a postgresql:// store is opened): the
connection, SQLite's dialect translated, the schema migrated under an advisory lock, the revisions' numbers from a
sequence, advisory locks per assessment and framework, and consistent reads (REPEATABLE READ READ ONLY).

Statements are written once, in SQLite's dialect, in assess.collect.store: ? and :name placeholders become %s and
%(name)s here. The connection is in autocommit and each write is one explicit transaction (READ COMMITTED): a
collect locks the framework it writes, then the assessment, so several collects at once into one database neither
lose nor duplicate a revision. JSON columns (JSONB) are read back as their text, as SQLite gives it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from ..errors import problem
from .address import scrub, shown
from .migrations import SCHEMA_VERSION, SEQUENCE, StoreError, for_postgres

_TOKEN = re.compile(r"'[^']*'|\"[^\"]*\"|\?|(?<![:\w]):([A-Za-z_]\w*)|%")
_PLAIN_INSERT = re.compile(r"INSERT INTO (\w+) \(\s*(\w+(?:\s*,\s*\w+)*)\s*\) VALUES \((\s*\?(?:\s*,\s*\?)*\s*)\)")
COPY_FROM = 3
"""Rows from which a plain INSERT's rows go by COPY (two round trips) rather than pipelined INSERTs (one)."""
_BEGIN = ("BEGIN", (), False)
_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE: no transaction open
CONNECT_TIMEOUT = 15
"""Seconds to wait for the server when the address does not say (connect_timeout=)."""
_SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(0, hashtext('assess store schema'))"


@lru_cache(maxsize=1024)
def dialect(sql: str) -> str:
    """A statement in SQLite's dialect as psycopg takes it: ? -> %s, :name -> %(name)s, % -> %% (quoted text and
    names left as they are)."""

    def one(m: re.Match) -> str:
        token = m.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        return f"%({m.group(1)})s" if m.group(1) else token

    return _TOKEN.sub(one, sql)


@lru_cache(maxsize=256)
def copy_of(sql: str) -> str | None:
    """The COPY that does what a plain INSERT INTO t (columns) VALUES (?, …) does row by row; None for any other
    statement (ON CONFLICT, RETURNING, expressions, named placeholders: those stay INSERTs)."""
    m = _PLAIN_INSERT.fullmatch(sql.strip())
    if m is None or len(m.group(2).split(",")) != m.group(3).count("?"):
        return None
    return f"COPY {m.group(1)} ({m.group(2)}) FROM STDIN"


def _params(params: Iterable | dict) -> tuple | dict:
    return params if isinstance(params, dict) else tuple(params)


class Statements:
    """What runs a transaction's statements (Store.transaction), in SQLite's dialect, like sqlite3's connection:
    execute(sql, params) -> cursor (fetchone, fetchall, rowcount, iteration) and executemany(sql, rows).

    Fewer round trips to the server: statements whose results nobody reads (BEGIN, the advisory locks, and every
    executemany) wait in a queue and go in one pipeline with the next statement that is executed, or with the
    COMMIT; so an error of theirs is raised there, still inside the transaction. A plain INSERT given many rows
    goes by COPY (one stream, the rows parsed by the server as text, as psycopg writes them: NULL, numbers and
    floats exactly, JSON as its text), not as one INSERT executed per row."""

    def __init__(self, conn: Any):
        self._conn = conn
        self.queue: list[tuple[str, Any, bool]] = []  # (statement in psycopg's dialect, params, many rows)

    @property
    def conn(self) -> Any:
        """The driver's connection, for what it alone does (its COPY): the statements queued sent first, so that
        whatever runs on it runs inside the transaction."""
        self.flush()
        return self._conn

    def _run(self, sql: str, params: Any, many: bool, cur: Any) -> None:
        if many:
            cur.executemany(sql, params)
        else:
            cur.execute(sql, params)

    def flush(self, last: tuple[str, Any, bool] | None = None, cur: Any = None) -> None:
        """Send the statements queued (and last, on cur) in one pipeline: one round trip, their results read."""
        todo = [*self.queue, *([last] if last else [])]
        self.queue = []
        if len(todo) == 1:
            self._run(*todo[0], cur or self._conn.cursor())
        elif todo:
            with self._conn.pipeline():
                for k, (sql, params, many) in enumerate(todo):
                    self._run(sql, params, many, cur if cur is not None and k == len(todo) - 1 else self._conn.cursor())

    def later(self, sql: str, params: Iterable | dict = ()) -> None:
        """Queue a statement (in SQLite's dialect) whose result is not read: sent with the next one."""
        self.queue.append((dialect(sql), _params(params), False))

    def execute(self, sql: str, params: Iterable | dict = ()) -> Any:
        """Run one statement (after those queued); its cursor."""
        cur = self._conn.cursor()
        self.flush((dialect(sql), _params(params), False), cur)
        return cur

    def executemany(self, sql: str, rows: Iterable[Iterable | dict]) -> Any:
        """Run one statement once per row of parameters: by COPY for a plain INSERT of many rows (sent at once),
        else queued (sent, pipelined, with the next statement or the COMMIT). Its cursor (no rowcount)."""
        cur = self._conn.cursor()
        batch = [_params(r) for r in rows]
        copy = copy_of(sql) if len(batch) >= COPY_FROM else None
        if copy is not None and not any(isinstance(r, dict) for r in batch):
            self.flush()  # COPY cannot be pipelined
            with cur.copy(copy) as stream:
                for r in batch:
                    stream.write_row(r)
        elif batch:
            self.queue.append((dialect(sql), batch, True))
        return cur


class PostgreSQL:
    """One PostgreSQL store, by its URL: connected, its schema made or migrated (unless create is False)."""

    kind = "postgresql"

    def __init__(self, url: str, create: bool = True):
        self.url = url
        self.path = shown(url)
        self.statements: Statements | None = None
        """The write transaction's, between begin and its commit or rollback."""
        try:
            import psycopg  # the optional extra assess[postgres]
            from psycopg.conninfo import conninfo_to_dict
            from psycopg.types.string import TextLoader
        except ImportError:
            raise StoreError([problem(self.path, None, "E524", path=self.path)]) from None
        self.errors: tuple[type[BaseException], ...] = (psycopg.Error,)
        """What a failing statement raises."""
        try:
            given = conninfo_to_dict(url)
        except psycopg.Error as exc:
            raise StoreError([problem(self.path, None, "E529", path=self.path, reason=self._reason(exc))]) from None
        options: dict[str, Any] = {"application_name": "assess", "client_encoding": "utf8"}
        if "connect_timeout" not in given:
            options["connect_timeout"] = CONNECT_TIMEOUT
        try:
            self.conn = psycopg.connect(url, autocommit=True, **options)
        except psycopg.Error as exc:
            raise StoreError([problem(self.path, None, "E525", path=self.path, reason=self._reason(exc))]) from None
        try:
            for name in ("json", "jsonb"):  # JSON read back as the text written, as from SQLite
                self.conn.adapters.register_loader(name, TextLoader)
            encoding = self.conn.execute("SHOW server_encoding").fetchone()
            if encoding is None or encoding[0].upper() != "UTF8":
                fields = {"path": self.path, "encoding": encoding[0] if encoding else "?"}
                raise StoreError([problem(self.path, None, "E528", **fields)])
            self._migrate(create)
        except psycopg.Error as exc:
            self.conn.close()
            raise self.error(exc) from None
        except BaseException:
            self.conn.close()
            raise

    def _reason(self, exc: BaseException) -> str:
        """The driver's or server's message on one line, without any password of the address."""
        return scrub(" ".join(str(exc).split()), self.url) or type(exc).__name__

    def error(self, exc: BaseException) -> StoreError:
        """E527: a statement failed (the connection lost, the server refused), and why."""
        return StoreError([problem(self.path, None, "E527", path=self.path, reason=self._reason(exc))])

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def _version(self) -> int | None:
        """The schema version the database holds (None: no store there)."""
        if self.conn.execute("SELECT to_regclass('meta') IS NULL").fetchone() != (False,):
            return None
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self, create: bool) -> None:
        """Make or bring the schema to SCHEMA_VERSION in one transaction under an advisory lock, so that several
        processes opening a new database at once make it once."""
        found = self._version()
        if found is None and not create:
            raise StoreError([problem(self.path, None, "E526", path=self.path)])
        if found == SCHEMA_VERSION:
            return
        with self.conn.transaction():
            self.conn.execute(_SCHEMA_LOCK)
            self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)")
            self.conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '0') ON CONFLICT DO NOTHING")
            found = self._version() or 0  # another process may have migrated meanwhile
            if found > SCHEMA_VERSION:
                fields = {"path": self.path, "found": found, "known": SCHEMA_VERSION}
                raise StoreError([problem(self.path, None, "E510", **fields)])
            for version in range(found + 1, SCHEMA_VERSION + 1):
                for statement in for_postgres(version):
                    self.conn.execute(statement)
            self.conn.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))

    def begin(self) -> Statements:
        """Start a write transaction (its BEGIN sent with its first statement); what runs its statements."""
        self.statements = Statements(self.conn)
        self.statements.queue.append(_BEGIN)
        return self.statements

    def commit(self) -> None:
        """Commit the transaction begun: the statements still queued, then COMMIT, in one round trip (nothing
        when nothing was sent)."""
        # The COMMIT waits for the server's log to reach its disk (synchronous_commit on, PostgreSQL's default): most
        # of a revision's time. An operator may trade it for speed (ALTER DATABASE … SET synchronous_commit = off:
        # a crash of the server may lose its last commits, never their consistency); assess leaves that to them.
        c, self.statements = self.statements, None
        if c is not None and c.queue != [_BEGIN]:  # else nothing was sent: no transaction to end
            c.flush(("COMMIT", (), False))

    def rollback(self) -> None:
        """Roll back the transaction begun (nothing to do when the connection is lost: the server rolled back)."""
        self.statements = None  # what was queued is dropped
        if self.conn.info.transaction_status != _IDLE and not self.conn.closed:
            try:
                self.conn.execute("ROLLBACK")
            except self.errors:
                pass

    def _sent(self) -> None:
        """Send what a write transaction has queued, so that a statement run on the connection itself runs in it."""
        if self.statements is not None:
            self.statements.flush()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A REPEATABLE READ READ ONLY transaction: every read inside sees the database as at the first."""
        self._sent()
        if self.conn.info.transaction_status != _IDLE:
            yield
            return
        self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield
        finally:
            self.rollback()  # it wrote nothing: ends the read

    def rows(self, sql: str, params: Iterable | dict = ()) -> list[dict]:
        """The rows a query returns, each a dict by column name."""
        self._sent()
        cur = self.conn.cursor()
        cur.execute(dialect(sql), _params(params))
        names = [d.name for d in cur.description or ()]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def next_seq(self, c: Statements) -> int:
        """The next revision's number, from the sequence (no two collects draw the same)."""
        return int(c.execute(f"SELECT nextval('{SEQUENCE}')").fetchone()[0])

    def lock(self, c: Statements, kind: int, key: str) -> None:
        """Wait for, then hold until the transaction ends, the advisory lock of a framework (kind 1, by its hash)
        or an assessment (kind 2, by its id)."""
        c.later(f"SELECT pg_advisory_xact_lock({int(kind)}, hashtext(?))", (key,))  # sent with the next statement

    def sync_sequence(self) -> None:
        """Set the sequence past the highest revision number held (after rows were copied in with theirs)."""
        self._sent()
        sql = f"SELECT setval('{SEQUENCE}', COALESCE((SELECT MAX(seq) FROM assessments), 0) + 1, false)"
        self.conn.execute(sql)

    def damaged(self) -> list[str]:
        """Nothing: the server checks its own files."""
        return []
