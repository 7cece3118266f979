"""Provides the reader processes: files read in order by forked processes while the collecting process writes,
or read in the collecting process itself when they are few, when it may not fork, or when no reader can start.

Readers are forked, so they inherit the function that reads one file with everything it holds (what the store
held when the collect began); they never touch the store. At most AHEAD tasks per reader are in flight, so
memory stays bounded on any number of files. Should a reader die (the system ran out of memory), the files
left are read in the collecting process.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import Future

PARALLEL_MIN = 16
"""Fewer files than this are read in the collecting process: starting readers would cost more."""
CHUNK = 4
"""Files per task sent to a reader."""
AHEAD = 3
"""Tasks in flight per reader: enough to keep them busy, little held in memory."""


def default_jobs() -> int:
    """One reader per CPU this process may use, at most 4 (the single writer is the limit beyond that)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus))


def can_fork() -> bool:
    """Whether reader processes can be forked here (Linux, with the fork start method)."""
    import multiprocessing  # deferred: 16 ms, paid only by a collect of many files

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


_READ: Callable[[Any], Any] | None = None  # set in the collecting process just before it forks its readers


def _start(parent: int) -> None:
    """In a reader: leave ctrl+c to the collecting process, and exit if it dies (a SIGKILL leaves no
    reader behind waiting for work that will never come)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="assess-parent-watch", daemon=True).start()


def _read_chunk(files: list) -> list:
    """In a reader: read a chunk of files with the function inherited from the collecting process."""
    assert _READ is not None
    return [_READ(f) for f in files]


class Readers:
    """Reads files in order with a function, by forked reader processes when that pays, else in this process."""

    def __init__(self, read: Callable[[Any], Any], jobs: int):
        self.read = read
        """Reads one file: called in the readers (inherited through the fork) or here."""
        self.jobs = jobs
        """How many reader processes to start at most (0 or 1: none)."""
        self.used = 0
        """How many reader processes read files in the last run (0: every file was read in this process)."""

    def run(self, files: list) -> Iterator:
        """read() of every file, in order: by readers when there are at least PARALLEL_MIN files, else here."""
        self.used = 0
        if self.jobs > 1 and len(files) >= PARALLEL_MIN and can_fork():
            return self._parallel(files)
        return (self.read(f) for f in files)

    def _parallel(self, files: list) -> Iterator:
        # deferred with multiprocessing (can_fork): 16 ms more, paid only by a collect of many files
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        global _READ
        _READ = self.read
        chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
        jobs = min(self.jobs, len(chunks))
        given = 0  # chunks yielded so far
        try:
            with ProcessPoolExecutor(
                jobs, multiprocessing.get_context("fork"), initializer=_start, initargs=(os.getpid(),)
            ) as pool:
                pending: deque[Future] = deque(pool.submit(_read_chunk, c) for c in chunks[: AHEAD * jobs])
                sent = len(pending)
                while pending:
                    done = pending.popleft().result()
                    self.used = jobs
                    if sent < len(chunks):
                        pending.append(pool.submit(_read_chunk, chunks[sent]))
                        sent += 1
                    given += 1
                    yield from done
        except (BrokenProcessPool, OSError, ImportError):  # a reader died, or none could start (no fork, no /dev/shm)
            for chunk in chunks[given:]:
                yield from (self.read(f) for f in chunk)
        finally:
            _READ = None
