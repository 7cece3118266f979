"""Provides the SQLite side of the store: the file's connection and PRAGMAs, its transactions (BEGIN IMMEDIATE:
one writer at a time), a consistent read and the integrity check — what is SQLite's own, under assess.collect.store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import problem
from .migrations import StoreError, migrate, use_wal


class SQLite:
    """One SQLite store file, opened (created and migrated on first use unless create is False)."""

    kind = "sqlite"
    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)
    """What a failing statement raises."""

    def __init__(self, path: Path, create: bool = True):
        self.path = path
        if not create and not path.is_file():
            raise StoreError([problem(str(path), None, "E515", path=path)])
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), timeout=60, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise self.error(exc) from None
        try:
            self.conn.execute("PRAGMA busy_timeout = 60000")
            use_wal(self.conn)
            self.conn.execute("PRAGMA synchronous = NORMAL")
            # foreign keys are declared (a server database enforces them) but not checked row by row here:
            # a revision and its rows are written in one transaction, and check() finds any orphan
            self.conn.execute("PRAGMA cache_size = -32768")
            self.conn.execute("PRAGMA wal_autocheckpoint = 10000")  # checkpoint every ~40 MB, not every 4 MB
            migrate(self.conn, path)
        except sqlite3.Error as exc:
            self.conn.close()
            raise self.error(exc) from None
        except BaseException:
            self.conn.close()
            raise

    def error(self, exc: BaseException) -> StoreError:
        """E509: the store cannot be used, and why."""
        reason = str(exc) if not isinstance(exc, OSError) else (exc.strerror or str(exc))
        return StoreError([problem(str(self.path), None, "E509", path=self.path, reason=reason)])

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def begin(self) -> sqlite3.Connection:
        """Start a write transaction (waiting up to the busy timeout for another writer); what runs its
        statements (sqlite3's connection speaks the store's dialect itself)."""
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def commit(self) -> None:
        """Commit the transaction begun."""
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        """Roll back the transaction begun, if SQLite has not already (it does on some errors: disk full)."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: every read inside sees the file as it was at the first (write-ahead log)."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")  # it wrote nothing: ends the read

    def rows(self, sql: str, params: Iterable | dict = ()) -> list[dict]:
        """The rows a query returns, each a dict by column name."""
        cur = self.conn.execute(sql, params if isinstance(params, dict) else tuple(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def next_seq(self, c: sqlite3.Connection) -> int:
        """The next revision's number: one past the highest (BEGIN IMMEDIATE keeps another writer out meanwhile)."""
        return int(c.execute("SELECT MAX(seq) FROM assessments").fetchone()[0] or 0) + 1

    def lock(self, c: sqlite3.Connection, kind: int, key: str) -> None:
        """Nothing to lock: the transaction holds the whole file."""

    def sync_sequence(self) -> None:
        """Nothing to do: the next revision's number is read from the table."""

    def damaged(self) -> list[str]:
        """What SQLite's integrity check finds wrong with the file, in words (none when sound)."""
        if self.conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return ["the database file is damaged (integrity_check)"]
        return []
