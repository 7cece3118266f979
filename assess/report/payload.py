"""Provides the machine-readable payload every report carries: embed it in a .docx, read it back, verify it."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import stat
import struct
import tempfile
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import NoReturn
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from ..answers import to_data
from ..errors import AssessError, problem
from ..files import special_kind
from ..i18n import domain
from ..keyfiles import MAX_MISSION, check_mission
from ..model import Answers, Result
from ..output import to_json_data
from ..signing import KEY_BYTES, SIGNATURE_BYTES, Signature, is_fingerprint, valid

_, ngettext, pgettext = domain("report")

NAMESPACE = "urn:assess:payload:1"
FORMAT = "assess-payload/1"
_ITEM = re.compile(r"^customXml/item\d+\.xml$")
_CT_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_REL_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_REL_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
SIGNED = ("signer", "key", "public-key", "signature")
"""The attributes of a signed payload's <assess> element: the mission that signed, its key's fingerprint, the
public key (base64 of its 32 raw bytes) and the Ed25519 signature (base64 of its 64 bytes); all or none."""


def canonical(data) -> bytes:
    """The canonical JSON form the hash is computed over: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def make_payload(result: Result, language: str | None = None) -> dict:
    """The answers and the result, as plain JSON data, with the framework they belong to (and, for a report, the
    language it is written in)."""
    fw = result.framework
    payload = {
        "format": FORMAT,
        "framework": {"id": fw.id, "version": fw.version, "hash": fw.hash},
        "answers": json.loads(json.dumps(to_data(result.answers), default=_plain)),
        "result": to_json_data(result),
    }
    if language:
        payload["language"] = language
    return payload


def _plain(v):
    if isinstance(v, Fraction):
        return float(v) if v.denominator == 1 or Fraction(float(v)) == v else str(v)
    return str(v)


def digest_of(payload: dict) -> str:
    """The payload's SHA-256 (hex) as embed writes it and load_payload checks it: the one a signature signs."""
    return hashlib.sha256(canonical(payload)).hexdigest()


def nul_texts(answers: Answers) -> list[tuple[str | int, ...]]:
    """The path in the answers file (metadata.title, answers.q1.note) of each text of answers holding a NUL
    character, which the payload would carry to headquarters, whose collect refuses it (E530: a store cannot keep
    one); a key holding one is named by its repr. [] for none."""
    found: list[tuple[str | int, ...]] = []

    def walk(value: object, path: tuple[str | int, ...]) -> None:
        if isinstance(value, str):
            if "\0" in value:
                found.append(path)
        elif isinstance(value, dict):
            for key, item in value.items():
                name = str(key)
                if "\0" in name:
                    name = repr(name)
                    found.append(path + (name,))
                walk(item, path + (name,))
        elif isinstance(value, list | tuple):
            for n, item in enumerate(value):
                walk(item, path + (n,))

    walk(to_data(answers), ())
    return found


def signed_attributes(signature: Signature) -> dict[str, str]:
    """The attributes (SIGNED) a signature adds to the <assess> element, by name."""
    return {
        "signer": signature.mission,
        "key": signature.fingerprint,
        "public-key": base64.b64encode(signature.public_key).decode("ascii"),
        "signature": base64.b64encode(signature.value).decode("ascii"),
    }


def embed(docx_path: Path, payload: dict, signature: Signature | None = None) -> None:
    """Add the payload to a .docx as a custom XML part with its SHA-256, and signature's attributes (SIGNED) when
    it is signed; rewrites the file atomically. Raises ValueError for a signature that is not of this payload."""
    body = canonical(payload)
    digest = hashlib.sha256(body).hexdigest()
    signed = ""
    if signature is not None:
        if not valid(signature, digest):
            raise ValueError("the signature is not one of this payload's SHA-256")
        signed = "".join(f" {name}={quoteattr(value)}" for name, value in signed_attributes(signature).items())
    item = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<assess xmlns="{NAMESPACE}" format="{FORMAT}" '
        f'sha256="{digest}"{signed}>{escape(body.decode("utf-8"))}</assess>'
    ).encode()
    with zipfile.ZipFile(docx_path) as z:
        files = {info: z.read(info) for info in z.infolist()}
    names = {i.filename for i in files}
    n = 1
    while f"customXml/item{n}.xml" in names:
        n += 1
    props = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem '
        f'ds:itemID="{{6A3F5B2C-1D4E-4F5A-9B8C-{digest[:12].upper()}}}" '
        f'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
        f"<ds:schemaRef ds:uri={quoteattr(NAMESPACE)}/></ds:schemaRefs></ds:datastoreItem>"
    ).encode()
    item_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
        f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{_REL_PROPS}" Target="itemProps{n}.xml"/></Relationships>'
    ).encode()
    out = {}
    for info, data in files.items():
        if info.filename == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                f'<Override PartName="/customXml/itemProps{n}.xml" ContentType="{_CT_PROPS}"/></Types>'.encode(),
            )
        elif info.filename == "word/_rels/document.xml.rels":
            data = data.replace(
                b"</Relationships>",
                f'<Relationship Id="rIdAssessPayload{n}" Type="{_REL_CUSTOM}" '
                f'Target="../customXml/item{n}.xml"/></Relationships>'.encode(),
            )
        out[info.filename] = data
    out[f"customXml/item{n}.xml"] = item
    out[f"customXml/itemProps{n}.xml"] = props
    out[f"customXml/_rels/item{n}.xml.rels"] = item_rels
    fd, tmp = tempfile.mkstemp(prefix=f".{docx_path.name}.", suffix=".tmp", dir=docx_path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in out.items():
                z.writestr(name, data)
        os.replace(tmp, docx_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def strip(docx_path: Path, out: Path) -> None:
    """A copy of a report without its payload: the custom XML parts, their relationship and content types."""
    with zipfile.ZipFile(docx_path) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            if info.filename.startswith("customXml/"):
                continue
            data = z.read(info)
            if info.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/customXml/[^"]+"[^>]*/>', b"", data)
            elif info.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'<Relationship Id="rIdAssessPayload\d+"[^>]*/>', b"", data)
            w.writestr(info, data)


MAX_DOCX_BYTES = 256 * 1024 * 1024
"""Largest .docx read for its payload: a report with pictures is a few MB."""
MAX_PARTS = 10_000
"""Most parts (zip members) a .docx may hold: a report has a few dozen; each costs memory once listed."""
MAX_DIRECTORY_BYTES = 16 * 1024 * 1024
"""Largest zip directory (the list of parts) read: ample for MAX_PARTS parts."""
MAX_PART_BYTES = 32 * 1024 * 1024
"""Largest unpacked payload part read (as the largest YAML file read): the payload of a 1,000-question
assessment is a few MB."""
MAX_RATIO = 200
"""Most a part may unpack to, per byte packed, once it is over RATIO_FROM bytes: a payload packs about 7
times (64 times with 400 identical blocks); a zip bomb a thousand times."""
RATIO_FROM = 1024 * 1024
_CHUNK = 256 * 1024
_HEAD = 1024  # what is read of a custom XML part to tell whether it is the payload
_NOT_MADE = "it was not made by 'assess report', or the payload was removed"
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


class PayloadRefused(AssessError):
    """read_payload's refusal (E406), with what collect needs to say why without reading the file again."""

    def __init__(self, name: str, kind: str, reason: str, cause: str = "", head: bytes = b"", word: bool = False):
        super().__init__([problem(name, None, "E406", reason=reason)])
        self.kind = kind
        """missing, not-regular, not-zip, too-large, ambiguous, no-payload, corrupt, doctype, altered, not-json,
        shape, format or (load_signed_payload) bad-signature."""
        self.reason = reason
        """The refusal in words (the E406 message)."""
        self.cause = cause
        """What was found, alone: the kind of file (not-regular), or the error of the zip reader (not-zip) or
        of the XML parser (corrupt)."""
        self.head = head
        """not-zip: the file's first bytes (empty when it could not be opened), to tell what it is instead."""
        self.word = word
        """no-payload: whether the zip holds a Word document (word/document.xml) at all."""


def file_kind(path: str | Path) -> str | None:
    """What a path is when it is not a regular file ('a named pipe (FIFO)', 'a link to a socket'), else None."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None  # missing or unreadable: the reader says so
    if stat.S_ISREG(st.st_mode):
        return None
    kind = special_kind(st.st_mode)
    return f"a link to {kind}" if os.path.islink(path) else kind


def read_payload(path: str | Path) -> dict:
    """Read a report's payload and verify its hash; raise AssessError (E406) saying what is wrong.

    This is the function headquarters collection uses: it returns {"format", "framework", "answers",
    "result"} exactly as embedded, or refuses a file that is not a .docx, has no payload, or whose
    payload was altered after the report was made.
    """
    return load_payload(path)[0]


def load_payload(path: str | Path) -> tuple[dict, str]:
    """The payload and the SHA-256 it was verified against; raise PayloadRefused saying what is wrong."""
    data, digest, _attributes = _load(path)
    return data, digest


def load_signed_payload(path: str | Path) -> tuple[dict, str, Signature | None]:
    """The payload, the SHA-256 it was verified against, and its signature (None: unsigned), verified for that
    SHA-256; raise PayloadRefused saying what is wrong (kind bad-signature: an incomplete or malformed signature,
    or one that does not verify). Whether the signer's key is one to trust is not decided here."""
    data, digest, attributes = _load(path)
    return data, digest, signature_of(str(path), attributes, digest)


def signature_of(name: str, attributes: dict[str, str], digest: str) -> Signature | None:
    """The signature the <assess> element's attributes give, checked against digest (the payload's verified
    SHA-256); None when there is none; raise PayloadRefused (bad-signature) for a partial, malformed or invalid one."""
    present = [a for a in SIGNED if a in attributes]
    if not present:
        return None

    def refuse(reason: str) -> NoReturn:
        raise PayloadRefused(name, "bad-signature", reason)

    if len(present) < len(SIGNED):
        missing = ", ".join(a for a in SIGNED if a not in attributes)
        refuse(
            _(
                "the payload's signature is incomplete (it lacks {missing}): it was altered after it was signed; "
                "ask the mission for the report as it signed it"
            ).format(missing=missing)
        )
    mission, key = attributes["signer"], attributes["key"]

    def malformed(what: str) -> str:
        return _("the payload's signature is malformed ({what}): it was altered after it was signed").format(what=what)

    public_key, value = _base64(attributes["public-key"]), _base64(attributes["signature"])
    if not mission.strip():
        refuse(malformed(_("the signer is not named")))
    try:
        check_mission(mission)  # as a key's mission: what a key may sign as, and safe to show on a terminal
    except AssessError:
        refuse(
            _(
                "the payload's signer is not a mission's name (one line of at most {limit} characters, with no "
                "control character), so no key of assess signs as it: the report was altered after it was signed, "
                "or not made by 'assess report'; ask the mission for the report as it signed it"
            ).format(limit=MAX_MISSION)
        )
    if not is_fingerprint(key):
        refuse(malformed(_("the key is not a fingerprint: SHA256: and 43 characters")))
    if public_key is None or len(public_key) != KEY_BYTES:
        refuse(malformed(_("the public key is not {n} bytes in base64").format(n=KEY_BYTES)))
    if value is None or len(value) != SIGNATURE_BYTES:
        refuse(malformed(_("the signature is not {n} bytes in base64").format(n=SIGNATURE_BYTES)))
    signature = Signature(mission, key, public_key, value)
    if not valid(signature, digest):
        refuse(
            _(
                "the payload's signature does not verify: the payload or its signer was altered after it was "
                "signed, or the signature was made by another key than the one it names; ask the mission for the "
                "report as it signed it"
            )
        )
    return signature


def _base64(text: str) -> bytes | None:
    """The bytes of strict base64 text, or None."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None


def _load(path: str | Path) -> tuple[dict, str, dict[str, str]]:
    """The payload, the SHA-256 it was verified against and the <assess> element's attributes."""
    # Only a regular file is opened (never a pipe or a device). Nothing is trusted before it is read: the
    # zip's directory is bounded before it is listed, a .docx holding two parts of one name or two payloads
    # is refused, and a payload part is unpacked in chunks, stopping at MAX_PART_BYTES or MAX_RATIO.
    name = str(path)

    def fail(kind: str, reason: str, cause: str = "", head: bytes = b"", word: bool = False) -> NoReturn:
        raise PayloadRefused(name, kind, reason, cause, head, word)

    kind = file_kind(path)
    if kind:
        fail("not-regular", f"not a regular file but {kind}", kind)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)  # a pipe swapped in since is refused below, not waited on
    except FileNotFoundError:
        fail("missing", "no such file")
    except (OSError, ValueError) as exc:
        fail("not-zip", f"not a Word .docx file (not a readable zip: {exc})", str(exc))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = special_kind(st.st_mode)
            fail("not-regular", f"not a regular file but {kind}", kind)
        if st.st_size > MAX_DOCX_BYTES:
            fail("too-large", f"the file is {st.st_size} bytes, over the limit of {MAX_DOCX_BYTES}")
        parts, directory = _directory(fh, st.st_size)
        if parts > MAX_PARTS:
            fail("too-large", f"it lists {parts} parts, over the limit of {MAX_PARTS}")
        if directory > MAX_DIRECTORY_BYTES:
            fail("too-large", f"its list of parts takes {directory} bytes, over the limit of {MAX_DIRECTORY_BYTES}")
        try:
            z = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            fail("not-zip", f"not a Word .docx file (not a readable zip: {exc})", str(exc), _head(fh))
        with z:
            seen: set[str] = set()
            for info in z.infolist():
                key = info.filename.lower()  # part names are case-insensitive in a Word document
                if key in seen:
                    fail("ambiguous", f"it holds two parts named {info.filename}")
                seen.add(key)
            found = []
            for info in z.infolist():
                if not _ITEM.match(info.filename):
                    continue
                with z.open(info) as f:
                    if b"urn:assess:payload" not in f.read(_HEAD):
                        continue
                part = _member(z, info, fail)
                if _DOCTYPE.search(part):
                    fail("doctype", "the payload part declares a DOCTYPE or an entity, which a payload never does")
                try:
                    root = ElementTree.fromstring(part)
                except ElementTree.ParseError as exc:
                    fail("corrupt", f"the assess payload is corrupt ({exc})", str(exc))
                del part
                if root.tag == f"{{{NAMESPACE}}}assess":
                    found.append(root)
            word = "word/document.xml" in z.namelist()
    if not found:
        fail("no-payload", f"no assess payload in this document: {_NOT_MADE}", word=word)
    if len(found) > 1:
        fail("ambiguous", f"it holds {len(found)} assess payloads")
    text = found[0].text or ""
    digest = found[0].get("sha256", "")
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
        fail("altered", "the payload was altered after the report was made: its SHA-256 does not match")
    try:
        data = json.loads(text, parse_constant=_constant)
    except RecursionError:
        fail("not-json", "the payload is not valid JSON (it nests too deeply)")
    except ValueError as exc:  # JSONDecodeError, an integer of thousands of digits, NaN
        fail("not-json", f"the payload is not valid JSON ({exc})")
    if not isinstance(data, dict):
        fail("shape", f"top level: expected a JSON object, got {describe(data)}")
    if data.get("format") != FORMAT:
        found_format = data.get("format")
        shown = repr(found_format) if len(repr(found_format)) <= 60 else repr(found_format)[:57] + "..."
        fail("format", f"unknown payload format {shown}; expected {FORMAT}")
    return data, digest, dict(found[0].attrib)


def describe(value) -> str:
    """How a JSON value looks, for 'expected X, got Y' messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        text = repr(value)
        return "the number " + (text if len(text) <= 40 else text[:37] + "...")
    if isinstance(value, str):
        return "the text '" + (value if len(value) <= 40 else value[:37] + "...") + "'"
    return "an object" if isinstance(value, dict) else "a list" if isinstance(value, list) else type(value).__name__


def _constant(name: str):
    raise ValueError(f"{name} is not a number")


def _head(fh, n: int = 8) -> bytes:
    """A file's first n bytes (empty when it cannot be read)."""
    try:
        fh.seek(0)
        return fh.read(n)
    except OSError:
        return b""


def _directory(fh, size: int) -> tuple[int, int]:
    """How many parts a zip's end record says it lists, and the size of that list (zip64 too); (0, 0) when
    there is no end record (zipfile then refuses the file)."""
    tail = min(size, 22 + 65535)
    fh.seek(size - tail)
    data = fh.read(tail)
    i = data.rfind(b"PK\x05\x06")
    if i < 0 or i + 22 > len(data):
        return 0, 0
    parts, directory = struct.unpack_from("<HI", data, i + 10)
    if (parts == 0xFFFF or directory == 0xFFFFFFFF) and i >= 20 and data[i - 20 : i - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", data, i - 12)
        if offset < size:
            fh.seek(offset)
            record = fh.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                parts, directory = struct.unpack_from("<QQ", record, 32)
    fh.seek(0)
    return parts, directory


def _member(z: zipfile.ZipFile, info: zipfile.ZipInfo, fail) -> bytearray:
    """A part's bytes, unpacked in chunks: refused as soon as it passes MAX_PART_BYTES or MAX_RATIO, whatever
    sizes its header claims."""
    packed = max(info.compress_size, 1)

    def over(n: int):
        if n > MAX_PART_BYTES:
            fail("too-large", f"its part {info.filename} unpacks to more than {MAX_PART_BYTES} bytes")
        if n > RATIO_FROM and n > MAX_RATIO * packed:
            fail("too-large", f"its part {info.filename} unpacks to more than {MAX_RATIO} times its packed size")

    over(info.file_size)
    data = bytearray()
    with z.open(info) as f:
        while chunk := f.read(_CHUNK):
            data += chunk
            over(len(data))
    return data
