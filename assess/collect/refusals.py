"""Provides why collect refuses a file: each reason by the code of the problem that says it, and the problem
for each refusal of the payload reader (assess.report.payload.PayloadRefused), made from its fields."""

from __future__ import annotations

from pathlib import Path

from ..errors import AssessError, Problem, problem
from ..i18n import domain
from ..report.payload import PayloadRefused

_, ngettext, _pgettext = domain("hq")

REASONS = {
    "missing": "no such file or folder",
    "not-docx": "not a .docx",
    "corrupt-zip": "corrupt or truncated zip",
    "no-payload": "no payload",
    "payload-altered": "payload altered",
    "unsupported-payload": "unsupported payload",
    "unknown-framework": "unknown framework",
    "unreadable-yaml": "unreadable YAML",
    "invalid-answers": "answers do not fit their framework",
    "malformed-payload": "payload not in the documented shape",
    "result-mismatch": "result does not follow from the answers",
    "framework-not-at-hand": "framework not at hand to recompute the result",
    "too-large": "too large to read",
    "ambiguous": "two parts of one name, or two payloads",
    "not-a-file": "not a regular file",
    "other-mission": "assessment id of another mission",
    "key-of-another-mission": "signed with another mission's key",
    "revoked-key": "signed with a revoked key",
    "unsigned": "not signed (--require-signature)",
    "untrusted-key": "signed with a key not trusted (--require-signature)",
    "signed-before": "not signed, though the revisions held are",
    "bad-signature": "signature not valid",
    "changed-while-read": "changed while it was collected",
    "nul-character": "a NUL character in its text",
}
"""Why a file is rejected, by key, in words."""

REASON_OF = {
    "E501": "not-docx",
    "E502": "corrupt-zip",
    "E503": "no-payload",
    "E504": "payload-altered",
    "E505": "unknown-framework",
    "E506": "unreadable-yaml",
    "E507": "invalid-answers",
    "E508": "missing",
    "E514": "unsupported-payload",
    "E516": "malformed-payload",
    "E517": "result-mismatch",
    "E518": "framework-not-at-hand",
    "E519": "invalid-answers",
    "E520": "too-large",
    "E521": "ambiguous",
    "E522": "not-a-file",
    "E523": "other-mission",
    "E530": "nul-character",
    "E550": "key-of-another-mission",
    "E551": "revoked-key",
    "E552": "unsigned",
    "E553": "untrusted-key",
    "E554": "unsigned",
    "E555": "signed-before",
    "E556": "bad-signature",
    "E559": "changed-while-read",
}
"""The key of REASONS each code of a refusal stands for."""


class Rejected(Exception):
    """A file refused while it is read: the problem to show, whose code gives the reason (REASON_OF)."""

    def __init__(self, prob: Problem):
        super().__init__(prob.message)
        self.problem = prob


def payload_refusal(path: Path, exc: PayloadRefused) -> Problem:
    """The problem collect shows for the payload reader's refusal of a report."""
    name, kind = str(path), exc.kind
    if kind == "missing":
        return problem(name, None, "E508")
    if kind == "not-regular":
        return problem(name, None, "E522", kind=exc.cause)
    if kind == "too-large":
        return problem(name, None, "E520", detail=exc.reason)
    if kind == "ambiguous":
        return problem(name, None, "E521", detail=exc.reason)
    if kind == "shape":
        return problem(name, None, "E516", detail=exc.reason)
    if kind == "not-zip":
        if exc.head.startswith(b"PK"):
            # as collect always said it: without closing brackets at the end of the zip reader's error
            inner = exc.cause.rstrip(")")
            return problem(
                name,
                None,
                "E502",
                detail=_("it starts as a zip archive but cannot be read ({reason})").format(reason=inner),
            )
        return problem(name, None, "E501", detail=what_it_is(path, exc.head))
    if kind == "no-payload":
        if not exc.word:
            return problem(name, None, "E501", detail=_("it is a zip archive without a Word document"))
        return problem(
            name,
            None,
            "E503",
            detail=_(
                "this Word document carries no assess payload; it was not made by 'assess report', or the payload "
                "was removed"
            ),
        )
    if kind == "format":
        return problem(name, None, "E514", detail=exc.reason)
    if kind == "bad-signature":
        return problem(name, None, "E556", detail=exc.reason)
    if kind == "altered":
        detail = _("its SHA-256 does not match its content, so it was changed after the report was made")
    elif kind == "corrupt":
        detail = _("the payload part is not well-formed XML ({reason})").format(reason=exc.cause)
    else:  # doctype, not-json
        detail = exc.reason
    return problem(name, None, "E504", detail=detail)


def head(path: Path, n: int = 8) -> bytes:
    """A file's first n bytes (empty when it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(n)
    except OSError:
        return b""


def what_it_is(path: Path, first: bytes) -> str:
    """What a file that is not a .docx is, from its first bytes, in words."""
    if not first:
        return _("the file is empty")
    if first.startswith(b"%PDF"):
        return _("it is a PDF, which carries no payload: collect the .docx it was made from (report --pdf writes both)")
    if first.startswith(b"\xd0\xcf\x11\xe0"):
        return _("it is an old Word .doc file; save it as .docx")
    if all(32 <= b < 127 or b in (9, 10, 13) for b in first) or first.startswith(b"\xef\xbb\xbf"):
        return _("it is a text file ({suffix}), not a Word document").format(suffix=path.suffix or _("no extension"))
    return _("it is not a zip archive as every .docx is")


def first_problem(exc: AssessError | None) -> str:
    """The first problem of an error, where it is and its code (and how many more there are), in words."""
    if exc is None or not exc.problems:
        return _("unknown problem")
    return located(exc.problems[0]) + and_more(exc)


def and_more(exc: AssessError) -> str:
    """' (and N more)' after an error's first problem, when it has more than one; '' otherwise."""
    n = len(exc.problems) - 1
    return " " + ngettext("(and {count} more)", "(and {count} more)", n).format(count=n) if n > 0 else ""


def located(p: Problem) -> str:
    """A problem with its line and column, when it has them, and its code."""
    if not p.line:
        return f"{p.message} [{p.code}]"
    return _("line {line}, column {col}: {message}").format(line=p.line, col=p.col, message=p.message) + f" [{p.code}]"
