"""Benchmark: the headquarters store on SQLite beside PostgreSQL — collecting 10,000 reports with one and with four
collectors at once, then listing and comparing 100,000 stored assessments (issue 19, item 6).

A plain script, not a test:

    python bench/store.py [--reports 10000] [--assessments 100000] [--repeat 3] [--keep DIR] [--quick]

The reports are genuine: bench/collect.py's make_reports renders one report of each of three bundled examples
(oc-threat, mission-risk, goci-profile) and embeds rewritten payloads in copies of it. They are revisions of
reports x 0.3 assessments (3,000 for 10,000) of 12 missions over 20 half-year periods: report i is revision i // A
of assessment i % A, each revision newer than the last, so a collect in name order supersedes.

The PostgreSQL server is a throwaway cluster of the script's own (initdb and pg_ctl, as the user postgres when run
as root), started with PostgreSQL's defaults, durable ones included (fsync, synchronous_commit and
full_page_writes on: users' servers run that way); the settings are printed and saved.

It times, every collect a real `python -m assess collect DIR --store ADDRESS -j N` in a new interpreter:

- the floor (bench/collect.py's): read_payload of every report in this process;
- one collect into a new SQLite store, and one into a new PostgreSQL database (-j: --jobs, default one reader per
  CPU, at most 4);
- four collects at once into a new PostgreSQL database, each given a quarter of the files (report i to collector
  i % 4, so all four write revisions of the same assessments), each with -j 1: four collectors already use more
  processes than a 2-CPU machine has; and the same with each given half the files (every file collected twice:
  the cost of the races);
- after each, every table's rows counted and checked equal to the SQLite store's (nothing lost, nothing twice);
- one collect -j 1 in this process into each backend, Store.add timed apart (wall, and this process's CPU: the
  rest of its wall time is waiting for the server and its disk): the store's own cost beside reading and
  verifying, which is the same on both;
- psycopg's import in a new interpreter (wall time beside bare python, and -X importtime's own figure), and
  opening a store (connecting, checking its schema) in this process;
- then the stores of the single collects are filled to --assessments current assessments by SQL inside each
  store: the current revisions copied with all their rows (answers, scores, recommendations, gaps and the
  answers file, 18 to 60 kB of JSON each: the full run needs about 20 GB of disk) under new assessment ids and
  revision hashes, so every assessment is distinct (frameworks, missions and periods as collected; the answers
  file inside still names the first id, which only a translation or a migration across versions would read);
  on PostgreSQL followed by VACUUM ANALYZE, as autovacuum would do;
- `assess list --store X` and `assess compare --store X -o summary.docx` in a new interpreter, and in this
  process assess.collect.compare.compare(store) with its two largest queries apart; best of --repeat.

Wall time and CPU time (user + system of the command and its reader processes; the server's processes apart, read
from /proc) are printed in a table and written to bench/out/store.json. The goals (targets, not gates): four
PostgreSQL collectors at once at least as fast as one SQLite collect; compare over 100,000 under 10 s on
PostgreSQL.
"""

from __future__ import annotations

import argparse
import copy
import gc
import glob
import json
import os
import platform
import pwd
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT, ROOT / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import collect as bench_collect  # noqa: E402  bench/collect.py: the report variants and the floors

from assess.collect.compare import compare  # noqa: E402
from assess.collect.filters import Filters  # noqa: E402
from assess.collect.readers import default_jobs  # noqa: E402
from assess.collect.store import Store  # noqa: E402

OUT = ROOT / "bench" / "out"
BASES = ("oc-threat", "mission-risk", "goci-profile")
MISSIONS = 12
PERIODS = bench_collect.PERIODS
TABLES = (
    "assessments", "answers", "scores", "recommendations", "gaps", "rules", "frameworks", "framework_questions",
    "framework_scores", "answer_files",
)  # fmt: skip
COPIED = ("assessments", "answers", "scores", "recommendations", "gaps", "answer_files")
GOAL_COMPARE = 10.0
"""Seconds for compare over 100,000 assessments on PostgreSQL."""
SETTINGS = ("server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers",
            "max_wal_size", "work_mem")  # fmt: skip


# ---------------------------------------------------------------------------- the reports


class Plan:
    """Which assessment, revision, framework, mission and period each report is."""

    def __init__(self, reports: int):
        self.reports = reports
        self.assessments = max(MISSIONS, reports * 3 // 10)
        assert reports // self.assessments < 28, "a revision's day of the month"

    def of(self, i: int) -> tuple[int, int]:
        """Report i: (assessment, revision)."""
        return i % self.assessments, i // self.assessments

    def base(self, a: int) -> str:
        """The bundled example (framework) of assessment a."""
        return BASES[(a // MISSIONS) % len(BASES)]

    def derive(self, payload: dict, i: int) -> dict:
        """The payload of report i: its assessment's id, mission and period, the revision's time."""
        a, r = self.of(i)
        p = copy.deepcopy(payload)
        period = PERIODS[(a // MISSIONS) % len(PERIODS)]  # with base(a): every framework in every period
        m = a % MISSIONS
        month = "03" if period.endswith("1") else "09"
        updated = f"{period[:4]}-{month}-{1 + r:02d}T10:{a % 60:02d}:00Z"
        for meta in (p["answers"]["metadata"], p["result"]["assessment"]["metadata"]):
            meta.update(mission=f"UN Mission {m:02d} (UNM{m:02d})", period=period, updated=updated)
        p["answers"]["id"] = p["result"]["assessment"]["id"] = f"00000000-0000-4000-8000-{a:012x}"
        return p


def generate(folder: Path, plan: Plan) -> float:
    """The reports in folder (kept ones reused when they were made for the same plan); the seconds taken."""
    stamp = folder.parent / "reports.json"  # beside them: collect would count it as a file ignored
    want = json.dumps({"reports": plan.reports, "assessments": plan.assessments, "bases": BASES, "layout": 2})
    if stamp.exists() and stamp.read_text() == want and len(list(folder.glob("*.docx"))) == plan.reports:
        return 0.0
    for old in folder.glob("*.docx"):
        old.unlink()
    stamp.unlink(missing_ok=True)
    seconds = 0.0
    for base in BASES:
        which = [i for i in range(plan.reports) if plan.base(plan.of(i)[0]) == base]
        if which:
            seconds += bench_collect.make_reports(folder, plan.reports, base, derive=plan.derive, which=which)
    stamp.write_text(want)
    return seconds


def share(files: list[Path], folder: Path, collectors: int, per: int) -> list[Path]:
    """Folders of hard links, one per collector: report i goes to collectors i % n, (i + 1) % n … (per of them)."""
    shutil.rmtree(folder, ignore_errors=True)
    dirs = [folder / str(k) for k in range(collectors)]
    for d in dirs:
        d.mkdir(parents=True)
    for i, f in enumerate(files):
        for j in range(per):
            os.link(f, dirs[(i + j) % collectors] / f.name)
    return dirs


# ---------------------------------------------------------------------------- the server


class Server:
    """A throwaway PostgreSQL cluster with the server's own (durable) defaults, unlike tests/pgserver.py's, which
    turns fsync off; made in folder, as the user postgres (or nobody) when this process is root."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.prefix: list[str] = []
        self.port = 0
        self.programs = self._programs()
        self._admin = None

    @staticmethod
    def _programs() -> Path:
        found = shutil.which("initdb")
        folders = [Path(os.path.realpath(found)).parent] if found else []
        key = lambda f: [int(n) for n in re.findall(r"\d+", f)]  # noqa: E731
        folders += [Path(f) for f in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=key, reverse=True)]
        for f in folders:
            if all(os.access(f / p, os.X_OK) for p in ("initdb", "pg_ctl", "postgres")):
                return f
        raise SystemExit("PostgreSQL's server programs are not installed: apt-get install -y postgresql")

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self.prefix, *args], capture_output=True, text=True, cwd=self.folder, check=False)
        if done.returncode:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise SystemExit(f"{Path(args[0]).name} failed: {done.stdout}{done.stderr}{tail}")

    def start(self) -> None:
        """Make the cluster (trust authentication, UTF-8) and start it on a free localhost port."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            user = "postgres"
            try:
                entry = pwd.getpwnam(user)
            except KeyError:
                user, entry = "nobody", pwd.getpwnam("nobody")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            self.prefix = ["runuser", "-u", user, "--"]
        self.folder.chmod(0o700)
        self._run(str(self.programs / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale", "C.UTF-8")  # fmt: skip
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        options = f"-k {self.folder} -c listen_addresses=localhost -p {self.port}"
        pg_ctl = [str(self.programs / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log")]
        self._run(*pg_ctl, "-w", "-t", "60", "-o", options, "start")

    def url(self, db: str) -> str:
        """A database's address, as --store takes it."""
        return f"postgresql://postgres@localhost:{self.port}/{db}"

    def sql(self, statement: str) -> list[tuple]:
        """Run a statement in the database postgres (autocommit); its rows."""
        import psycopg

        if self._admin is None:
            self._admin = psycopg.connect(self.url("postgres"), autocommit=True)
        cur = self._admin.execute(statement)
        return cur.fetchall() if cur.description else []

    def create(self, db: str) -> str:
        """A new empty database; its address."""
        self.sql(f'DROP DATABASE IF EXISTS "{db}"')
        self.sql(f'CREATE DATABASE "{db}"')
        return self.url(db)

    def settings(self) -> dict[str, str]:
        """The settings that decide durability and speed, as the server runs."""
        return {name: self.sql(f"SHOW {name}")[0][0] for name in SETTINGS}

    def cpu(self) -> float:
        """CPU seconds the server's processes have used so far (those ended included)."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid:  # a live child: its own time
                total += int(fields[11]) + int(fields[12])
            elif stat == f"/proc/{pid}/stat":  # the postmaster: its own, and its children's that ended
                total += sum(int(x) for x in fields[11:15])
        return total / tick

    def stop(self) -> None:
        """Stop the server (its clients disconnected)."""
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self.port:
            self._run(str(self.programs / "pg_ctl"), "-D", str(self.data), "stop", "-m", "fast", "-w")
            self.port = 0


# ---------------------------------------------------------------------------- running and timing


class Runner:
    """Runs assess commands in new interpreters as a user does (bytecode written once, to a cache of the run's)."""

    def __init__(self, work: Path, server: Server):
        self.server = server
        self.logs = work / "logs"
        self.logs.mkdir(exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "ASSESS_STORE")}
        self.env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(work / "pycache"), ASSESS_LANG="en")
        self.n = 0

    def run(self, *commands: list[str]) -> dict:
        """Run the commands at once; wall seconds from the first start to the last end, CPU seconds of them all
        (their reader processes included) and of the server, and what each printed last on stdout."""
        procs, outs = [], []
        gc.collect()
        before, server = resource.getrusage(resource.RUSAGE_CHILDREN), self.server.cpu()
        t = time.perf_counter()
        for argv in commands:
            self.n += 1
            out, err = self.logs / f"{self.n:03d}.out", self.logs / f"{self.n:03d}.err"
            with out.open("wb") as o, err.open("wb") as e:
                procs.append(subprocess.Popen([sys.executable, "-m", "assess", *argv], stdout=o, stderr=e,
                                              env=self.env, cwd=ROOT))  # fmt: skip
            outs.append((out, err))
        codes = [p.wait() for p in procs]
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        said = []
        for code, argv, (out, err) in zip(codes, commands, outs, strict=True):
            lines = out.read_text(errors="replace").splitlines()
            if code != 0:
                raise SystemExit(f"assess {' '.join(argv)}: exit {code}\n{err.read_text(errors='replace')[-3000:]}")
            said.append(lines[-1] if lines else "")
        return {"seconds": wall, "cpu": cpu, "server_cpu": self.server.cpu() - server, "said": said}

    def best(self, repeat: int, *commands: list[str]) -> dict:
        """The fastest of repeat runs (after one not timed, which writes the bytecode and warms the caches)."""
        self.run(*commands)
        runs = [self.run(*commands) for _ in range(repeat)]
        return min(runs, key=lambda r: r["seconds"]) | {"cpu": min(r["cpu"] for r in runs)}


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    """Best wall seconds of fn() over repeat runs, and its last value."""
    best, value = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t)
    return best, value


def in_process(folder: Path, address: str | Path) -> list[dict]:
    """collect(folder, jobs=1) in this process into a new store, Store.add timed apart: the store's own cost (wall,
    and CPU in this process: the rest of its wall time is waiting for the server and the disk) beside reading."""
    from assess.collect.collect import collect

    spent = {"wall": 0.0, "cpu": 0.0}
    with Store(address) as store:
        add = store.add

        def timed_add(*args, **kwargs):
            t, c = time.perf_counter(), time.process_time()
            try:
                return add(*args, **kwargs)
            finally:
                spent["wall"] += time.perf_counter() - t
                spent["cpu"] += time.process_time() - c

        store.add = timed_add  # type: ignore[method-assign]
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        result = collect([folder], store, jobs=1)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
    assert not result.rejected, result.summary()
    return [
        {"step": "in process, -j 1: the whole collect", "seconds": wall, "cpu": cpu, "items": len(result.outcomes)},
        {"step": "  of it reading (read, verify, score; the rest)", "seconds": wall - spent["wall"],
         "cpu": cpu - spent["cpu"]},
        {"step": "  of it Store.add (CPU: of this process)", "seconds": spent["wall"], "cpu": spent["cpu"]},
    ]  # fmt: skip


def tally(address: str | Path) -> dict[str, int]:
    """Rows of every table, current assessments, and (assessment, period)s without exactly one current revision."""
    with Store(address) as store:
        out = {t: store.rows(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"] for t in TABLES}
        out["current"] = store.counts()["assessments"]
        out["MB"] = round(megabytes(store))
        out["not one current"] = store.rows(
            "SELECT COUNT(*) AS n FROM (SELECT assessment_id, period FROM assessments GROUP BY assessment_id, period "
            "HAVING SUM(is_current) <> 1) x"
        )[0]["n"]
    return out


def import_cost(repeat: int) -> dict[str, float]:
    """psycopg's import in a new interpreter: wall seconds beside bare python, and -X importtime's cumulative."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def wall(code: str) -> float:
        best = float("inf")
        for _ in range(repeat + 1):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, check=True)
            best = min(best, time.perf_counter() - t)
        return best

    own = float("inf")
    for _ in range(repeat):
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import psycopg"], env=env, check=True,
                             capture_output=True, text=True).stderr  # fmt: skip
        for line in err.splitlines():
            parts = [p.strip() for p in line.partition(":")[2].split("|")]
            if len(parts) == 3 and parts[2] == "psycopg":
                own = min(own, int(parts[1]) / 1e6)
    return {
        "new interpreter: python -c pass": wall("pass"),
        "new interpreter: python -c 'import psycopg'": wall("import psycopg"),
        "psycopg's import alone (-X importtime, cumulative)": own,
    }


# ---------------------------------------------------------------------------- 100,000 assessments


def _copy(table: str, columns: list[str]) -> str:
    """The INSERT … SELECT that copies a table's rows of the current revisions up to :bound, each revision's number
    moved by :offset, the assessment's id and the revision's hash starting with :prefix instead (portable SQL)."""
    alias = "a" if table == "assessments" else "t"
    new = {"seq": f"{alias}.seq + :offset"}
    if table == "assessments":
        new |= {col: f":prefix || substr(a.{col}, 9)" for col in ("assessment_id", "revision")}
    picked = ", ".join(new.get(col, f"{alias}.{col}") for col in columns)
    source = "assessments a" if table == "assessments" else f"{table} t JOIN assessments a ON a.seq = t.seq"
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {picked} FROM {source} "
        "WHERE a.is_current = 1 AND a.seq <= :bound"
    )


def fill(address: str | Path, wanted: int) -> dict:
    """Bring the store to `wanted` current assessments by copying its current revisions (and their rows) under new
    assessment ids and revision hashes, one transaction per copy; PostgreSQL is vacuumed and analysed after."""
    t = time.perf_counter()
    with Store(address) as store:
        seqs = [r["seq"] for r in store.rows("SELECT seq FROM assessments WHERE is_current = 1 ORDER BY seq")]
        stride = store.rows("SELECT MAX(seq) AS m FROM assessments")[0]["m"] + 1
        columns = {t: list(store.rows(f"SELECT * FROM {t} LIMIT 1")[0]) for t in COPIED}
        have, k = len(seqs), 0
        while have < wanted:
            k += 1
            take = min(len(seqs), wanted - have)
            params = {"offset": k * stride, "prefix": f"{k:08x}", "bound": seqs[take - 1]}
            with store.transaction() as c:
                for table in COPIED:
                    c.execute(_copy(table, columns[table]), params)
            have += take
        if store.kind == "postgresql":
            store.sync_sequence()
            store.conn.execute("VACUUM ANALYZE")
        held = store.rows(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT assessment_id) AS ids, COUNT(DISTINCT framework_id) AS frameworks, "
            "COUNT(DISTINCT mission) AS missions, COUNT(DISTINCT period) AS periods FROM assessments "
            "WHERE is_current = 1"
        )[0]
        mb = megabytes(store)
    assert held["n"] == held["ids"] == wanted or (wanted < len(seqs) and held["n"] == len(seqs)), held
    return held | {"seconds": time.perf_counter() - t, "copies": k, "mb": mb}


def megabytes(store: Store) -> float:
    """The store's size on disk: the SQLite file and its write-ahead log, or the PostgreSQL database."""
    if store.kind == "postgresql":
        return store.rows("SELECT pg_database_size(current_database()) AS n")[0]["n"] / 1e6
    return sum(os.path.getsize(f) for f in glob.glob(f"{store.path}*") if not f.endswith("-shm")) / 1e6


def read_side(runner: Runner, address: str | Path, work: Path, repeat: int) -> dict[str, dict]:
    """list and compare over a store: in new interpreters, and compare in this process with its largest queries."""
    out = {
        "assess list": runner.best(repeat, ["list", "--store", str(address)]),
        "assess compare -o summary.docx": runner.best(
            repeat, ["compare", "--store", str(address), "-o", str(work / "summary.docx"), "--force"]
        ),
    }
    with Store(address) as store:
        for name, fn in (
            ("in process: store.assessments() (current)", lambda: store.assessments(Filters())),
            ("in process: store.scores() (section, derived)", lambda: store.scores(Filters())),
            ("in process: compare(store)", lambda: compare(store)),
        ):
            seconds, _ = timed(fn, repeat)
            out[name] = {"seconds": seconds}
    return out


# ---------------------------------------------------------------------------- the run


def at_once(folders: list[Path], address: str) -> list[list[str]]:
    """The collects to run at once, one per folder, into one store, each reading its files itself (-j 1)."""
    return [["collect", str(d), "--store", address, "-j", "1"] for d in folders]


def table(rows: list[dict]) -> None:
    """Print the rows: step, backend, wall and CPU seconds (the server's apart), and the rate."""
    print(f"\n{'step':<58} {'store':<10} {'seconds':>8} {'CPU s':>7} {'server':>7} {'per s':>8}")
    for r in rows:
        rate = f"{r['items'] / r['seconds']:>8.1f}" if r.get("items") else " " * 8
        cpu = f"{r['cpu']:>7.2f}" if r.get("cpu") is not None else " " * 7
        server = f"{r['server_cpu']:>7.2f}" if r.get("server_cpu") else " " * 7
        print(f"{r['step']:<58} {r.get('store', ''):<10} {r['seconds']:>8.2f} {cpu} {server} {rate}")


def collects(runner: Runner, server: Server, work: Path, files: list[Path], args) -> tuple[list[dict], dict]:
    """Part 1: the floor, and the reports collected by each arrangement into new stores, best of --collect-repeat;
    then in this process with Store.add timed apart. The rows, and the runs (with what each collector printed)."""
    folder, n, j, nc = files[0].parent, len(files), args.jobs, args.collectors
    sqlite = work / "hq.sqlite"
    quarters, halves = share(files, work / "quarters", nc, 1), share(files, work / "halves", nc, 2)
    runs = {
        "floor: read_payload of each report (this process)": lambda: {
            "seconds": timed(lambda: bench_collect.read_all(files))[0]
        },
        f"collect, one process, -j {j}|sqlite": lambda: runner.run(
            ["collect", str(folder), "--store", str(new_sqlite(sqlite)), "-j", str(j)]
        ),
        f"collect, one process, -j {j}|postgresql": lambda: runner.run(
            ["collect", str(folder), "--store", server.create("one"), "-j", str(j)]
        ),
        f"collect, {nc} at once, a {nc}th each, -j 1 each|postgresql": lambda: runner.run(
            *at_once(quarters, server.create("split"))
        ),
        f"collect, {nc} at once, half each (overlapping), -j 1 each|postgresql": lambda: runner.run(
            *at_once(halves, server.create("overlap"))
        ),
    }
    if args.lean:  # the goals' runs only: no overlapping collectors, no in-process collects
        runs = {k: v for k, v in runs.items() if "overlapping" not in k}
    best: dict[str, dict] = {}
    for _ in range(args.collect_repeat):  # the floor and the collects take turns
        for name, fn in runs.items():
            r = fn()
            if name not in best or r["seconds"] < best[name]["seconds"]:
                best[name] = r
    rows = []
    for name, r in best.items():
        step, _, kind = name.partition("|")
        rows.append({"part": "collect", "step": step, "store": kind, "items": n} | r)
    if args.lean:
        return rows, best
    print("collecting in this process, Store.add timed apart …", file=sys.stderr)
    for kind, address in (("sqlite", new_sqlite(work / "in-process.sqlite")), ("postgresql", server.create("inproc"))):
        rows += [{"part": "in process", "store": kind} | r for r in in_process(folder, address)]
    new_sqlite(work / "in-process.sqlite")
    return rows, best


def new_sqlite(path: Path) -> Path:
    """The path of a SQLite store, made free: the file and its companions removed."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, help="reports to collect (default 10,000; --quick: 240)")
    ap.add_argument("--assessments", type=int, help="current assessments to list and compare (100,000; --quick: 2,400)")
    ap.add_argument("--repeat", type=int, help="best of N for list, compare and the imports (default 3; --quick: 1)")
    ap.add_argument("--collect-repeat", type=int, default=1, help="best of N for the floor and each collect (1)")
    ap.add_argument("--jobs", type=int, default=default_jobs(), help="-j of the single collects (one per CPU, max 4)")
    ap.add_argument("--collectors", type=int, default=4, help="collects at once into one PostgreSQL database (4)")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (its reports are reused by the next run)")
    ap.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
    ap.add_argument(
        "--lean", action="store_true", help="only the goals' runs: no overlapping collectors, no in-process collects"
    )
    args = ap.parse_args()
    n_reports = args.reports or (240 if args.quick else 10_000)
    wanted = args.assessments or (2_400 if args.quick else 100_000)
    repeat = args.repeat or (1 if args.quick else 3)
    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="assess-bench-store-"))
    folder = work / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    plan = Plan(n_reports)
    started, load = time.perf_counter(), os.getloadavg()
    print(f"load average {load[0]:.2f}; {os.cpu_count()} CPUs; working in {work}", file=sys.stderr)
    print(f"generating {n_reports} reports of {plan.assessments} assessments …", file=sys.stderr)
    generated = generate(folder, plan)
    files = sorted(folder.glob("*.docx"))
    gc.collect()
    gc.freeze()  # what generating left behind (python-docx, matplotlib) out of the timed collections
    server = Server(Path(tempfile.mkdtemp(prefix="assess-bench-pg-")))
    sqlite = work / "hq.sqlite"
    try:
        server.start()
        settings = server.settings()
        print("PostgreSQL " + ", ".join(f"{k} {v}" for k, v in settings.items()), file=sys.stderr)
        runner = Runner(work, server)
        warm = share(files[:20], work / "warm", 1, 1)[0]  # bytecode written, caches warmed, for both backends
        runner.run(["collect", str(warm), "--store", str(new_sqlite(work / "warm.sqlite"))])
        runner.run(["collect", str(warm), "--store", server.create("warm")])
        print(
            f"collecting {len(files)} reports: SQLite, PostgreSQL x1, x{args.collectors}, overlapping …",
            file=sys.stderr,
        )
        rows, best = collects(runner, server, work, files, args)
        made = ("one", "split") if args.lean else ("one", "split", "overlap")
        tallies = {"sqlite": tally(sqlite)} | {db: tally(server.url(db)) for db in made}
        for db in ("split", "warm") if args.lean else ("split", "overlap", "warm", "inproc"):
            server.sql(f'DROP DATABASE "{db}"')  # room on the disk

        imports = import_cost(repeat)
        rows += [{"part": "import", "step": k, "seconds": v} for k, v in imports.items()]
        for kind, address in (("sqlite", sqlite), ("postgresql", server.url("one"))):
            seconds, _ = timed(lambda a=address: Store(a).close(), repeat)
            rows.append({"part": "import", "step": "open a store (connect, check the schema)", "store": kind,
                         "seconds": seconds})  # fmt: skip

        print(f"filling both stores to {wanted} assessments …", file=sys.stderr)
        filled = {}
        for kind, address in (("sqlite", sqlite), ("postgresql", server.url("one"))):
            filled[kind] = fill(address, wanted)
            rows.append({"part": "fill", "step": f"fill to {filled[kind]['n']} (SQL copies, not timed as a goal)",
                         "store": kind, "seconds": filled[kind]["seconds"]})  # fmt: skip
        held = filled["postgresql"]["n"]
        print(f"list and compare over {held} assessments …", file=sys.stderr)
        for kind, address in (("sqlite", sqlite), ("postgresql", server.url("one"))):
            for step, r in read_side(runner, address, work, repeat).items():
                rows.append({"part": "read", "step": f"{step} ({held})", "store": kind} | r)
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "reports": len(files),
        "assessments_collected": plan.assessments,
        "generate_seconds": round(generated, 1),
        "jobs": args.jobs,
        "collectors": args.collectors,
        "postgresql": settings,
        "tallies": tallies,
        "filled": filled,
        "said": {name.replace("|", ", "): r.get("said", []) for name, r in best.items()},
    }
    report(rows, result, held, load, time.perf_counter() - started)
    return 0


def report(rows: list[dict], result: dict, held: int, load: tuple[float, ...], whole: float) -> None:
    """Print the table, the goals, the checks, and write bench/out/store.json."""
    table(rows)
    j, nc = result["jobs"], result["collectors"]
    by = {(r["step"], r.get("store", "")): r["seconds"] for r in rows}
    one_sqlite = by[(f"collect, one process, -j {j}", "sqlite")]
    four_pg = by[(f"collect, {nc} at once, a {nc}th each, -j 1 each", "postgresql")]
    compare_pg = by[(f"in process: compare(store) ({held})", "postgresql")]
    cli_pg = by[(f"assess compare -o summary.docx ({held})", "postgresql")]
    goal_compare = f"compare over {held} assessments under {GOAL_COMPARE:g} s on PostgreSQL"
    goals = {
        f"{nc} PostgreSQL collectors at once at least as fast as one SQLite collect": four_pg <= one_sqlite,
        goal_compare + " (in process)": compare_pg < GOAL_COMPARE,
        goal_compare + " ('assess compare -o summary.docx', new interpreter)": cli_pg < GOAL_COMPARE,
    }
    print(f"\n{nc} collectors at once: {four_pg:.1f} s; one SQLite collect: {one_sqlite:.1f} s")
    for goal, ok in goals.items():
        print(f"goal: {goal}: {'met' if ok else 'NOT met'}")
    tallies = result["tallies"]
    rows_of = {db: {k: v for k, v in t.items() if k != "MB"} for db, t in tallies.items()}
    same = {db: rows_of[db] == rows_of["sqlite"] for db in tallies if db != "sqlite"}
    print(f"\nthe SQLite store after collecting ({tallies['sqlite']['MB']} MB): {rows_of['sqlite']}")
    for db, ok in same.items():
        found = "the same rows" if ok else f"OTHER ROWS: {rows_of[db]}"
        print(f"PostgreSQL '{db}' ({tallies[db]['MB']} MB): {found}")
    for kind, f in result["filled"].items():
        print(f"{kind} filled: {f['n']} current assessments, {f['ids']} distinct ids, {f['frameworks']} frameworks, "
              f"{f['missions']} missions, {f['periods']} periods; {f['mb']:.0f} MB")  # fmt: skip
    for name, said in result["said"].items():
        for line in said:
            print(f"  {name}: {line}")
    print(f"\nPostgreSQL settings: {', '.join(f'{k} {v}' for k, v in result['postgresql'].items())}")
    after = os.getloadavg()
    print(f"load average {load[0]:.2f} before, {after[0]:.2f} after; the whole run {whole:.0f} s")
    result |= {"load": [round(load[0], 2), round(after[0], 2)], "seconds": round(whole), "goals": goals}
    result |= {"same_rows_as_sqlite": same}
    result["rows"] = [{k: round(v, 4) if isinstance(v, float) else v for k, v in r.items()} for r in rows]
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = OUT / "store.json.tmp"
    tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, OUT / "store.json")


if __name__ == "__main__":
    sys.exit(main())
