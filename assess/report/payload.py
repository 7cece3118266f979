"""Provides the machine-readable payload every report carries: embed it in a .docx, read it back, verify it."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from ..answers import to_data
from ..errors import AssessError, problem
from ..model import Result
from ..output import to_json_data

NAMESPACE = "urn:assess:payload:1"
FORMAT = "assess-payload/1"
_ITEM = re.compile(r"^customXml/item\d+\.xml$")
_CT_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_REL_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_REL_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"


def canonical(data) -> bytes:
    """The canonical JSON form the hash is computed over: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def make_payload(result: Result) -> dict:
    """The answers and the result, as plain JSON data, with the framework they belong to."""
    fw = result.framework
    return {
        "format": FORMAT,
        "framework": {"id": fw.id, "version": fw.version, "hash": fw.hash},
        "answers": json.loads(json.dumps(to_data(result.answers), default=_plain)),
        "result": to_json_data(result),
    }


def _plain(v):
    from fractions import Fraction

    if isinstance(v, Fraction):
        return float(v) if v.denominator == 1 or Fraction(float(v)) == v else str(v)
    return str(v)


def embed(docx_path: Path, payload: dict) -> None:
    """Add the payload to a .docx as a custom XML part with its SHA-256; rewrites the file atomically."""
    body = canonical(payload)
    digest = hashlib.sha256(body).hexdigest()
    item = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<assess xmlns="{NAMESPACE}" format="{FORMAT}" '
        f'sha256="{digest}">{escape(body.decode("utf-8"))}</assess>'
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


def read_payload(path: str | Path) -> dict:
    """Read a report's payload and verify its hash; raise AssessError (E406) saying what is wrong.

    This is the function headquarters collection uses: it returns {"format", "framework", "answers",
    "result"} exactly as embedded, or refuses a file that is not a .docx, has no payload, or whose
    payload was altered after the report was made.
    """
    name = str(path)

    def fail(reason):
        raise AssessError([problem(name, None, "E406", reason=reason)])

    try:
        z = zipfile.ZipFile(path)
    except FileNotFoundError:
        fail("no such file")
    except (zipfile.BadZipFile, OSError) as exc:
        fail(f"not a Word .docx file (not a readable zip: {exc})")
    with z:
        items = [n for n in z.namelist() if _ITEM.match(n)]
        found = None
        for n in items:
            try:
                root = ElementTree.fromstring(z.read(n))
            except (ElementTree.ParseError, zipfile.BadZipFile, OSError) as exc:
                if b"urn:assess:payload" in z.read(n)[:300]:
                    fail(f"the assess payload is corrupt ({exc})")
                continue
            if root.tag == f"{{{NAMESPACE}}}assess":
                found = root
                break
    if found is None:
        fail("no assess payload in this document: it was not made by 'assess report', or the payload was removed")
    text = found.text or ""
    digest = found.get("sha256", "")
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
        fail("the payload was altered after the report was made: its SHA-256 does not match")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"the payload is not valid JSON ({exc})")
    if data.get("format") != FORMAT:
        fail(f"unknown payload format {data.get('format')!r}; expected {FORMAT}")
    return data
