"""Provides assess store copy: one store's every table copied into a new or empty store (a SQLite file or a
PostgreSQL database, either way round) and verified row for row before anything is committed.

The tables, their columns and keys are read from the schema's own statements (migrations.MIGRATIONS), so a later
schema step is copied too. Rows are read page by page in key order (keyset pages of at most BATCH rows, fewer
when they are large) inside one consistent read of the source, and written with executemany (SQLite) or COPY
(PostgreSQL), so a store of any size is copied in bounded memory.

A SQLite destination is built in a temporary file beside it, verified, closed and then renamed over it: a kill at
any moment leaves no destination, or the old empty one, never half a store. A PostgreSQL destination is written
in one transaction and verified inside it before COMMIT; its sequence of revision numbers is set past the
highest one copied. The source is opened as every command opens a store: one of an older schema is migrated
first (as 'assess list' would), one of a newer schema refused (E510).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AssessError, problem
from ..files import special_kind, sync_folder, take_over, target
from ..i18n import domain
from ..outputs import same_file
from .address import is_url
from .migrations import JSON_COLUMNS, MIGRATIONS, SCHEMA_VERSION
from .store import Store

_, ngettext, _pgettext = domain("hq")

BATCH = 5000
"""The most rows read and written at a time."""

FIRST = 100
"""The rows of a table's first page, from whose size the next pages' are chosen."""

PAGE_BYTES = 4 << 20
"""About the most text one page may hold (a page of answers files, some 40 KB each, holds about a hundred)."""

META = ("meta", {"key": "TEXT", "value": "TEXT"}, ("key",))
"""The schema's bookkeeping table (its version), which migrate() makes before the first step."""


@dataclass(frozen=True)
class Table:
    """One table of the schema."""

    name: str
    columns: tuple[str, ...]
    """Every column, in the order the schema adds them."""
    types: tuple[str, ...]
    """Each column's type (INTEGER, REAL, TEXT)."""
    key: tuple[str, ...]
    """The primary key's columns."""
    json: tuple[str, ...] = ()
    """The columns that hold JSON text, compared as parsed JSON (PostgreSQL keeps them as JSONB, which gives them
    back with its own spacing and order of keys)."""
    _at: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_at", tuple(self.columns.index(k) for k in self.key))

    @property
    def numeric_key(self) -> bool:
        """Whether every key column is an INTEGER: both databases then order the rows alike, and the two copies
        are compared page by page; a table keyed by text (ordered by each database's own collation) is compared
        whole, sorted here (those are the small tables: frameworks, their questions and rules, keys)."""
        return all(self.types[i] == "INTEGER" for i in self._at)

    def key_of(self, row: tuple) -> tuple:
        """A row's key (the row a tuple of the columns)."""
        return tuple(row[i] for i in self._at)


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


# ---------------------------------------------------------------------------- the schema's tables

_CREATE = re.compile(r"\s*CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\((.*)\)[^)]*$", re.S)
_ADD = re.compile(r"\s*ALTER TABLE (\w+) ADD COLUMN (\w+)\s+(\w+)")
_DROP = re.compile(r"\s*DROP TABLE (?:IF EXISTS )?(\w+)")
_CONSTRAINT = ("PRIMARY", "FOREIGN", "UNIQUE", "CHECK", "CONSTRAINT")


def _parts(body: str) -> list[str]:
    """A CREATE TABLE's body split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    parts.append(body[start:].strip())
    return [p for p in parts if p]


def _create(body: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """A CREATE TABLE's columns (name -> type) and primary key."""
    columns: dict[str, str] = {}
    key: tuple[str, ...] = ()
    for part in _parts(body):
        words = part.split()
        if part.upper().startswith("PRIMARY KEY"):
            key = tuple(c.strip() for c in part[part.index("(") + 1 : part.rindex(")")].split(","))
        elif words[0].upper() not in _CONSTRAINT:
            columns[words[0]] = words[1].upper()
            if "PRIMARY KEY" in part.upper():
                key = (words[0],)
    return columns, key


def schema(migrations: dict[int, tuple[str, ...]] = MIGRATIONS) -> tuple[Table, ...]:
    """The tables the schema's statements make, in the order they make them (a table before those that refer to
    it), each with its columns, primary key and JSON columns."""
    columns: dict[str, dict[str, str]] = {META[0]: dict(META[1])}
    keys: dict[str, tuple[str, ...]] = {META[0]: META[2]}
    for version in sorted(migrations):
        for statement in migrations[version]:
            if m := _CREATE.match(statement):
                columns[m.group(1)], keys[m.group(1)] = _create(m.group(2))
            elif m := _ADD.match(statement):
                columns[m.group(1)][m.group(2)] = m.group(3).upper()
            elif m := _DROP.match(statement):
                del columns[m.group(1)], keys[m.group(1)]
    return tuple(
        Table(name, tuple(cols), tuple(cols.values()), keys[name], JSON_COLUMNS.get(name, ()))
        for name, cols in columns.items()
    )


# ---------------------------------------------------------------------------- copying


def copy_store(source: str | Path, destination: str | Path, progress: Progress | None = None) -> CopyResult:
    """Copy every table of the store at source into the store at destination (new, or holding no assessment and
    no key), verify the copy row for row, and only then commit it. Raises AssessError (E515 no source, E532 a
    destination not empty, E533 the same store, E534 a copy that differs, E535 a source of another schema)."""
    src_url, dst_url = is_url(str(source)), is_url(str(destination))
    if not src_url and not dst_url and same_file(source, destination):
        raise AssessError([problem(str(destination), None, "E533", source=source, target=destination)])
    with Store(source, create=False) as src, src.snapshot():
        tables = schema()
        _check_schema(src, tables)
        if dst_url:
            return _to_server(src, str(destination), tables, progress or _quiet)
        return _to_file(src, Path(destination), tables, progress or _quiet)


def _quiet(text: str) -> None:
    pass


def _check_schema(src: Store, tables: tuple[Table, ...]) -> None:
    """E535 unless the source holds this assess's schema: its version, and the columns of each table. (Opening
    it brought an older store up to date, as every command does; a newer one was refused, E510.)"""
    version = {r["key"]: r["value"] for r in src.rows("SELECT key, value FROM meta")}.get("schema_version")
    detail = None
    if version != str(SCHEMA_VERSION):
        detail = _("its schema version is {found}").format(found=version)
    for t in tables:
        first = src.rows(f"SELECT * FROM {t.name} LIMIT 1")
        if detail is None and first and set(first[0]) != set(t.columns):
            other = ", ".join(sorted(set(first[0]) ^ set(t.columns)))
            detail = _("its table {table} differs in the columns {columns}").format(table=t.name, columns=other)
    if detail is not None:
        shown = str(src.path)
        raise AssessError([problem(shown, None, "E535", source=shown, known=SCHEMA_VERSION, detail=detail)])


def _refuse_unless_empty(shown: str, count: Callable[[str], int]) -> None:
    """E532 when the destination holds a revision or a key; count(table) -> its rows."""
    revisions, keys = count("assessments"), count("mission_keys")
    if revisions or keys:
        held = _("{revisions} revision(s) and {keys} mission key(s)").format(revisions=revisions, keys=keys)
        raise AssessError([problem(shown, None, "E532", target=shown, held=held)])


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
    other = _other_tables(path)
    if other:
        held = _("the tables of another program ({tables})").format(tables=", ".join(other))
        raise AssessError([problem(str(path), None, "E532", target=path, held=held)])
    with Store(path, create=False) as old, old.snapshot():
        _refuse_unless_empty(str(path), lambda table: old.rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"])
    return before


def _other_tables(path: Path) -> list[str]:
    """The tables of a SQLite file that no store has, read without opening it as a store (which would migrate it:
    make the store's tables in another program's database); none when it is no database (Store says so)."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    try:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:
        return []
    finally:
        db.close()
    return sorted(n for n in names - {t.name for t in schema()} if not n.startswith("sqlite_"))


def _to_server(src: Store, destination: str, tables: tuple[Table, ...], progress: Progress) -> CopyResult:
    """Copy into a PostgreSQL database in one transaction, verified before it commits."""
    with Store(destination) as out:
        shown = str(out.path)
        with out.transaction() as c:
            if src.kind == out.kind and _same_database(src, c):
                raise AssessError([problem(shown, None, "E533", source=src.path, target=shown)])
            _refuse_unless_empty(shown, lambda table: c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for t in reversed(tables):  # what an empty store may hold: frameworks a collect read and stored nothing of
                if t.name != "meta":
                    c.execute(f"DELETE FROM {t.name}")
            counts = _fill(src, out, c, tables, shown, progress)
        return CopyResult(str(src.path), shown, tuple(counts.items()), _current(src), counts["assessments"])


def _fill(src: Store, out: Store, c, tables: tuple[Table, ...], shown: str, progress: Progress) -> dict[str, int]:
    """Copy and verify every table through the destination's transaction c (E534 when a statement fails or the
    copy differs: the transaction is then rolled back); rows per table."""
    try:
        counts = _copy_tables(src, out, c, tables, progress)
        out.sync_sequence()  # PostgreSQL: the next revision collected is numbered past the highest copied
        verify_copy(src, c, tables, shown, progress)
    except _failures(src, out) as exc:
        detail = " ".join(str(exc).split())
        raise AssessError([problem(shown, None, "E534", source=src.path, target=shown, detail=detail)]) from None
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
        raise AssessError([problem(shown, None, "E534", source=source, target=shown, detail=where)])


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
