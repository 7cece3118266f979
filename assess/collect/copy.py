"""Provides assess store copy: one store's every table copied into a new or empty store (a SQLite file or a
PostgreSQL database, either way round) and verified row for row before anything is committed.

The tables, their columns and keys are read from the schema's own statements (assess.collect.tables), so a later
schema step is copied too. Rows are read page by page in key order (keyset pages of at most BATCH rows, fewer
when they are large) inside one consistent read of the source, and written with executemany (SQLite) or COPY
(PostgreSQL), so a store of any size is copied in bounded memory.

A SQLite destination is built in a temporary file beside it, verified, closed and then renamed over it: a kill at
any moment leaves no destination, or the old empty one, never half a store. A PostgreSQL destination is written
in one transaction and verified inside it before COMMIT; its sequence of revision numbers is set past the
highest one copied. The source is opened as every command opens a store: one of an older schema is migrated
first (as 'assess list' would), one of a newer schema refused (E510).

What a file or database holds is read before it is opened as a store, since opening one makes the store's tables
in it: a source that holds no store is refused (E535), and a destination that holds another program's tables, or
a store's revisions or keys, refused (E532), with nothing written.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AssessError, problem
from ..files import special_kind, sync_folder, take_over, target
from ..i18n import domain
from ..outputs import same_file
from .address import scrub, shown, store_address
from .migrations import SCHEMA_VERSION, StoreError
from .postgres import CONNECT_TIMEOUT
from .store import Store
from .tables import Table, schema

_, ngettext, _pgettext = domain("hq")

BATCH = 5000
"""The most rows read and written at a time."""

FIRST = 100
"""The rows of a table's first page, from whose size the next pages' are chosen."""

PAGE_BYTES = 4 << 20
"""About the most text one page may hold (a page of answers files, some 40 KB each, holds about a hundred)."""


@dataclass(frozen=True)
class CopyResult:
    """What a copy did: the tables with their rows, in the order they were copied."""

    source: str
    target: str
    tables: tuple[tuple[str, int], ...]
    assessments: int
    """Assessments (current revisions)."""
    revisions: int


Progress = Callable[[str], None]


# ---------------------------------------------------------------------------- copying


def copy_store(source: str | Path, destination: str | Path, progress: Progress | None = None) -> CopyResult:
    """Copy every table of the store at source into the store at destination (new, or holding no assessment and
    no key), verify the copy row for row, and only then commit it. Raises AssessError (E532 a destination not
    empty, E533 the same store, E534 a copy that differs, E535 a source that is not a store this assess copies)."""
    source, destination = store_address(source), store_address(destination)  # E529 before anything is opened
    src_url, dst_url = isinstance(source, str), isinstance(destination, str)
    if not src_url:
        _check_source_file(Path(source))
    if not src_url and not dst_url and same_file(source, destination):
        raise AssessError([problem(str(destination), None, "E533")])
    with _open_source(source) as src, src.snapshot():
        tables = schema()
        _check_schema(src, tables)
        if dst_url:
            return _to_server(src, str(destination), tables, progress or _quiet)
        return _to_file(src, Path(destination), tables, progress or _quiet)


def _quiet(text: str) -> None:
    pass


def _not_a_store(where: str, detail: str) -> AssessError:
    """E535: the source is not a store this assess copies, and why (detail)."""
    return AssessError([problem(where, None, "E535", detail=detail)])


def _check_source_file(path: Path) -> None:
    """E535 unless the source file holds a store, read without opening it as a store (which would make the store's
    tables in any file, another program's database included); E017 when it is not a regular file."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise _not_a_store(str(path), _("no such file")) from None
    if not stat.S_ISREG(mode):
        raise AssessError([problem(str(path), None, "E017", kind=special_kind(mode))])
    try:
        names, store_here = _file_tables(path)
    except sqlite3.Error as exc:
        raise _not_a_store(str(path), _("SQLite cannot read it as a database: {reason}").format(reason=exc)) from None
    if not store_here:
        other = _foreign(names, store_here)
        raise _not_a_store(
            str(path),
            _("it holds the tables of another program ({tables})").format(tables=", ".join(other))
            if other
            else _("it holds no store"),
        )


def _open_source(source: Path | str) -> Store:
    """The source opened as a store (brought up to date when older, as every command does); E535 for a
    PostgreSQL database that holds no store (rather than E526, whose fix names --store)."""
    try:
        return Store(source, create=False)
    except StoreError as exc:
        if [p.code for p in exc.problems] == ["E526"]:
            raise _not_a_store(shown(str(source)), _("it holds no store")) from None
        raise


def _foreign(names: set[str], store_here: bool) -> list[str]:
    """The tables that are not a store's: every one when there is no store (no meta table with a schema
    version), else those the schema does not make."""
    mine = {t.name for t in schema()} if store_here else set()
    return sorted(n for n in names - mine if not n.startswith("sqlite_"))


def _check_schema(src: Store, tables: tuple[Table, ...]) -> None:
    """E535 unless the source holds this assess's schema: its version, and the columns of each table. (Opening
    it brought an older store up to date, as every command does; a newer one was refused, E510.)"""
    version = {r["key"]: r["value"] for r in src.rows("SELECT key, value FROM meta")}.get("schema_version")
    detail = None
    if version != str(SCHEMA_VERSION):
        detail = _("its schema version is {found}, where this assess copies {known}").format(
            found=version, known=SCHEMA_VERSION
        )
    for t in tables:
        first = src.rows(f"SELECT * FROM {t.name} LIMIT 1")
        if detail is None and first and set(first[0]) != set(t.columns):
            other = ", ".join(sorted(set(first[0]) ^ set(t.columns)))
            detail = _("its table {table} differs in the columns {columns}").format(table=t.name, columns=other)
    if detail is not None:
        raise _not_a_store(str(src.path), detail)


def _refuse_unless_empty(shown: str, count: Callable[[str], int]) -> None:
    """E532 when the destination holds a revision or a key; count(table) -> its rows."""
    revisions, keys = count("assessments"), count("mission_keys")
    if revisions or keys:
        held = _("{revisions} revision(s) and {keys} mission key(s)").format(revisions=revisions, keys=keys)
        raise AssessError([problem(shown, None, "E532", held=held)])


def _to_file(src: Store, destination: Path, tables: tuple[Table, ...], progress: Progress) -> CopyResult:
    """Build the copy in a temporary file beside destination, verify it, and rename it over destination."""
    path = target(destination)  # through a symbolic link, to the file it points at
    folder = path.parent
    before = _existing(path)
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".copying", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        with Store(tmp) as out:
            with out.transaction() as c:
                counts = _fill(src, out, c, tables, str(destination), progress)
            revisions, assessments = counts["assessments"], _current(src)
        for side in _sidecars(tmp):
            if side.exists() and side.stat().st_size:  # the copy would be incomplete without them
                raise OSError(f"{side} was left behind when the copy was closed")
        take_over(tmp, before)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        if _existing(path) is not None:  # still empty: its journal files go with it
            for side in _sidecars(path):
                side.unlink(missing_ok=True)
        os.replace(tmp, path)
    except BaseException:
        for p in (tmp, *_sidecars(tmp)):
            with suppress(OSError):
                p.unlink()
        raise
    sync_folder(folder)
    return CopyResult(str(src.path), str(destination), tuple(counts.items()), assessments, revisions)


def _sidecars(path: Path) -> tuple[Path, Path]:
    """SQLite's write-ahead log and shared-memory index of a database file."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _existing(path: Path) -> os.stat_result | None:
    """The stat of the destination file when there is one, else None; E532 when it holds anything (a store's
    revision or key, or another program's tables), E017 when it is not a regular file."""
    try:
        before = os.stat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(before.st_mode):
        raise AssessError([problem(str(path), None, "E017", kind=special_kind(before.st_mode))])
    if not before.st_size:  # an empty file holds nothing
        return before
    try:
        names, store_here = _file_tables(path)
    except sqlite3.Error as exc:
        held = _("data that SQLite cannot read as a database ({reason})").format(reason=exc)
        raise AssessError([problem(str(path), None, "E532", held=held)]) from None
    _refuse_other_tables(str(path), _foreign(names, store_here))
    with Store(path, create=False) as old, old.snapshot():
        _refuse_unless_empty(str(path), lambda table: old.rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"])
    return before


def _refuse_other_tables(where: str, other: list[str]) -> None:
    """E532 when the destination holds tables no store has: another program's."""
    if other:
        held = _("the tables of another program ({tables})").format(tables=", ".join(other))
        raise AssessError([problem(where, None, "E532", held=held)])


def _file_tables(path: Path) -> tuple[set[str], bool]:
    """The tables of a SQLite file, and whether a store is there (a meta table with a schema version), read without
    opening it as a store (which would migrate it: make the store's tables in another program's database). Raises
    sqlite3.Error when SQLite cannot read it. Opened for writing, though nothing is written (read only where the
    file is write-protected), so that closing it removes the journal files a database in WAL mode has (a read-only
    connection leaves them beside it); never made when missing."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    try:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        return names, "meta" in names and _versioned(db.execute, sqlite3.Error)
    finally:
        db.close()


def _versioned(execute: Callable, errors: type[BaseException] | tuple[type[BaseException], ...]) -> bool:
    """Whether the meta table (execute's database's) is a store's: it holds the schema version."""
    try:
        return execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() is not None
    except errors:  # another program's table named meta
        return False


_RELATIONS = (  # pg_class, not information_schema.tables, which leaves out tables this user may not read
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
)


def _server_tables(url: str) -> list[str]:
    """The tables and views of the destination database's current schema (search_path's first: where a store's
    tables are made) that are not a store's, read on a plain connection before it is opened as a store: that would
    make the store's tables beside another program's (or fail on a name both use, such as scores). E529/E525 as
    the store words them; without the driver, nothing (opening the store refuses it, E524, before writing)."""
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        return []
    where = shown(url)
    try:
        given = conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise AssessError([problem(where, None, "E529", path=where, reason=_reason(exc, url))]) from None
    options: dict[str, Any] = {"application_name": "assess"}
    if "connect_timeout" not in given:  # as the store connects
        options["connect_timeout"] = CONNECT_TIMEOUT
    try:
        with psycopg.connect(url, autocommit=True, **options) as conn:
            names = {r[0] for r in conn.execute(_RELATIONS).fetchall()}
            return _foreign(names, "meta" in names and _versioned(conn.execute, psycopg.Error))
    except psycopg.Error as exc:
        raise AssessError([problem(where, None, "E525", path=where, reason=_reason(exc, url))]) from None


def _reason(exc: BaseException, url: str) -> str:
    """The driver's or server's message on one line, without the address's password."""
    return scrub(" ".join(str(exc).split()), url) or type(exc).__name__


def _to_server(src: Store, destination: str, tables: tuple[Table, ...], progress: Progress) -> CopyResult:
    """Copy into a PostgreSQL database in one transaction, verified before it commits; E532 before anything is
    written when it holds another program's tables."""
    _refuse_other_tables(shown(destination), _server_tables(destination))
    with Store(destination) as out:
        where = str(out.path)
        with out.transaction() as c:
            if src.kind == out.kind and _same_database(src, c):
                raise AssessError([problem(where, None, "E533")])
            _refuse_unless_empty(where, lambda table: c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for t in reversed(tables):  # what an empty store may hold: frameworks a collect read and stored nothing of
                if t.name != "meta":
                    c.execute(f"DELETE FROM {t.name}")
            counts = _fill(src, out, c, tables, where, progress)
        return CopyResult(str(src.path), where, tuple(counts.items()), _current(src), counts["assessments"])


def _fill(src: Store, out: Store, c, tables: tuple[Table, ...], shown: str, progress: Progress) -> dict[str, int]:
    """Copy and verify every table through the destination's transaction c (E534 when a statement fails or the
    copy differs: the transaction is then rolled back); rows per table."""
    try:
        counts = _copy_tables(src, out, c, tables, progress)
        out.sync_sequence()  # PostgreSQL: the next revision collected is numbered past the highest copied
        verify_copy(src, c, tables, shown, progress)
    except _failures(src, out) as exc:
        detail = " ".join(str(exc).split())
        raise AssessError([problem(shown, None, "E534", source=src.path, detail=detail)]) from None
    return counts


def _failures(*stores: Store) -> tuple[type[BaseException], ...]:
    """What a statement of these stores' database drivers raises."""
    kinds: list[type[BaseException]] = [sqlite3.Error]
    if any(s.kind == "postgresql" for s in stores):
        import psycopg  # only a PostgreSQL store has it loaded (and installed)

        kinds.append(psycopg.Error)
    return tuple(kinds)


def _same_database(src: Store, c) -> bool:
    """Whether a PostgreSQL source is the destination's database: a lock the source's transaction holds cannot be
    taken by the destination's (advisory locks are the database's own)."""
    key = secrets.randbits(62)
    if not src.rows("SELECT pg_try_advisory_xact_lock(?) AS got", (key,))[0]["got"]:
        return False  # taken by someone else: cannot tell, and the emptiness check has passed
    return not c.execute("SELECT pg_try_advisory_xact_lock(?)", (key,)).fetchone()[0]


def _current(src: Store) -> int:
    return src.rows("SELECT COUNT(*) AS n FROM assessments WHERE is_current = 1")[0]["n"]


def _copy_tables(src: Store, out: Store, c, tables: tuple[Table, ...], progress: Progress) -> dict[str, int]:
    """Insert every row of every source table through the destination's transaction c; rows per table."""
    counts = {}
    for t in tables:
        held: set[tuple] = set()
        if t.name == "meta":  # the destination's own migration wrote its schema version: not again
            held = {tuple(r) for r in c.execute("SELECT key FROM meta").fetchall()}
        n = 0
        for (page,) in _pages(t, _reader(src)):
            _insert(out, c, t, [r for r in page if t.key_of(r) not in held] if held else page)
            n += len(page)
            progress(_("copying {table}: {count}").format(table=t.name, count=n))
        counts[t.name] = n
    return counts


def _insert(out: Store, c, t: Table, rows: list[tuple]) -> None:
    """Insert rows into t: with executemany into SQLite (a prepared statement run in C); into PostgreSQL with its
    COPY protocol, through the driver's connection the transaction runs on (an INSERT per row costs a round of
    the protocol each, even pipelined: ten times slower over a million rows)."""
    if not rows:
        return
    columns = ", ".join(t.columns)
    if out.kind == "sqlite":
        c.executemany(f"INSERT INTO {t.name} ({columns}) VALUES ({', '.join('?' * len(t.columns))})", rows)
        return
    with c.conn.cursor().copy(f"COPY {t.name} ({columns}) FROM STDIN") as pipe:
        for row in rows:
            pipe.write_row(row)


Read = Callable[[str, tuple], list[tuple]]


def _reader(store: Store) -> Read:
    """What reads a page of the store, as tuples."""
    return lambda sql, params: [tuple(r.values()) for r in store.rows(sql, params)]


def _pages(t: Table, *reads: Read) -> Iterator[tuple[list[tuple], ...]]:
    """The rows of a table page by page in key order, as tuples of t.columns, from each reader (the source and the
    copy) over the same range of keys: the first's page decides where the next begins. A page holds at most BATCH
    rows, fewer when they are large (the first is small, to measure them)."""
    limit, last = FIRST, None
    key = ", ".join(t.key)
    while True:
        where = f" WHERE ({key}) > ({', '.join('?' * len(t.key))})" if last is not None else ""
        sql = f"SELECT {', '.join(t.columns)} FROM {t.name}{where} ORDER BY {key} LIMIT {limit}"
        pages = tuple(read(sql, last or ()) for read in reads)
        if not any(pages):
            return
        yield pages
        first = pages[0]
        if len(first) < limit:  # the last (another reader's rows past it are in its page, up to the limit)
            return
        last = t.key_of(first[-1])
        limit = _next_limit(first, limit)


def _next_limit(page: list[tuple], limit: int) -> int:
    """How many rows the next page may hold, from the size of this one's (a sample of them)."""
    sample = page[:: max(1, len(page) // 32)]
    size = sum(len(v) if isinstance(v, (str, bytes)) else 8 for row in sample for v in row) * len(page) // len(sample)
    return max(FIRST, min(BATCH, limit * PAGE_BYTES // max(size, 1)))


# ---------------------------------------------------------------------------- verifying


def verify_copy(src: Store, c, tables: tuple[Table, ...], shown: str, progress: Progress) -> None:
    """E534 unless every table of the copy (read through c) holds the source's rows, equal column by column."""

    def copy(sql: str, params: tuple) -> list[tuple]:
        return [tuple(r) for r in c.execute(sql, params).fetchall()]

    for t in tables:
        n = 0
        if t.numeric_key:  # page by page: both databases order numbers alike
            pairs: Iterator[tuple[list[tuple], ...]] = _pages(t, _reader(src), copy)
        else:  # whole, sorted here: each database orders text by its own collation
            theirs = sorted((r for (p,) in _pages(t, _reader(src)) for r in p), key=t.key_of)
            ours = sorted((r for (p,) in _pages(t, copy) for r in p), key=t.key_of)
            pairs = iter([(theirs, ours)])
        for theirs, ours in pairs:
            _compare(t, theirs, ours, shown, str(src.path))
            n += len(theirs)
            progress(_("verifying {table}: {count}").format(table=t.name, count=n))


def _compare(t: Table, theirs: list[tuple], ours: list[tuple], shown: str, source: str) -> None:
    """E534 at the first row (in key order) that differs: held by one side only, or a column not the same."""
    if theirs == ours:  # each driver gives a column's values one type (int, float, str): equal pages are equal rows
        return
    for i in range(max(len(theirs), len(ours))):
        a = theirs[i] if i < len(theirs) else None
        b = ours[i] if i < len(ours) else None
        if a is not None and a == b:
            continue
        if a is None or (b is not None and t.key_of(b) < t.key_of(a)):
            row, detail = b, _("a row the source does not hold")
        elif b is None or t.key_of(a) != t.key_of(b):
            row, detail = a, _("the row is missing from the copy")
        else:
            row, detail = a, None
            for column, x, y in zip(t.columns, a, b, strict=True):
                if not (_same_json(x, y) if column in t.json else _same(x, y)):
                    detail = _("column {column} differs").format(column=column)
                    break
            if detail is None:
                continue  # JSON spelt otherwise (PostgreSQL's JSONB), the same when read
        assert row is not None
        key = ", ".join(f"{k}={v!r}" for k, v in zip(t.key, t.key_of(row), strict=True))
        where = _("table {table}, row {key}: {detail}").format(table=t.name, key=key, detail=detail)
        raise AssessError([problem(shown, None, "E534", source=source, detail=where)])


def _same(a: object, b: object) -> bool:
    """Equal and of one type (1 is not 1.0), a float to its last bit."""
    return type(a) is type(b) and (repr(a) == repr(b) if isinstance(a, float) else a == b)


def _same_json(a: object, b: object) -> bool:
    """The same JSON once read (keys in any order, any spacing): the same keys, texts and numbers, floats equal to
    the last bit (what PostgreSQL's JSONB gives back is its own spelling of the same values)."""
    if a == b:
        return True
    if not (isinstance(a, str) and isinstance(b, str)):
        return False
    try:
        return bool(json.loads(a) == json.loads(b))
    except ValueError:
        return False
