"""Provides the collection store: its writes and reads, the one place (with its schema, in migrations) that
holds SQL. Portable SQL over sqlite3.

Everything else in assess.collect speaks to the store through the methods below, the records of
assess.collect.rows and plain Python data, so that a shared server database could take SQLite's place by
reimplementing this module and its schema alone: the SQL sticks to standard types, standard joins and
aggregates, explicit keys (no AUTOINCREMENT, no INSERT OR REPLACE, no upserts), and transactions. What is
SQLite's own is marked: the connection, the PRAGMAs (busy timeout, cache), BEGIN IMMEDIATE and the integrity
check here; WAL and WITHOUT ROWID in migrations.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from ..errors import problem
from .migrations import SCHEMA_VERSION, StoreError, migrate, use_wal
from .rows import AnswerRow, FrameworkInfo, GapRow, QuestionRow, RecommendationRow, Revision, RuleRow, ScoreRow

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
    "same_mission",
]

_ASSESSMENT_COLUMNS = (
    "seq", "assessment_id", "revision", "framework_id", "framework_version", "framework_hash", "framework_title",
    "title", "mission", "area", "period", "period_start", "period_end", "analyst", "marking", "created", "updated",
    "complete", "questions", "answered", "unanswered", "not_applicable", "unknown", "required_missing", "hidden",
    "confidence", "metadata", "n_answers", "n_scores", "n_recommendations", "n_gaps", "source", "source_kind",
    "collected_at", "is_current", "language", "signed_by", "file_sha256",
)  # fmt: skip


def _insert(table: str, keys: tuple[str, ...], fields: tuple[str, ...]) -> str:
    """An INSERT of keys and then a record's fields, each into the column of its name."""
    columns = (*keys, *fields)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


_NAMED = ", ".join(":" + c for c in _ASSESSMENT_COLUMNS)  # each value by its column's name
_INSERT_ASSESSMENT = f"INSERT INTO assessments ({', '.join(_ASSESSMENT_COLUMNS)}) VALUES ({_NAMED})"
_INSERT_ANSWER = _insert("answers", ("seq", "n"), AnswerRow._fields)
_INSERT_SCORE = _insert("scores", ("seq", "n"), ScoreRow._fields)
_INSERT_RECOMMENDATION = _insert("recommendations", ("seq", "n"), RecommendationRow._fields)
_INSERT_GAP = _insert("gaps", ("seq", "n"), GapRow._fields)
_INSERT_RULE = _insert("rules", ("framework_hash", "rule"), RuleRow._fields)
_INSERT_QUESTION = _insert("framework_questions", ("framework_hash",), QuestionRow._fields)
_INSERT_ANSWERS_FILE = _insert(
    "answer_files",
    ("seq", "data"),
    ("follow_up_total", "follow_up_done", "follow_up_in_progress", "follow_up_dropped", "follow_up_not_started"),
)
_COVERAGE_KEYS = ("questions", "answered", "unanswered", "not_applicable", "unknown", "required_missing", "hidden")
_CHUNK = 500  # ids per IN (...) list: well under every database's limit on parameters


class MissionConflict(Exception):
    """A revision names another mission than the one its assessment id belongs to in the store: not stored."""

    def __init__(self, assessment_id: str, held: str, found: str):
        super().__init__(f"assessment {assessment_id} belongs to {held!r}, not {found!r}")
        self.assessment_id = assessment_id
        self.held = held
        self.found = found


class SignatureConflict(Exception):
    """An unsigned revision (or one signed by a key headquarters does not trust) of an assessment whose revisions
    held were signed by its mission's key: not stored, so that a forged report cannot supersede a signed one."""

    def __init__(self, assessment_id: str, fingerprint: str):
        super().__init__(f"assessment {assessment_id} is signed by key {fingerprint}; this revision is not")
        self.assessment_id = assessment_id
        self.fingerprint = fingerprint


def same_mission(a: str, b: str) -> bool:
    """Whether two mission names are the same mission: equal but for case and spacing."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def default_path() -> Path:
    """$ASSESS_STORE, else collect.sqlite in the user's data folder (platformdirs)."""
    env = os.environ.get("ASSESS_STORE")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("assess", appauthor=False)) / "collect.sqlite"


# ---------------------------------------------------------------------------- what the store holds


@dataclass(frozen=True)
class Filters:
    """Which assessments a query covers."""

    framework: str | None = None
    """Framework id."""
    missions: tuple[str, ...] = ()
    """Parts of mission names, any of which matches (case-insensitive)."""
    since: str | None = None
    """First day: periods that end on or after it."""
    until: str | None = None
    """Last day: periods that start on or before it."""
    current: bool = True
    """Only the current revision of each assessment (False: history too)."""

    def where(self, alias: str = "a") -> tuple[str, list]:
        """A portable SQL condition over the assessments table, and its parameters."""
        parts, params = [], []
        if self.current:
            parts.append(f"{alias}.is_current = 1")
        if self.framework:
            parts.append(f"{alias}.framework_id = ?")
            params.append(self.framework)
        if self.missions:
            parts.append("(" + " OR ".join(f"LOWER({alias}.mission) LIKE ? ESCAPE '\\'" for _ in self.missions) + ")")
            params += ["%" + _like(m.lower()) + "%" for m in self.missions]
        if self.since:
            parts.append(f"{alias}.period_end >= ?")
            params.append(self.since)
        if self.until:
            parts.append(f"{alias}.period_start <= ?")
            params.append(self.until)
        return (" AND ".join(parts) or "1 = 1"), params


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# ---------------------------------------------------------------------------- the store


class Store:
    """An open store: one SQLite file, created and migrated on first use."""

    def __init__(self, path: str | Path, create: bool = True):
        self.path = Path(path)
        self._rules: set[tuple[str, str]] = set()  # (framework hash, rule) known to be held in the rules table
        if not create and not self.path.is_file():
            raise StoreError([problem(str(self.path), None, "E515", path=self.path)])
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), timeout=60, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise self._error(exc) from None
        try:
            self.conn.execute("PRAGMA busy_timeout = 60000")
            use_wal(self.conn)
            self.conn.execute("PRAGMA synchronous = NORMAL")
            # foreign keys are declared (a server database enforces them) but not checked row by row here:
            # a revision and its rows are written in one transaction, and check() finds any orphan
            self.conn.execute("PRAGMA cache_size = -32768")
            self.conn.execute("PRAGMA wal_autocheckpoint = 10000")  # checkpoint every ~40 MB, not every 4 MB
            migrate(self.conn, self.path)
        except sqlite3.Error as exc:
            self.conn.close()
            raise self._error(exc) from None
        except BaseException:
            self.conn.close()
            raise

    def _error(self, exc: BaseException) -> StoreError:
        reason = str(exc) if not isinstance(exc, OSError) else (exc.strerror or str(exc))
        return StoreError([problem(str(self.path), None, "E509", path=self.path, reason=reason)])

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All statements inside commit together or not at all (a kill leaves the store as before)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            yield self.conn
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise self._error(exc) from None

    def _rollback(self) -> None:
        if self.conn.in_transaction:  # SQLite rolls back by itself on some errors (disk full)
            self.conn.execute("ROLLBACK")

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
                    self._put_framework(c, framework)
                held = c.execute("SELECT seq FROM assessments WHERE revision = ?", (rev.revision,)).fetchone()
                if held:
                    self._backfill(c, held[0], rev)
                    return "unchanged"
                mission = rev.metadata.get("mission", "")
                for (held,) in c.execute(
                    "SELECT DISTINCT mission FROM assessments WHERE assessment_id = ?", (rev.assessment_id,)
                ).fetchall():
                    if not same_mission(held, mission):
                        raise MissionConflict(rev.assessment_id, held, mission)  # rolls the transaction back
                if rev.signed_by is None:
                    signed = c.execute(
                        "SELECT signed_by FROM assessments WHERE assessment_id = ? AND signed_by IS NOT NULL",
                        (rev.assessment_id,),
                    ).fetchone()
                    if signed:
                        raise SignatureConflict(rev.assessment_id, signed[0])  # rolls the transaction back
                period = rev.metadata.get("period", "")
                row = c.execute(
                    "SELECT seq, updated FROM assessments WHERE assessment_id = ? AND period = ? AND is_current = 1",
                    (rev.assessment_id, period),
                ).fetchone()
                seq = (c.execute("SELECT MAX(seq) FROM assessments").fetchone()[0] or 0) + 1
                newer = row is None or rev.updated > row[1]
                if row is not None and newer:
                    c.execute("UPDATE assessments SET is_current = 0 WHERE seq = ?", (row[0],))
                self._insert(c, seq, rev, collected_at, newer)
                new_rules = self._put_rules(c, rev)
        except sqlite3.Error as exc:
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
        c.execute(_INSERT_ASSESSMENT, row)
        c.executemany(_INSERT_ANSWER, [(seq, n, *r) for n, r in enumerate(rev.answers)])
        c.executemany(_INSERT_SCORE, [(seq, n, *r) for n, r in enumerate(rev.scores)])
        c.executemany(_INSERT_RECOMMENDATION, [(seq, n, *r) for n, r in enumerate(rev.recommendations)])
        c.executemany(_INSERT_GAP, [(seq, n, *r) for n, r in enumerate(rev.gaps)])
        self._put_answers_file(c, seq, rev)

    def _put_answers_file(self, c, seq: int, rev: Revision) -> None:
        if rev.answers_file:
            counts = rev.follow_up or (None,) * 5
            c.execute(_INSERT_ANSWERS_FILE, (seq, rev.answers_file, *counts))

    def _backfill(self, c, seq: int, rev: Revision) -> None:
        """The answers file of a revision held from before the store kept them (schema 1), added when collected
        again: the revision itself is unchanged."""
        if not c.execute("SELECT 1 FROM answer_files WHERE seq = ?", (seq,)).fetchone():
            self._put_answers_file(c, seq, rev)

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
                self._put_framework(c, info)
        except sqlite3.Error as exc:
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

    def _rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        try:
            cur = self.conn.execute(sql, tuple(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _chunked(self, sql: str, seqs: list[int], params: Iterable = ()) -> list[dict]:
        """Run sql, whose '{seqs}' is replaced by a list of placeholders, over seqs in chunks."""
        out: list[dict] = []
        for i in range(0, len(seqs), _CHUNK):
            part = seqs[i : i + _CHUNK]
            out += self._rows(sql.replace("{seqs}", ", ".join("?" * len(part))), [*params, *part])
        return out

    def revisions(self) -> set[str]:
        """Every revision the store holds (payload SHA-256s), to skip what was collected before; those held
        without their answers file (collected by a schema 1 store) are left out, so collecting them again adds it."""
        try:
            return {
                r[0]
                for r in self.conn.execute(
                    "SELECT revision FROM assessments a WHERE EXISTS (SELECT 1 FROM answer_files f WHERE f.seq = a.seq)"
                )
            }
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def frameworks_known(self) -> dict[str, tuple[str, bool]]:
        """Framework hash -> (framework id, whether its questions were read from the framework file)."""
        return {
            r["framework_hash"]: (r["framework_id"], bool(r["from_file"]))
            for r in self._rows("SELECT framework_hash, framework_id, from_file FROM frameworks")
        }

    def assessments(self, filters: Filters = Filters()) -> list[dict]:
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
            with self.transaction() as c:
                if c.execute("SELECT 1 FROM mission_keys WHERE fingerprint = ?", (key["fingerprint"],)).fetchone():
                    return False
                c.execute(
                    "INSERT INTO mission_keys (fingerprint, mission, public_key, created, trusted_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    tuple(key[k] for k in ("fingerprint", "mission", "public_key", "created", "trusted_at")),
                )
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return True

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
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def keys(self) -> list[dict]:
        """Every key trusted (revoked ones too), by mission then date trusted, each with the number of revisions
        held that it signed."""
        return self._rows(
            "SELECT k.*, (SELECT COUNT(*) FROM assessments a WHERE a.signed_by = k.fingerprint) AS signed "
            "FROM mission_keys k ORDER BY k.mission, k.trusted_at, k.fingerprint"
        )

    def counts(self) -> dict[str, int]:
        """How much the store holds: assessments (current revisions), revisions, frameworks."""
        row = self._rows("SELECT COUNT(*) AS revisions, SUM(is_current) AS assessments FROM assessments")[0]
        fws = self._rows("SELECT COUNT(DISTINCT framework_id) AS n FROM assessments")[0]["n"]
        return {"assessments": row["assessments"] or 0, "revisions": row["revisions"] or 0, "frameworks": fws}

    def check(self) -> list[str]:
        """Inconsistencies, in words (none in a sound store): every assessment has one current revision
        and every revision all its rows."""
        out = []
        if self.conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":  # SQLite's own
            out.append("the database file is damaged (integrity_check)")
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
