"""Provides the PDF of a rendered Word document, converted by LibreOffice and marked as an output of assess."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import AssessError, problem

SOFFICE_ENV = "ASSESS_SOFFICE"
"""The environment variable that names the LibreOffice program to use (a path, or a name looked up on PATH)."""
PROGRAMS = ("soffice", "libreoffice")
"""The names LibreOffice's program goes by on PATH, tried in order when ASSESS_SOFFICE is not set."""
PACKAGE = "libreoffice-writer-nogui"
"""The Debian and Ubuntu package that installs what the conversion needs."""
TIMEOUT = 300.0
"""Seconds a conversion may take before LibreOffice is stopped (a cold start takes a few seconds)."""
KINDS = ("report", "summary")
"""What a PDF assess writes is of: the mark it carries (its Info dictionary's /AssessOutput)."""

_MARK = re.compile(rb"/AssessOutput\s*\((report|summary)\)")
_TAIL = 4096
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", re.S)


def pdf_beside(docx: str) -> str:
    """The PDF's path for a Word output: report.docx -> report.pdf beside it (any other name gains .pdf)."""
    root, ext = os.path.splitext(docx)
    return (root if ext.lower() == ".docx" else docx) + ".pdf"


def soffice(where: str) -> str:
    """The LibreOffice program to run: $ASSESS_SOFFICE, else soffice or libreoffice on PATH; AssessError E421 (at
    where, the PDF's path) when there is none, naming the package that installs it."""
    configured = os.environ.get(SOFFICE_ENV, "").strip()
    names = (configured,) if configured else PROGRAMS
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    program = f"{configured} (from {SOFFICE_ENV})" if configured else " or ".join(PROGRAMS)
    raise AssessError([problem(where, None, "E421", program=program, package=PACKAGE, variable=SOFFICE_ENV)])


def convert(docx: Path, pdf: Path, program: str, kind: str, where: str, timeout: float = TIMEOUT) -> None:
    """Convert the Word document docx to PDF into the file pdf (a temp file of a Batch), marked as a PDF of kind.

    LibreOffice runs headless with a profile of its own in a private temp folder (so several conversions may run at
    once, and none touches the user's profile), in a session of its own that is killed whole on a timeout.
    AssessError E422 (at where) when it fails, says nothing, or takes more than timeout seconds."""
    with tempfile.TemporaryDirectory(prefix="assess-pdf-", ignore_cleanup_errors=True) as folder:
        work = Path(folder)
        source = work / "document.docx"
        shutil.copyfile(docx, source)
        command = [
            program,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        reason = _run(command, timeout)
        made = work / "document.pdf"
        if reason is None and (not made.is_file() or made.stat().st_size == 0):
            reason = "LibreOffice ended without writing a PDF"
        if reason is not None:
            raise AssessError([problem(where, None, "E422", reason=reason)])
        pdf.write_bytes(mark(made.read_bytes(), kind))


def _run(command: list[str], timeout: float) -> str | None:
    """Run LibreOffice; None when it succeeded, else why not in words."""
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its helper processes share the session: a timeout kills them all
        )
    except OSError as exc:
        return f"cannot start {command[0]} ({exc.strerror or exc})"
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.communicate()
        return f"LibreOffice took more than {timeout:g} seconds and was stopped"
    except BaseException:  # Ctrl-C: leave no LibreOffice behind
        _kill(proc)
        raise
    _kill(proc)  # a helper left running would hold the profile folder
    if proc.returncode != 0:
        said = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
        return f"LibreOffice exited with status {proc.returncode}" + (f" ({said[-1].strip()})" if said else "")
    return None


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice and the helpers of its session (POSIX), or the process itself (Windows)."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        elif proc.poll() is None:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass


def mark(data: bytes, kind: str) -> bytes:
    """The PDF data with /AssessOutput (kind) added to its Info dictionary by an incremental update (PDF 1.7,
    7.5.6: the original bytes stay as they are; a new Info object, cross-reference section and trailer follow).
    A PDF whose last trailer or Info dictionary is not found as LibreOffice writes them is returned unmarked."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of PDF: {kind}")
    found = _TRAILER.match(data, data.rfind(b"trailer", max(0, len(data) - _TAIL)))
    if not found:
        return data
    trailer, previous = found.group(1), int(found.group(2))
    info = re.search(rb"/Info\s+(\d+)\s+(\d+)\s+R", trailer)
    if info is None or re.search(rb"/Size\s+\d+", trailer) is None:
        return data
    number, generation = int(info.group(1)), int(info.group(2))
    starts = list(re.finditer(rb"(?:^|[\r\n])%d\s+%d\s+obj\s*<<" % (number, generation), data))
    if not starts:
        return data
    end = data.find(b">>", starts[-1].end())
    close = re.compile(rb">>\s*endobj").match(data, end) if end >= 0 else None
    if close is None:  # an Info dictionary holding '>>' (a nested dictionary) is not one LibreOffice writes
        return data
    entries = _MARK.sub(b"", data[starts[-1].end() : end])
    body = data if data.endswith((b"\n", b"\r")) else data + b"\n"
    offset = len(body)
    obj = b"%d %d obj\n<<%s/AssessOutput(%s)>>\nendobj\n" % (number, generation, entries, kind.encode())
    xref = b"xref\n%d 1\n%010d %05d n \n" % (number, offset, generation)
    kept = re.sub(rb"/Prev\s+\d+|/DocChecksum\s*/[0-9A-Fa-f]*", b"", trailer).strip()
    tail = b"trailer\n<<%s/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (kept, previous, offset + len(obj))
    return body + obj + xref + tail


def pdf_kind(path: str | Path) -> str | None:
    """Which assess output the PDF at path is (its mark: 'report' or 'summary'), or None for any other file."""
    try:
        with open(path, "rb") as fh:
            if fh.read(5) != b"%PDF-":
                return None
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - _TAIL))
            tail = fh.read()
    except OSError:
        return None
    kinds = _MARK.findall(tail)
    return kinds[-1].decode() if kinds else None
