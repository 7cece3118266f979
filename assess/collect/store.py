"""Provides the collection store: the one module that holds SQL. Portable SQL over sqlite3, versioned, migrated.

Everything else in assess.collect speaks to the store through the methods below and plain Python data, so
that a shared server database could take SQLite's place by reimplementing this module alone: the SQL
sticks to standard types (TEXT, INTEGER, REAL), standard joins and aggregates, explicit keys (no
AUTOINCREMENT, no INSERT OR REPLACE, no upserts), and transactions. What is SQLite's own is marked here:
the connection, the PRAGMAs (WAL, busy timeout, cache), BEGIN IMMEDIATE, the integrity check, and
WITHOUT ROWID on the row tables (one b-tree per table instead of two; a server database drops the clause).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AssessError, problem

SCHEMA_VERSION = 1
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
}

_ASSESSMENT_COLUMNS = (
    "seq", "assessment_id", "revision", "framework_id", "framework_version", "framework_hash", "framework_title",
    "title", "mission", "area", "period", "period_start", "period_end", "analyst", "marking", "created", "updated",
    "complete", "questions", "answered", "unanswered", "not_applicable", "unknown", "required_missing", "hidden",
    "confidence", "metadata", "n_answers", "n_scores", "n_recommendations", "n_gaps", "source", "source_kind",
    "collected_at", "is_current",
)  # fmt: skip
_INSERT_ASSESSMENT = (
    f"INSERT INTO assessments ({', '.join(_ASSESSMENT_COLUMNS)}) VALUES ({', '.join('?' * len(_ASSESSMENT_COLUMNS))})"
)
_INSERT_ANSWER = (
    "INSERT INTO answers (seq, n, question_id, entity_id, status, value, label, score, confidence, sources) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_SCORE = (
    "INSERT INTO scores (seq, n, kind, score_id, entity_id, entity_name, title, depth, exact, value, "
    "display, rating, colour, direction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_RECOMMENDATION = (
    "INSERT INTO recommendations (seq, n, rule, priority, finding, action, section_id, entity_id, entity_name) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_GAP = "INSERT INTO gaps (seq, n, kind, question_id, entity_id, message) VALUES (?, ?, ?, ?, ?, ?)"
_COVERAGE_KEYS = ("questions", "answered", "unanswered", "not_applicable", "unknown", "required_missing", "hidden")
_CHUNK = 500  # ids per IN (...) list: well under every database's limit on parameters


class StoreError(AssessError):
    """The store itself cannot be used (not a database, locked for too long, disk full): collection stops."""


class MissionConflict(Exception):
    """A revision names another mission than the one its assessment id belongs to in the store: not stored."""

    def __init__(self, assessment_id: str, held: str, found: str):
        super().__init__(f"assessment {assessment_id} belongs to {held!r}, not {found!r}")
        self.assessment_id = assessment_id
        self.held = held
        self.found = found


def same_mission(a: str, b: str) -> bool:
    """Whether two mission names are the same mission: equal but for case and spacing."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def default_path() -> Path:
    """$ASSESS_STORE, else collect.sqlite in the user's data folder (platformdirs)."""
    env = os.environ.get("ASSESS_STORE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("assess", appauthor=False)) / "collect.sqlite"


# ---------------------------------------------------------------------------- what the store holds


@dataclass
class Revision:
    """One revision of one assessment, flattened into the rows the store keeps."""

    assessment_id: str
    """Stable id of the assessment (the answers' id)."""
    revision: str
    """SHA-256 of the payload: two files with the same payload are the same revision."""
    framework_id: str
    """Framework id."""
    framework_version: str
    """Framework version."""
    framework_hash: str
    """Framework content hash."""
    framework_title: str
    """Framework title."""
    metadata: dict[str, str]
    """title, mission, area, period, analyst, marking, created, updated and any other metadata."""
    period_range: tuple[str, str] | None
    """First and last day of the period, when it reads as one."""
    updated: str
    """metadata.updated, normalized to UTC ISO 8601, or '' when missing: decides which revision is newer."""
    complete: bool
    """Whether no required question is open."""
    coverage: dict[str, int]
    """Counts: questions, answered, unanswered, not_applicable, unknown, required_missing, hidden."""
    confidence: dict[str, int]
    """Answers by confidence level."""
    source: str
    """The file the revision was read from."""
    source_kind: str
    """report (.docx) or answers (.yaml)."""
    answers: list[tuple] = field(default_factory=list)
    """(question, entity, status, value json, label (None when it is the value itself), score, confidence json,
    sources) for every question and every block's question (the block's name is in its scores; the question's
    section in framework_questions)."""
    scores: list[tuple] = field(default_factory=list)
    """(kind, score id, entity, entity name, title, depth, exact, value, display, rating, colour, direction)."""
    recommendations: list[tuple] = field(default_factory=list)
    """(rule, priority, finding, action, section, entity, entity name)."""
    rules: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    """Rule id -> (reference, source) of the rules that fired: kept once per framework version."""
    gaps: list[tuple] = field(default_factory=list)
    """(kind, question or section id, entity, message)."""


@dataclass
class FrameworkInfo:
    """What the store keeps of a framework version to compare assessments made on different versions."""

    hash: str
    """Content hash: the key."""
    id: str
    """Framework id."""
    version: str
    """Version."""
    title: str
    """Title."""
    questions: list[tuple[str, str, str | None]]
    """(question id, section id, signature of its type and options, or None when only a report was seen)."""
    scores: dict[str, list[str]]
    """Section or derived score id -> the ids of the questions it depends on."""
    from_file: bool
    """True when read from the framework file; False when reconstructed from a report's payload."""


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
            _wal(self.conn)
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
                if c.execute("SELECT seq FROM assessments WHERE revision = ?", (rev.revision,)).fetchone():
                    return "unchanged"
                mission = rev.metadata.get("mission", "")
                for (held,) in c.execute(
                    "SELECT DISTINCT mission FROM assessments WHERE assessment_id = ?", (rev.assessment_id,)
                ).fetchall():
                    if not same_mission(held, mission):
                        raise MissionConflict(rev.assessment_id, held, mission)  # rolls the transaction back
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
        c.execute(_INSERT_ASSESSMENT, (
            seq, rev.assessment_id, rev.revision, rev.framework_id, rev.framework_version, rev.framework_hash,
            rev.framework_title, m.get("title", ""), m.get("mission", ""), m.get("area", ""), m.get("period", ""),
            start, end, m.get("analyst", ""), m.get("marking", ""), m.get("created", ""), rev.updated,
            int(rev.complete), *(int(rev.coverage.get(k, 0)) for k in _COVERAGE_KEYS),
            json.dumps(rev.confidence, ensure_ascii=False), json.dumps(m, ensure_ascii=False),
            len(rev.answers), len(rev.scores), len(rev.recommendations), len(rev.gaps),
            rev.source, rev.source_kind, collected_at, int(current),
        ))  # fmt: skip
        c.executemany(_INSERT_ANSWER, [(seq, n, *r) for n, r in enumerate(rev.answers)])
        c.executemany(_INSERT_SCORE, [(seq, n, *r) for n, r in enumerate(rev.scores)])
        c.executemany(_INSERT_RECOMMENDATION, [(seq, n, *r) for n, r in enumerate(rev.recommendations)])
        c.executemany(_INSERT_GAP, [(seq, n, *r) for n, r in enumerate(rev.gaps)])

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
        c.executemany(
            "INSERT INTO rules (framework_hash, rule, reference, source) VALUES (?, ?, ?, ?)",
            [(h, rule, *rev.rules[rule]) for h, rule in sorted(new)],
        )
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
            "INSERT INTO frameworks (framework_hash, framework_id, version, title, from_file) VALUES (?, ?, ?, ?, ?)",
            (info.hash, info.id, info.version, info.title, int(info.from_file)),
        )
        c.executemany(
            "INSERT INTO framework_questions (framework_hash, question_id, section_id, signature) VALUES (?, ?, ?, ?)",
            [(info.hash, *q) for q in info.questions],
        )
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
        """Every revision the store holds (payload SHA-256s), to skip what was collected before."""
        try:
            return {r[0] for r in self.conn.execute("SELECT revision FROM assessments")}
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

    def recommendation_counts(self, filters: Filters) -> list[dict]:
        """Each rule triggered: in how many missions and assessments, with its action."""
        where, params = filters.where("a")
        return self._rows(
            f"SELECT a.framework_id AS framework_id, r.rule AS rule, r.priority AS priority, "
            f"COUNT(DISTINCT a.mission) AS missions, COUNT(DISTINCT a.seq) AS assessments, "
            f"MIN(r.action) AS action, MIN(u.reference) AS reference FROM recommendations r "
            f"JOIN assessments a ON a.seq = r.seq "
            f"LEFT JOIN rules u ON u.framework_hash = a.framework_hash AND u.rule = r.rule "
            f"WHERE {where} GROUP BY a.framework_id, r.rule, r.priority",
            params,
        )

    def recommendation_missions(self, filters: Filters) -> list[dict]:
        """The distinct (framework, rule, mission) triples."""
        where, params = filters.where("a")
        return self._rows(
            f"SELECT DISTINCT a.framework_id AS framework_id, r.rule AS rule, a.mission AS mission "
            f"FROM recommendations r JOIN assessments a ON a.seq = r.seq WHERE {where}",
            params,
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
        rows = []
        for h in hashes:
            rows += self._rows(
                "SELECT f.framework_hash, f.from_file, q.question_id, q.signature FROM frameworks f "
                "JOIN framework_questions q ON q.framework_hash = f.framework_hash "
                "WHERE f.framework_hash = ?",
                (h,),
            )
        return rows

    def framework_scores(self, hashes: list[str]) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = {}
        for h in hashes:
            for r in self._rows("SELECT score_id, questions FROM framework_scores WHERE framework_hash = ?", (h,)):
                out.setdefault(h, {})[r["score_id"]] = json.loads(r["questions"])
        return out

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


def _wal(conn: sqlite3.Connection, seconds: float = 60) -> None:
    """Turn on write-ahead logging. SQLite answers 'database is locked' at once, without waiting out the busy
    timeout, when another process is switching the same new file at the same moment: try again for a while."""
    deadline = time.monotonic() + seconds
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.25)


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
