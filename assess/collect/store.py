"""Provides the collection store: its writes and reads, the one place (with its schema, in migrations) that
holds SQL — portable SQL, written once in SQLite's dialect, over a SQLite file or a PostgreSQL database.

Everything else in assess.collect speaks to the store through the methods below, the records of
assess.collect.rows and plain Python data. The store's address picks its backend (assess.collect.address): a
file path is a SQLite store (assess.collect.sqlite: its connection, PRAGMAs, BEGIN IMMEDIATE, integrity check),
a postgresql:// URL a PostgreSQL one (assess.collect.postgres: placeholders translated, a sequence for the
revisions' numbers, advisory locks per assessment). The SQL here sticks to standard types, standard joins and
aggregates, explicit keys (no AUTOINCREMENT, no INSERT OR REPLACE; ON CONFLICT DO NOTHING only, which both
accept) and transactions.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs

from .address import is_url, store_address
from .conflicts import MissionConflict, SignatureConflict, same_mission
from .filters import Filters
from .migrations import SCHEMA_VERSION, StoreError
from .postgres import PostgreSQL
from .rows import AnswerRow, FrameworkInfo, GapRow, QuestionRow, RecommendationRow, Revision, RuleRow, ScoreRow
from .sqlite import SQLite

__all__ = [
    "SCHEMA_VERSION",
    "Filters",
    "FrameworkInfo",
    "MissionConflict",
    "Revision",
    "SignatureConflict",
    "Store",
    "StoreError",
    "default_path",
    "is_url",
    "same_mission",
]

_ASSESSMENT_COLUMNS = (
    "seq", "assessment_id", "revision", "framework_id", "framework_version", "framework_hash", "framework_title",
    "title", "mission", "area", "period", "period_start", "period_end", "analyst", "marking", "created", "updated",
    "complete", "questions", "answered", "unanswered", "not_applicable", "unknown", "required_missing", "hidden",
    "confidence", "metadata", "n_answers", "n_scores", "n_recommendations", "n_gaps", "source", "source_kind",
    "collected_at", "is_current", "language", "signed_by", "file_sha256",
)  # fmt: skip


def _insert(table: str, keys: tuple[str, ...], fields: tuple[str, ...], tail: str = "") -> str:
    """An INSERT of keys and then a record's fields, each into the column of its name."""
    columns = (*keys, *fields)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}){tail}"


_NAMED = ", ".join(":" + c for c in _ASSESSMENT_COLUMNS)  # each value by its column's name
_INSERT_ASSESSMENT = f"INSERT INTO assessments ({', '.join(_ASSESSMENT_COLUMNS)}) VALUES ({_NAMED})"
_INSERT_ANSWER = _insert("answers", ("seq", "n"), AnswerRow._fields)
_INSERT_SCORE = _insert("scores", ("seq", "n"), ScoreRow._fields)
_INSERT_RECOMMENDATION = _insert("recommendations", ("seq", "n"), RecommendationRow._fields)
_INSERT_GAP = _insert("gaps", ("seq", "n"), GapRow._fields)
_INSERT_RULE = _insert("rules", ("framework_hash", "rule"), RuleRow._fields, " ON CONFLICT DO NOTHING")
_INSERT_QUESTION = _insert("framework_questions", ("framework_hash",), QuestionRow._fields)
_INSERT_ANSWERS_FILE = _insert(
    "answer_files",
    ("seq", "data"),
    ("follow_up_total", "follow_up_done", "follow_up_in_progress", "follow_up_dropped", "follow_up_not_started"),
)
_COVERAGE_KEYS = ("questions", "answered", "unanswered", "not_applicable", "unknown", "required_missing", "hidden")
_CURRENT = Filters()  # every current revision
_CHUNK = 500  # ids per IN (...) list: well under every database's limit on parameters


def default_path() -> Path | str:
    """$ASSESS_STORE (a file path or a PostgreSQL URL), else collect.sqlite in the user's data folder (platformdirs)."""
    env = os.environ.get("ASSESS_STORE")
    if env:
        return store_address(env)
    return Path(platformdirs.user_data_dir("assess", appauthor=False)) / "collect.sqlite"


# ---------------------------------------------------------------------------- the store


class Store:
    """An open store: a SQLite file or a PostgreSQL database (by its address), created and migrated on first use
    (create=False: refused when there is none)."""

    def __init__(self, path: str | Path, create: bool = True):
        address = store_address(path)
        self._db: SQLite | PostgreSQL = (
            PostgreSQL(address, create) if isinstance(address, str) else SQLite(address, create)
        )
        self.path: Path | str = self._db.path
        """What messages show: the file's path, or the URL with any password hidden."""
        self.kind: str = self._db.kind
        """'sqlite' or 'postgresql'."""
        self.conn: Any = self._db.conn
        """The backend's own connection (sqlite3 or psycopg): for tests and tools, not for assess's code."""
        self._rules: set[tuple[str, str]] = set()  # (framework hash, rule) known to be held in the rules table

    def _error(self, exc: BaseException) -> StoreError:
        return self._db.error(exc)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """All statements inside commit together or not at all (a kill leaves the store as before). Yields what
        runs them: execute(sql, params) -> cursor and executemany(sql, rows), sql in SQLite's dialect (? and :name
        placeholders) on either backend."""
        db = self._db
        try:
            c = db.begin()
        except db.errors as exc:
            raise db.error(exc) from None
        try:
            yield c
        except BaseException:
            db.rollback()
            raise
        try:
            db.commit()
        except db.errors as exc:
            db.rollback()
            raise db.error(exc) from None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read inside sees one consistent state of the store, whatever collects write meanwhile."""
        try:
            with self._db.snapshot():
                yield
        except self._db.errors as exc:
            raise self._error(exc) from None

    # ------------------------------------------------------------------ writing

    def add(self, rev: Revision, collected_at: str, framework: FrameworkInfo | None = None) -> str:
        """Store a revision in one transaction: 'collected' (a new assessment), 'unchanged' (already held),
        'superseded' (newer than the current revision, which becomes history), 'history' (older than it) or
        'tie' (kept as history: as new as the current revision but not the same; which is right is not ours to guess,
        and the order files happen to be collected in must not decide).
        Raises MissionConflict, storing nothing, when the store holds the assessment id from another mission:
        a revision may only supersede one of the same assessment and the same mission."""
        try:
            with self.transaction() as c:
                if framework is not None:
                    self._db.lock(c, 1, framework.hash)  # always the framework's before the assessment's
                    self._put_framework(c, framework)
                self._db.lock(c, 2, rev.assessment_id)  # another collect's revisions of it wait for this one
                held = c.execute(  # all the checks below need, in one query (PostgreSQL: one round trip)
                    "SELECT seq, revision, mission, signed_by, period, is_current, updated FROM assessments "
                    "WHERE assessment_id = ? OR revision = ? ORDER BY seq",
                    (rev.assessment_id, rev.revision),
                ).fetchall()
                same = [h[0] for h in held if h[1] == rev.revision]
                if same:
                    self._backfill(c, same[0], rev)
                    return "unchanged"
                mission = rev.metadata.get("mission", "")
                for h in held:  # each a revision of this assessment
                    if not same_mission(h[2], mission):
                        raise MissionConflict(rev.assessment_id, h[2], mission)  # rolls the transaction back
                signed = [h[3] for h in held if h[3] is not None]
                if rev.signed_by is None and signed:
                    raise SignatureConflict(rev.assessment_id, signed[0])  # rolls the transaction back
                period = rev.metadata.get("period", "")
                row = next(((h[0], h[6]) for h in held if h[4] == period and h[5] == 1), None)
                seq = self._db.next_seq(c)
                newer = row is None or rev.updated > row[1]
                if row is not None and newer:  # executemany: PostgreSQL sends it with the next statement
                    c.executemany("UPDATE assessments SET is_current = 0 WHERE seq = ?", [(row[0],)])
                self._insert(c, seq, rev, collected_at, newer)
                new_rules = self._put_rules(c, rev)
        except self._db.errors as exc:
            raise self._error(exc) from None
        self._rules |= new_rules
        if row is None:
            return "collected"
        return "superseded" if newer else "tie" if rev.updated == row[1] else "history"

    def _insert(self, c, seq: int, rev: Revision, collected_at: str, current: bool) -> None:
        m = rev.metadata
        start, end = rev.period_range or (None, None)
        row = {
            "seq": seq,
            "assessment_id": rev.assessment_id,
            "revision": rev.revision,
            "framework_id": rev.framework_id,
            "framework_version": rev.framework_version,
            "framework_hash": rev.framework_hash,
            "framework_title": rev.framework_title,
            **{k: m.get(k, "") for k in ("title", "mission", "area", "period", "analyst", "marking", "created")},
            "period_start": start,
            "period_end": end,
            "updated": rev.updated,
            "complete": int(rev.complete),
            **{k: int(rev.coverage.get(k, 0)) for k in _COVERAGE_KEYS},
            "confidence": json.dumps(rev.confidence, ensure_ascii=False),
            "metadata": json.dumps(m, ensure_ascii=False),
            "n_answers": len(rev.answers),
            "n_scores": len(rev.scores),
            "n_recommendations": len(rev.recommendations),
            "n_gaps": len(rev.gaps),
            "source": rev.source,
            "source_kind": rev.source_kind,
            "collected_at": collected_at,
            "is_current": int(current),
            "language": rev.language,
            "signed_by": rev.signed_by,
            "file_sha256": rev.file_sha256,
        }
        c.executemany(_INSERT_ASSESSMENT, [row])  # PostgreSQL: sent with the next statement; the rows by COPY
        c.executemany(_INSERT_ANSWER, [(seq, n, *r) for n, r in enumerate(rev.answers)])
        c.executemany(_INSERT_SCORE, [(seq, n, *r) for n, r in enumerate(rev.scores)])
        c.executemany(_INSERT_RECOMMENDATION, [(seq, n, *r) for n, r in enumerate(rev.recommendations)])
        c.executemany(_INSERT_GAP, [(seq, n, *r) for n, r in enumerate(rev.gaps)])
        self._put_answers_file(c, seq, rev)

    def _put_answers_file(self, c, seq: int, rev: Revision) -> None:
        if rev.answers_file:
            counts = rev.follow_up or (None,) * 5
            c.executemany(_INSERT_ANSWERS_FILE, [(seq, rev.answers_file, *counts)])  # PostgreSQL: with the COMMIT

    def _backfill(self, c, seq: int, rev: Revision) -> None:
        """What a revision held, collected again, adds where the store has none: its answers file (schema 1), file's
        SHA-256 (schema 3), and the trusted key that signed this copy (whichever copy came first, it is signed)."""
        if not c.execute("SELECT 1 FROM answer_files WHERE seq = ?", (seq,)).fetchone():
            self._put_answers_file(c, seq, rev)
        for column, value in (("signed_by", rev.signed_by), ("file_sha256", rev.file_sha256)):
            if value:  # one recorded is never replaced
                c.execute(f"UPDATE assessments SET {column} = ? WHERE seq = ? AND {column} IS NULL", (value, seq))

    def _put_rules(self, c, rev: Revision) -> set[tuple[str, str]]:
        """Each fired rule's reference, once per framework version (they are long and the same every time).
        What this process has seen is remembered; anything else is looked up inside the transaction, so
        another collect writing the same rules meanwhile is no conflict."""
        new = {(rev.framework_hash, rule) for rule in rev.rules} - self._rules
        if new:
            held = {
                (rev.framework_hash, r)
                for (r,) in c.execute("SELECT rule FROM rules WHERE framework_hash = ?", (rev.framework_hash,))
            }
            self._rules |= held
            new -= held
        c.executemany(_INSERT_RULE, [(h, rule, *rev.rules[rule]) for h, rule in sorted(new)])
        return new

    def put_framework(self, info: FrameworkInfo) -> None:
        """Record a framework version; one read from its file replaces one reconstructed from a report."""
        try:
            with self.transaction() as c:
                self._db.lock(c, 1, info.hash)
                self._put_framework(c, info)
        except self._db.errors as exc:
            raise self._error(exc) from None

    def _put_framework(self, c, info: FrameworkInfo) -> None:
        row = c.execute("SELECT from_file FROM frameworks WHERE framework_hash = ?", (info.hash,)).fetchone()
        if row is not None and (row[0] or not info.from_file):
            return
        if row is not None:
            c.execute("DELETE FROM framework_questions WHERE framework_hash = ?", (info.hash,))
            c.execute("DELETE FROM framework_scores WHERE framework_hash = ?", (info.hash,))
            c.execute("DELETE FROM frameworks WHERE framework_hash = ?", (info.hash,))
        c.execute(
            "INSERT INTO frameworks (framework_hash, framework_id, version, title, from_file, path) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (info.hash, info.id, info.version, info.title, int(info.from_file), info.path or None),
        )
        c.executemany(_INSERT_QUESTION, [(info.hash, *q) for q in info.questions])
        c.executemany(
            "INSERT INTO framework_scores (framework_hash, score_id, questions) VALUES (?, ?, ?)",
            [(info.hash, sid, json.dumps(sorted(qs))) for sid, qs in info.scores.items()],
        )

    # ------------------------------------------------------------------ reading

    def rows(self, sql: str, params: Iterable | dict = ()) -> list[dict]:
        """The rows a query (in SQLite's dialect, ? or :name placeholders) returns, each a dict by column name."""
        try:
            return self._db.rows(sql, params)
        except self._db.errors as exc:
            raise self._error(exc) from None

    _rows = rows  # its name before issue 19

    def _chunked(self, sql: str, seqs: list[int], params: Iterable = ()) -> list[dict]:
        """Run sql, whose '{seqs}' is replaced by a list of placeholders, over seqs in chunks."""
        out: list[dict] = []
        for i in range(0, len(seqs), _CHUNK):
            part = seqs[i : i + _CHUNK]
            out += self._rows(sql.replace("{seqs}", ", ".join("?" * len(part))), [*params, *part])
        return out

    def revisions(self) -> dict[str, bool]:
        """Every revision held (payload SHA-256) -> whether a trusted key signed it, to skip what was collected; those
        held without their answers file (schema 1) or file's SHA-256 (schema 3) are left out: collecting adds it."""
        sql = "SELECT revision, signed_by FROM assessments a WHERE file_sha256 IS NOT NULL AND EXISTS "
        rows = self.rows(sql + "(SELECT 1 FROM answer_files f WHERE f.seq = a.seq)")
        return {r["revision"]: r["signed_by"] is not None for r in rows}

    def frameworks_known(self) -> dict[str, tuple[str, bool]]:
        """Framework hash -> (framework id, whether its questions were read from the framework file)."""
        return {
            r["framework_hash"]: (r["framework_id"], bool(r["from_file"]))
            for r in self._rows("SELECT framework_hash, framework_id, from_file FROM frameworks")
        }

    def assessments(self, filters: Filters = _CURRENT) -> list[dict]:
        """Assessments (current revisions, or every revision), each with its number of revisions."""
        where, params = filters.where("a")
        return self._rows(
            f"SELECT a.*, (SELECT COUNT(*) FROM assessments b WHERE b.assessment_id = a.assessment_id "
            f"AND b.period = a.period) AS revisions FROM assessments a WHERE {where} "
            f"ORDER BY a.updated DESC, a.seq DESC",
            params,
        )

    def scores(self, filters: Filters, kinds: tuple[str, ...] = ("section", "derived")) -> list[dict]:
        """Section and derived scores of the assessments the filters select, in each assessment's order."""
        where, params = filters.where("a")
        return self._rows(
            f"SELECT s.seq, s.kind, s.score_id, s.title, s.depth, s.exact, s.value, s.display, s.rating, s.colour, "
            f"s.direction, s.n FROM scores s JOIN assessments a ON a.seq = s.seq WHERE {where} AND s.kind IN "
            f"({', '.join('?' * len(kinds))}) ORDER BY s.seq, s.n",
            [*params, *kinds],
        )

    def fired(self, seqs: list[int]) -> list[dict]:
        """The rules that fired in the given assessments: one row per assessment, rule and priority, with the
        rule's action (the first by text, as its blocks' names make them differ) and its reference."""
        return self._chunked(
            "SELECT r.seq AS seq, r.rule AS rule, r.priority AS priority, MIN(r.action) AS action, "
            "MIN(u.reference) AS reference FROM recommendations r JOIN assessments a ON a.seq = r.seq "
            "LEFT JOIN rules u ON u.framework_hash = a.framework_hash AND u.rule = r.rule "
            "WHERE r.seq IN ({seqs}) GROUP BY r.seq, r.rule, r.priority",
            seqs,
        )

    def blocks(self, seqs: list[int]) -> list[dict]:
        """The named blocks (seq, rule, entity_name) each rule fired for in the given assessments, in order."""
        return self._chunked(
            "SELECT seq, rule, entity_name FROM recommendations WHERE entity_name IS NOT NULL AND entity_name <> '' "
            "AND seq IN ({seqs}) ORDER BY seq, n",
            seqs,
        )

    def answer_states(self, seqs: list[int]) -> list[dict]:
        """Status and confidence of every question of the given assessments."""
        return self._chunked("SELECT seq, question_id, status, confidence FROM answers WHERE seq IN ({seqs})", seqs)

    def gaps(self, seqs: list[int]) -> list[dict]:
        """The gaps of the given assessments, in order."""
        return self._chunked(
            "SELECT seq, n, kind, question_id, entity_id, message FROM gaps WHERE seq IN ({seqs}) ORDER BY seq, n", seqs
        )

    def framework_questions(self, hashes: list[str]) -> list[dict]:
        """The questions of the given framework versions, with their signatures and whether read from the file."""
        rows = []
        for h in hashes:
            rows += self._rows(
                "SELECT f.framework_hash, f.from_file, q.question_id, q.signature FROM frameworks f "
                "JOIN framework_questions q ON q.framework_hash = f.framework_hash "
                "WHERE f.framework_hash = ?",
                (h,),
            )
        return rows

    def answer_files(self, seqs: list[int]) -> dict[int, dict]:
        """Revision -> the answers file it was made from, as data (revisions collected before schema 2 have none)."""
        rows = self._chunked("SELECT seq, data FROM answer_files WHERE seq IN ({seqs})", seqs)
        return {r["seq"]: json.loads(r["data"]) for r in rows}

    def follow_up(self, seqs: list[int]) -> dict[int, tuple[int, int, int, int, int]]:
        """Revision -> the actions of the last period it follows up: total, done, in progress, dropped, not started
        (revisions that follow up none are left out)."""
        rows = self._chunked(
            "SELECT seq, follow_up_total, follow_up_done, follow_up_in_progress, follow_up_dropped, "
            "follow_up_not_started FROM answer_files WHERE follow_up_total IS NOT NULL AND seq IN ({seqs})",
            seqs,
        )
        return {r.pop("seq"): tuple(r.values()) for r in rows}

    def framework_paths(self, hashes: list[str]) -> dict[str, str]:
        """Framework hash -> the file it was read from, where collect read one."""
        out: dict[str, str] = {}
        for h in hashes:
            for r in self._rows("SELECT path FROM frameworks WHERE framework_hash = ? AND path IS NOT NULL", (h,)):
                out[h] = r["path"]
        return out

    def framework_scores(self, hashes: list[str]) -> dict[str, dict[str, list[str]]]:
        """Framework hash -> score id -> the questions the score depends on."""
        out: dict[str, dict[str, list[str]]] = {}
        for h in hashes:
            for r in self._rows("SELECT score_id, questions FROM framework_scores WHERE framework_hash = ?", (h,)):
                out.setdefault(h, {})[r["score_id"]] = json.loads(r["questions"])
        return out

    # ------------------------------------------------------------------ the missions' keys (assess key)

    def put_key(self, key: dict) -> bool:
        """Trust a mission's public key: a row of mission_keys by column name (fingerprint, mission, public_key,
        created, trusted_at); False when the key is trusted already (nothing changes)."""
        try:
            with self.transaction() as c:  # two desks trusting the same key at once: one row, no error
                cur = c.execute(
                    "INSERT INTO mission_keys (fingerprint, mission, public_key, created, trusted_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    tuple(key[k] for k in ("fingerprint", "mission", "public_key", "created", "trusted_at")),
                )
                return bool(cur.rowcount == 1)
        except self._db.errors as exc:
            raise self._error(exc) from None

    def revoke_key(self, fingerprint: str, when: str, reason: str) -> bool:
        """Revoke a trusted key from now on; False when no key of that fingerprint is trusted (or it was revoked)."""
        try:
            with self.transaction() as c:
                cur = c.execute(
                    "UPDATE mission_keys SET revoked_at = ?, revoked_reason = ? "
                    "WHERE fingerprint = ? AND revoked_at IS NULL",
                    (when, reason, fingerprint),
                )
                return cur.rowcount == 1
        except self._db.errors as exc:
            raise self._error(exc) from None

    def keys(self) -> list[dict]:
        """Every key trusted (revoked ones too), by mission then date trusted, each with the number of revisions
        held that it signed."""
        return self._rows(
            "SELECT k.*, (SELECT COUNT(*) FROM assessments a WHERE a.signed_by = k.fingerprint) AS signed "
            "FROM mission_keys k ORDER BY k.mission, k.trusted_at, k.fingerprint"
        )

    def sync_sequence(self) -> None:
        """After rows were copied in with their seq (assess store copy): the next revision's number is past them."""
        try:
            self._db.sync_sequence()
        except self._db.errors as exc:
            raise self._error(exc) from None

    def counts(self) -> dict[str, int]:
        """How much the store holds: assessments (current revisions), revisions, frameworks."""
        row = self._rows("SELECT COUNT(*) AS revisions, SUM(is_current) AS assessments FROM assessments")[0]
        fws = self._rows("SELECT COUNT(DISTINCT framework_id) AS n FROM assessments")[0]["n"]
        return {"assessments": row["assessments"] or 0, "revisions": row["revisions"] or 0, "frameworks": fws}

    def check(self) -> list[str]:
        """Inconsistencies, in words (none in a sound store): every assessment has one current revision
        and every revision all its rows."""
        try:
            out = self._db.damaged()  # SQLite's integrity check (a server checks its own files)
        except self._db.errors as exc:
            raise self._error(exc) from None
        for r in self._rows(
            "SELECT assessment_id, period, SUM(is_current) AS n FROM assessments "
            "GROUP BY assessment_id, period HAVING SUM(is_current) <> 1"
        ):
            out.append(f"assessment {r['assessment_id']} {r['period']}: {r['n']} current revisions")
        for table, column in (
            ("answers", "n_answers"),
            ("scores", "n_scores"),
            ("recommendations", "n_recommendations"),
            ("gaps", "n_gaps"),
        ):
            for r in self._rows(
                f"SELECT a.seq, a.{column} AS expected, (SELECT COUNT(*) FROM {table} t "
                f"WHERE t.seq = a.seq) AS found FROM assessments a WHERE a.{column} <> "
                f"(SELECT COUNT(*) FROM {table} t WHERE t.seq = a.seq)"
            ):
                out.append(f"revision {r['seq']}: {r['found']} {table} rows, expected {r['expected']}")
            orphans = self._rows(f"SELECT COUNT(*) AS n FROM {table} WHERE seq NOT IN (SELECT seq FROM assessments)")
            if orphans[0]["n"]:
                out.append(f"{orphans[0]['n']} {table} rows belong to no revision")
        return out
