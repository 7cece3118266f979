"""Four collectors at once into one PostgreSQL store, over overlapping sets of reports and answers files that hold
several revisions of the same assessments, store exactly what one collect of all the files stores: every table
row for row, one current revision per assessment (the newest), nothing lost or stored twice; and compare and list,
run while they write, read a consistent store."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from hqfiles import answers_like, reports_like
from pgserver import dump, fetch

from assess.collect.store import Store

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))
ASSESSMENTS = 12
UPDATED = ("2026-10-05T10:00:00Z", "2026-10-12T10:00:00Z", "2026-10-19T10:00:00Z")
"""Each assessment's three revisions, oldest first: none as new as another, so which is current never depends on
the order they arrive in."""


def _assess(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "assess", *args],
        env=ENV,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _revisions(made, folder: Path) -> list[Path]:
    """Three revisions of each of ASSESSMENTS assessments (mission-risk's example as other missions), one file per
    revision: two in three a report, the others an answers file, so each assessment has revisions of both kinds."""
    files = []
    for k, updated in enumerate(UPDATED):
        part = folder / f"rev{k}"
        part.mkdir()
        reports = [i for i in range(ASSESSMENTS) if (i + k) % 3]
        answers = [i for i in range(ASSESSMENTS) if not (i + k) % 3]
        files += reports_like(made["inbox"] / "mission-risk.docx", part, reports, updated=updated)
        files += answers_like("mission-risk", part, answers, updated=updated)
    return files


def _stored(summary: str) -> int:
    """How many revisions a collect's summary says it stored (collected, superseded, kept as history)."""
    counts = {k: int(n) for k, n in re.findall(r"(collected|superseded|kept as history) (\d+)", summary)}
    return sum(counts.values())


class _Reader(threading.Thread):
    """Runs 'assess list --all' (or 'assess compare') again and again until told to stop; keeps what each run
    printed: (whether a collect was writing when it started, exit code, the number of revisions (or assessments)
    it counted, its output)."""

    def __init__(self, command: str, store: str, folder: Path, writers: list[subprocess.Popen]):
        super().__init__(daemon=True)
        self.command, self.store, self.folder, self.writers = command, store, folder, writers
        self.running = threading.Event()
        self.running.set()
        self.seen: list[tuple[bool, int, int, str]] = []

    def run(self) -> None:
        while self.running.is_set():
            writing = any(p.poll() is None for p in self.writers)
            if self.command == "list":
                argv, pattern = ["list", "--all"], r"^(\d+) revision\(s\) in "
            else:
                argv, pattern = (
                    ["compare", "-o", str(self.folder / f"summary{len(self.seen)}.docx")],
                    r": (\d+) assessment",
                )
            done = subprocess.run(
                [sys.executable, "-m", "assess", *argv, "--store", self.store],
                env=ENV,
                capture_output=True,
                text=True,
                timeout=300,
            )
            found = re.search(pattern, done.stdout + done.stderr, re.M)
            self.seen.append((writing, done.returncode, int(found[1]) if found else -1, done.stdout + done.stderr))


def test_four_collectors_at_once_store_what_one_collect_stores(made, pg_server, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    revisions = _revisions(made, folder)
    # the goci-profile example superseded by a later revision (a report) and an older one arriving late (answers),
    # and a framework version read from its file with an assessment on it
    others = [made["revised"][1], made["older"][0], made["v11"]]
    rng = random.Random(19)
    shares: list[list[Path]] = [[], [], [], []]
    for n, path in enumerate(revisions + others):
        for j in {n % 4, (n + 1) % 4} | ({0, 1, 2, 3} if n % 5 == 0 else set()):  # each in two or in all four
            shares[j].append(path)
    shares[1].append(made["inbox"])  # revisions the store holds already
    shares[3].append(made["inbox"])
    for share in shares:
        rng.shuffle(share)  # each collector meets the revisions in its own order: newer before older too

    concurrent = pg_server.create_database()
    seed = _assess("collect", str(made["inbox"]), "--store", concurrent)  # compare refuses an empty store
    assert seed.wait(timeout=300) == 0, seed.communicate()
    collectors = [_assess("collect", *map(str, share), "--store", concurrent) for share in shares]
    readers = [_Reader(command, concurrent, tmp_path, collectors) for command in ("list", "compare")]
    with Store(concurrent) as store:  # the readers start once the collects have begun to write
        while store.counts()["revisions"] == 6 and any(p.poll() is None for p in collectors):
            time.sleep(0.1)
    for reader in readers:
        reader.start()
    outs = [p.communicate(timeout=600) for p in collectors]
    for reader in readers:
        reader.running.clear()
        reader.join(timeout=600)
    assert [p.returncode for p in collectors] == [0, 0, 0, 0], outs

    single = pg_server.create_database()
    everything = [made["inbox"], *revisions, *others]
    one = _assess("collect", *map(str, everything), "--store", single)
    out, err = one.communicate(timeout=600)
    assert one.returncode == 0, (out, err)

    expected = 6 + len(revisions) + 3  # the six examples, the revisions and the three others
    assert _stored(out) == expected
    assert sum(_stored(o) for o, _ in outs) == expected - 6  # each revision stored by one of the four, once
    with Store(concurrent) as store:
        assert store.check() == []
        assert store.counts() == {"assessments": 6 + ASSESSMENTS + 1, "revisions": expected, "frameworks": 6}
        held = fetch(store, "SELECT assessment_id, period, updated, is_current FROM assessments")
    newest: dict[tuple[str, str], str] = {}
    for aid, period, updated, _ in held:
        newest[(aid, period)] = max(newest.get((aid, period), ""), updated)
    current = sorted((aid, period, updated) for aid, period, updated, is_current in held if is_current)
    assert current == sorted((aid, period, updated) for (aid, period), updated in newest.items())
    assert dump(concurrent, by_revision=True) == dump(single, by_revision=True)

    # compare and list, run while the collects wrote, read a consistent store: no error, nothing seen to go away
    # (list counts the revisions, compare the assessments)
    bounds = {"list": (6, expected), "compare": (6, 6 + ASSESSMENTS + 1)}
    for reader in readers:
        first, last = bounds[reader.command]
        assert [seen for seen in reader.seen if seen[1] != 0 or seen[2] < 0] == [], reader.command
        counts = [seen[2] for seen in reader.seen]
        assert counts == sorted(counts) and first <= counts[0] and counts[-1] <= last, (reader.command, counts)
        assert reader.seen[0][0], f"{reader.command} did not start before the collects ended"
