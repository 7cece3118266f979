"""Provides the store's tables as its schema makes them: each one's columns, types, primary key and JSON columns.

They are read from the schema's own statements (migrations.MIGRATIONS), so what reads every table (assess store
copy) follows a later schema step by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .migrations import JSON_COLUMNS, MIGRATIONS

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
