"""Provides the writing of a command's outputs: checked before any work, written atomically, all or none."""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import secrets
import stat
import sys
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import AssessError, Problem, problem
from .files import special_kind, sync_folder, take_over
from .i18n import N_, domain
from .terminal import visible

_, ngettext, pgettext = domain("cli")

STDOUT = "-"
"""The output path that means standard output (text outputs only)."""

# A Batch checks each output before any work: one that is a file the command reads (through links and '..'),
# that another output names, whose folder is missing or takes no files, that is a folder, a special file or a
# read-only file, or an existing file that is not an earlier output of the same kind (without --force), is
# refused with a coded message. prepare() then makes each output's temp file in its folder (the proof the
# folder takes it); the command fills them, and commit() writes, fsyncs and renames them all into place, then
# prints what goes to standard output ('-'). On any failure the temp files are removed and every existing
# file is left as it was.
#
# An earlier output of the same kind, which may be replaced without --force (identify()):
#   report      a .docx carrying an assess payload (what 'assess report' writes; Word keeps it on re-saving)
#   summary     a .docx carrying the summary mark (what 'assess compare' writes, from this version on)
#   result      what 'assess score' writes, in any format: JSON with "format": "assess-result/...", a CSV whose
#               header row is score's columns, or a table with score's 'Status:' and 'Score Value Rating' lines
#   actions     a CSV whose header row is the plan of action's columns and whose owner, due_date and status
#               columns are empty in every row (a plan the mission began to fill is theirs)
#               (or, for --actions FILE.xlsx, a workbook carrying the plan's mark, with those columns empty)
#   requirements  the same for the collection plan (--requirements): a CSV whose header row is its columns, or a
#               workbook carrying its mark, with owner, due date and status empty
#   comparison  a CSV whose header row is compare's columns
#   pdf         a PDF carrying the mark --pdf puts in its Info dictionary (office.mark)
# An empty file holds nothing to lose and may be replaced too.
KINDS = {
    "report": N_("a report that 'assess report' wrote"),
    "summary": N_("a summary that 'assess compare' wrote"),
    "result": N_("a result that 'assess score' wrote"),
    "actions": N_("a plan of action that 'assess report --actions' wrote"),
    "requirements": N_("a collection plan that 'assess report --requirements' wrote"),
    "comparison": N_("a CSV that 'assess compare --csv' wrote"),
    "pdf": N_("a PDF that 'assess report --pdf' or 'assess compare --pdf' wrote"),
}
DOCX_KINDS = ("report", "summary")
EXAMPLES = {"report": "report.docx", "summary": "summary.docx"}
FILLED = ("owner", "due_date", "status")
"""The plan of action's columns the mission fills in: a plan with entries there is not replaced without --force."""
MAX_CHECKED = 16 * 1024 * 1024
"""Largest existing file read to tell whether it is an earlier output; a larger one is not assumed to be."""
MAX_PARTS = 10_000
_HEAD = 64 * 1024
_PAYLOAD = b"urn:assess:payload"
SUMMARY_NAMESPACE = "urn:assess:summary:1"
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


@dataclass(frozen=True)
class Output:
    """One file a command writes."""

    path: str
    """The path as the user typed it, or '-' for standard output."""
    option: str
    """The option that names it: -o, --actions, --csv."""
    what: str
    """What it is, as messages say: 'the report', 'the plan of action'."""
    kind: str
    """Its kind, a key of KINDS."""

    @property
    def to_stdout(self) -> bool:
        """Whether it goes to standard output."""
        return self.path == STDOUT


def _target(out: Output) -> Path:
    return Path(os.path.realpath(out.path))


def _folder(out: Output) -> str:
    return os.path.dirname(out.path) or "."


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file: the same inode when both exist, else the same resolved path."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except (OSError, ValueError):
        return os.path.realpath(a) == os.path.realpath(b)
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def same_as_input(out: Output, inputs: Mapping[str, str | Path | None]) -> Problem | None:
    """E412 when out names one of the files the command reads (inputs: description -> path), else None."""
    for description, path in inputs.items():
        if path is not None and same_file(out.path, path):
            return problem(
                out.path,
                None,
                "E412",
                option=out.option,
                other=f"{description} ({path})",
                harm=_("replace a file the command reads"),
            )
    return None


def check(out: Output, inputs: Mapping[str, str | Path | None], earlier: list[Output], force: bool) -> Problem | None:
    """What refuses out before any work (E412-E415, E418, E419), or None when it may be written."""
    if out.to_stdout:
        if out.kind in DOCX_KINDS:
            return problem(
                f"{out.option} -", None, "E419", what=out.what, option=out.option, example=EXAMPLES[out.kind]
            )
        printed = next((o for o in earlier if o.to_stdout), None)
        if printed is not None:  # two CSVs one after the other on standard output read as one
            return problem(
                f"{out.option} -", None, "E412", option=out.option, other=f"{printed.option} (-)", harm=_("mix the two")
            )
        return None
    found = same_as_input(out, inputs)
    if found:
        return found
    for other in earlier:
        if not other.to_stdout and same_file(out.path, other.path):
            return problem(
                out.path,
                None,
                "E412",
                option=out.option,
                other=f"{other.option} ({other.path})",
                harm=_("make one output overwrite the other"),
            )
    hint = "" if out.kind in DOCX_KINDS else _(" (or - to print it)")
    if out.path.endswith(("/", os.sep)):
        return problem(out.path, None, "E415", what=out.what, kind=_("a folder"), hint=hint)
    target = _target(out)
    if not target.parent.is_dir():
        state = _("is not a folder") if target.parent.exists() else _("does not exist")
        return problem(out.path, None, "E413", what=out.what, folder=_folder(out), state=state)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return os_problem(out, exc)
    if not stat.S_ISREG(st.st_mode):
        return problem(out.path, None, "E415", what=out.what, kind=special_kind(st.st_mode), hint=hint)
    if not st.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        return problem(out.path, None, "E414", what=out.what, reason=_("the file is read-only"))
    if force:
        return None
    reason = refusal(target, out.kind)
    return problem(out.path, None, "E418", reason=reason) if reason else None


def refusal(path: Path, kind: str) -> str | None:
    """Why the existing file at path may not be replaced by an output of kind without --force, or None."""
    found = identify(path)
    if found in ("empty", kind):
        if kind in ("actions", "requirements"):
            where = filled_row(path)
            if where:
                plan = _("plan of action") if kind == "actions" else _("collection plan")
                line = _(
                    "is a {plan} with entries in its owner, due_date or status columns ({where}), which replacing it "
                    "would lose"
                )
                return line.format(plan=plan, where=where)
        return None
    if found:
        return _("is {found}, not {kind}").format(found=_(KINDS[found]), kind=_(KINDS[kind]))
    return _("is not {kind}").format(kind=_(KINDS[kind]))


def identify(path: Path) -> str | None:
    """Which kind of assess output the regular file at path is ('empty' when it is empty), or None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD)
    except OSError:
        return None
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return _docx_kind(path)
    if head.startswith(b"%PDF-"):
        from .office import pdf_kind

        return "pdf" if pdf_kind(path) else None
    text = head.decode("utf-8-sig", "replace")
    if re.match(r'\s*\{\s*"format"\s*:\s*"assess-result/', text):
        return "result"
    if _score_table(text):
        return "result"
    from .collect.compare import CSV_COLUMNS as COMPARISON
    from .collection_plan import REQUIREMENT_COLUMNS
    from .output import ACTION_COLUMNS, CSV_COLUMNS, EARLIER_ACTION_COLUMNS, ISSUE15_ACTION_COLUMNS

    header = tuple(next(csv.reader(io.StringIO(text.split("\n", 1)[0].rstrip("\r"))), ()))
    kinds = {CSV_COLUMNS: "result", ACTION_COLUMNS: "actions", EARLIER_ACTION_COLUMNS: "actions"}
    kinds[ISSUE15_ACTION_COLUMNS] = "actions"
    kinds[REQUIREMENT_COLUMNS] = "requirements"
    return {**kinds, COMPARISON: "comparison"}.get(header)


def _score_table(text: str) -> bool:
    """Whether text is a table 'assess score' wrote, in any language the interface speaks."""
    from .i18n import interface_languages
    from .table import table_head

    for lang in interface_languages():
        status, score, value, rating = (re.escape(w) for w in table_head(lang))
        if re.search(rf"^{status} ", text, re.M) and re.search(rf"^{score} +{value}  {rating}$", text, re.M):
            return True
    return False


def _docx_kind(path: Path) -> str | None:
    try:
        if os.path.getsize(path) > 256 * 1024 * 1024:
            return None
        with zipfile.ZipFile(path) as z:
            items = [i for i in z.infolist() if re.fullmatch(r"customXml/item\d+\.xml", i.filename)]
            if len(items) > MAX_PARTS:
                return None
            for info in items:
                with z.open(info) as f:
                    head = f.read(1024)
                if _PAYLOAD in head:
                    return "report"
                if SUMMARY_NAMESPACE.encode() in head:
                    return "summary"
            if "docProps/custom.xml" in z.namelist():
                from .workbook import MARK, REQUIREMENTS_MARK

                with z.open("docProps/custom.xml") as f:
                    props = f.read(64 * 1024)
                    if MARK.encode() in props:
                        return "actions"
                    if REQUIREMENTS_MARK.encode() in props:
                        return "requirements"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return None
    return None


def filled_row(path: Path) -> str | None:
    """Where a plan (of action, or the collection plan) first has an entry in owner, due_date or status: a CSV's
    'line 3', a workbook's 'row 3' (workbook.filled_row); 'line 1' when it is too large to read."""
    if zipfile.is_zipfile(path):
        from .workbook import filled_row as workbook_row

        return workbook_row(path)
    try:
        if os.path.getsize(path) > MAX_CHECKED:
            return "line 1"
        text = path.read_bytes().decode("utf-8-sig", "replace")
    except OSError:
        return "line 1"
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        if any((row.get(k) or "").strip() for k in FILLED):
            return f"line {reader.line_num}"
    return None


def os_problem(out: Output, exc: OSError) -> Problem:
    """The coded problem of an OSError met writing out: no folder, denied, a folder, disk full, other (E413-E417)."""
    reason = exc.strerror or str(exc)
    folder = _folder(out)
    if exc.errno in _DISK_FULL:
        return problem(out.path, None, "E416", what=out.what, reason=reason)
    if exc.errno == errno.EISDIR:
        return problem(out.path, None, "E415", what=out.what, kind=_("a folder"), hint="")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR) and not _target(out).parent.is_dir():
        return problem(out.path, None, "E413", what=out.what, folder=folder, state=_("does not exist"))
    if exc.errno in _DENIED or exc.errno in (errno.ENOENT, errno.ENOTDIR):
        denied = _("the folder {folder} takes no new files ({reason})").format(folder=folder, reason=reason)
        return problem(out.path, None, "E414", what=out.what, reason=denied)
    return problem(out.path, None, "E417", what=out.what, reason=reason)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class Batch:
    """The outputs of one command: checked, filled in temp files, then renamed into place together."""

    def __init__(self, outputs: list[Output], force: bool = False):
        self.outputs = list(outputs)
        self.force = force
        self._temps: dict[Output, Path] = {}
        self._texts: dict[Output, str] = {}

    @property
    def to_stdout(self) -> bool:
        """Whether one of the outputs goes to standard output (then the command's own lines go to stderr)."""
        return any(o.to_stdout for o in self.outputs)

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()

    def prepare(self, inputs: Mapping[str, str | Path | None]) -> None:
        """Refuse every output that may not be written (AssessError), then make a temp file for each file output."""
        found = [check(o, inputs, self.outputs[:i], self.force) for i, o in enumerate(self.outputs)]
        if any(found):
            raise AssessError([p for p in found if p])
        for out in self.outputs:
            if out.to_stdout or out in self._temps:
                continue
            target = _target(out)
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            except OSError as exc:
                self.discard()
                raise AssessError([os_problem(out, exc)]) from None
            os.close(fd)
            self._temps[out] = Path(tmp)

    def _find(self, out: Output | str | Path) -> Output:
        if isinstance(out, Output):
            return out
        return next(o for o in self.outputs if o.path == str(out))

    def temp(self, out: Output | str | Path) -> Path:
        """The temp file prepare() made for out, for a renderer to fill."""
        return self._temps[self._find(out)]

    def fill(self, out: Output | str | Path, write: Callable[[Path], None]) -> None:
        """Fill out's temp file with write(path); an OSError becomes out's coded problem (AssessError)."""
        out = self._find(out)
        try:
            write(self._temps[out])
        except OSError as exc:
            raise AssessError([os_problem(out, exc)]) from None

    def put(self, out: Output | str | Path, text: str) -> None:
        """The text out is to hold (written at commit())."""
        self._texts[self._find(out)] = text

    def commit(self) -> None:
        """Write, fsync and rename every temp file into place (all or none), then print what goes to stdout."""
        for out, tmp in self._temps.items():
            try:
                fd = os.open(tmp, os.O_WRONLY | (os.O_TRUNC if out in self._texts else 0))
                try:
                    if out in self._texts:
                        _write_all(fd, self._texts[out].encode("utf-8"))
                    os.fsync(fd)
                finally:
                    os.close(fd)
                try:
                    before: os.stat_result | None = os.stat(_target(out))
                except FileNotFoundError:
                    before = None
                take_over(tmp, before)
            except OSError as exc:
                raise AssessError([os_problem(out, exc)]) from None
        self._rename_all()
        for out in self.outputs:
            if out.to_stdout and out in self._texts:
                sys.stdout.write(visible(self._texts[out]))  # JSON is already escaped (output.to_json): unchanged
        sys.stdout.flush()

    def _rename_all(self) -> None:
        backups: dict[Output, Path] = {}
        done: list[Output] = []
        current = next(iter(self._temps), None)
        try:
            if len(self._temps) > 1:  # one rename is atomic; several are undone with links to the old files
                for out in self._temps:
                    target = _target(out)
                    if target.exists():
                        backup = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
                        try:
                            os.link(target, backup)
                            backups[out] = backup
                        except OSError:
                            pass
            for out, tmp in self._temps.items():
                current = out
                os.replace(tmp, _target(out))
                done.append(out)
        except OSError as exc:
            for out in done:
                try:
                    if out in backups:
                        os.replace(backups.pop(out), _target(out))
                    else:
                        os.unlink(_target(out))
                except OSError:
                    pass
            raise AssessError([os_problem(current, exc)] if current else []) from None
        finally:
            for backup in backups.values():
                backup.unlink(missing_ok=True)
        for out in done:
            self._temps.pop(out)
        for folder in {_target(out).parent for out in done}:
            sync_folder(folder)

    def discard(self) -> None:
        """Remove every temp file not yet renamed into place."""
        for tmp in self._temps.values():
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
        self._temps.clear()


_CT_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def mark_summary(docx: Path) -> None:
    """Add the custom XML part that tells a later 'assess compare' this .docx is a summary it wrote."""
    with zipfile.ZipFile(docx) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    n = 1
    while f"customXml/item{n}.xml" in parts:
        n += 1
    types, rels = "[Content_Types].xml", "word/_rels/document.xml.rels"
    if types not in parts or rels not in parts:
        return  # not a Word document as python-docx saves one: it stays unmarked
    parts[types] = parts[types].replace(
        b"</Types>", f'<Override PartName="/customXml/itemProps{n}.xml" ContentType="{_CT_PROPS}"/></Types>'.encode()
    )
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdAssessSummary{n}" Type="{_REL}customXml" Target="../customXml/item{n}.xml"/>'
        "</Relationships>".encode(),
    )
    parts[f"customXml/item{n}.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<summary xmlns="{SUMMARY_NAMESPACE}" format="assess-summary/1"/>'
    ).encode()
    parts[f"customXml/itemProps{n}.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem '
        f'ds:itemID="{{6A3F5B2C-1D4E-4F5A-9B8C-{secrets.token_hex(6).upper()}}}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
        f'<ds:schemaRef ds:uri="{SUMMARY_NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()
    parts[f"customXml/_rels/item{n}.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{_REL}customXmlProps" Target="itemProps{n}.xml"/></Relationships>'
    ).encode()
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as z:  # docx is a temp file of a Batch
        for name, data in parts.items():
            z.writestr(name, data)
