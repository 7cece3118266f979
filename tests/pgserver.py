"""Provides a throwaway PostgreSQL server for the tests (pg_server), and the store address the headquarters tests
run on, a SQLite file or a fresh database on that server (store_address, parametrized over both).

The server is a cluster of its own, made with initdb in a temporary folder and started with pg_ctl on a free
localhost port and a unix socket in that folder, without durability (fsync off: the tests' data is thrown away);
it is started once per session, at the first test that needs it, and stopped (pg_ctl stop -m fast) and removed at
the end, also when the session fails; a watchdog stops and removes it when the session is killed instead. PostgreSQL refuses to run as root: as root, its programs run as the user
postgres (runuser), or nobody where there is no such user, owning the folder. Where the server programs are not
installed the tests that need them are skipped with the command that installs them, and fail under
ASSESS_REQUIRE_TOOLS=1 (CI), as tests/conftest.py's need() does for the other programs.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BACKENDS = ("sqlite", "postgresql")
"""The store backends the headquarters tests run on, as the ids of their parameters."""

INSTALL = "install with 'sudo apt-get install -y postgresql' (or run 'make tools')"


def _server_programs() -> Path | None:
    """The folder holding initdb and pg_ctl: initdb's own (found on PATH) first, else the newest of Debian's
    /usr/lib/postgresql/VERSION/bin."""
    folders = []
    found = shutil.which("initdb")
    if found:
        folders.append(Path(os.path.realpath(found)).parent)
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    folders += [Path(f) for f in sorted(versions, key=lambda f: [int(n) for n in re.findall(r"\d+", f)], reverse=True)]
    for folder in folders:
        if all(os.access(folder / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _missing(what: str) -> None:
    """Skip (locally) or fail (ASSESS_REQUIRE_TOOLS=1) the tests that need the server, saying why."""
    reason = f"needs {what}"
    if os.environ.get("ASSESS_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason}; ASSESS_REQUIRE_TOOLS=1 runs every test", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """A PostgreSQL cluster of the tests' own: made and started by start(), stopped and removed by stop()."""

    def __init__(self, programs: Path):
        self.programs = programs
        self.port = 0
        self.folder = Path(tempfile.mkdtemp(prefix="assess-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.prefix: list[str] = []  # how the server programs are run: as another user when this one is root
        self._names = itertools.count(1)
        self._admin: Any = None
        self._started = False
        self._watchdog: subprocess.Popen | None = None

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.prefix, *args], capture_output=True, text=True, timeout=120, cwd=self.folder, check=False
        )

    def start(self) -> None:
        """Make the cluster (trust authentication, UTF-8) and start it on a free port; fail with the server's
        own messages when it cannot."""
        if os.geteuid() == 0:
            user = "postgres"
            try:
                pwd.getpwnam(user)
            except KeyError:
                user = "nobody"
            entry = pwd.getpwnam(user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            self.prefix = ["runuser", "-u", user, "--"]
        self.folder.chmod(0o700)
        initdb = [str(self.programs / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"]
        done = self._run(*initdb, "-E", "UTF8", "--locale", "C.UTF-8")
        if done.returncode != 0:  # a system without the C.UTF-8 locale
            shutil.rmtree(self.data, ignore_errors=True)
            done = self._run(*initdb, "-E", "UTF8", "--locale", "C")
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stdout}{done.stderr}")
        for _attempt in range(3):  # another program may take the free port between finding it and binding it
            self.port = _free_port()
            options = (
                f"-k {self.folder} -c listen_addresses=localhost -p {self.port} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            )
            pg_ctl = [str(self.programs / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60"]
            done = self._run(*pg_ctl, "-o", options, "start")
            if done.returncode == 0:
                self._started = True
                self._watch()
                return
        log = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        raise RuntimeError(f"pg_ctl start failed: {done.stdout}{done.stderr}\n{log[-3000:]}")

    def _watch(self) -> None:
        """A watchdog in a session of its own: when this process ends without stopping the server (killed, or its
        process group killed by a timeout), the server is stopped and its folder removed all the same."""
        stop = [*self.prefix, str(self.programs / "pg_ctl"), "-D", str(self.data), "stop", "-m", "immediate"]
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; "
            f"{shlex.join(stop)} >/dev/null 2>&1; rm -rf {shlex.quote(str(self.folder))}"
        )
        self._watchdog = subprocess.Popen(
            ["sh", "-c", script],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def url(self, dbname: str) -> str:
        """The address of a database of this server, as --store takes it."""
        return f"postgresql://postgres@localhost:{self.port}/{dbname}"

    def create_database(self) -> str:
        """A new empty database on this server; its address."""
        import psycopg

        if self._admin is None:
            self._admin = psycopg.connect(self.url("postgres"), autocommit=True)
        name = f"hq_{os.getpid()}_{next(self._names)}"
        self._admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (fast: its clients are disconnected) and remove its folder; again does nothing."""
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self._started:
            self._started = False
            self._run(str(self.programs / "pg_ctl"), "-D", str(self.data), "stop", "-m", "fast", "-w", "-t", "60")
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._watchdog is not None:  # nothing left for it to do
            self._watchdog.kill()
            self._watchdog.wait()
            self._watchdog = None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server of the session's own (see the module's docstring): .url(dbname), .create_database()."""
    programs = _server_programs()
    if programs is None:
        _missing(f"the PostgreSQL server (initdb, pg_ctl): {INSTALL}")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg, PostgreSQL's driver: install with 'pip install assess[postgres]' (make installs it)")
    assert programs is not None
    server = PgServer(programs)
    atexit.register(server.stop)  # also when the session ends without reaching the end of this fixture
    try:
        server.start()
        yield server
    finally:
        server.stop()


def new_address(request: pytest.FixtureRequest, backend: str, folder: Path) -> Path | str:
    """A new store's address on the backend: a file in folder (SQLite) or a fresh database (PostgreSQL)."""
    if backend == "sqlite":
        return folder / "hq.sqlite"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_database()


@pytest.fixture(params=BACKENDS)
def store_address(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A new store's address, once per backend: tmp_path / 'hq.sqlite', or a fresh PostgreSQL database's URL."""
    return new_address(request, request.param, tmp_path)


def fetch(store: Any, sql: str, params: tuple = ()) -> list[tuple]:
    """The rows a query of the store gives, as tuples in the order of its columns (sql in SQLite's dialect, which
    the store translates for PostgreSQL)."""
    return [tuple(r.values()) for r in store.rows(sql, params)]


def tables() -> list[str]:
    """Every table of the store's schema (meta and those its migrations create), by name."""
    from assess.collect.migrations import MIGRATIONS

    names = ["meta"] + [t for steps in MIGRATIONS.values() for s in steps for t in re.findall(r"CREATE TABLE (\w+)", s)]
    return sorted(names)


def dump(address: Path | str, by_revision: bool = False) -> dict[str, list[dict]]:
    """Every row of every table of a store, sorted, without the time of collecting; by_revision: each revision's
    number (seq, which depends on the order revisions were stored in) replaced by the revision itself."""
    from assess.collect.store import Store

    with Store(address) as store:
        held = (
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            if store.kind == "sqlite"
            else "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        assert sorted(r["name"] for r in store.rows(held)) == tables(), "a table the dump would leave out"
        revision = {r["seq"]: r["revision"] for r in store.rows("SELECT seq, revision FROM assessments")}
        out = {}
        for table in tables():
            found = []
            for r in store.rows(f"SELECT * FROM {table}"):
                r.pop("collected_at", None)
                if by_revision and "seq" in r:
                    r["seq"] = revision.get(r["seq"], r["seq"])
                found.append(r)
            out[table] = sorted(found, key=lambda r: repr(sorted(r.items())))
        return out
