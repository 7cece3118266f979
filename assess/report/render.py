"""Provides the sandboxed rendering of a report template into a .docx, bounded in time and memory."""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AssessError, problem
from .matrices import place_tables
from .word import Finish, describe, finish

_TAG = re.compile(r"\{[{%](?:(?![}%]\}).)*[}%]\}")


@dataclass(frozen=True)
class Limits:
    """Bounds on one template rendering."""

    seconds: float = 60.0
    """Wall-clock time before the rendering is stopped."""
    memory_mb: int = 1024
    """Memory the rendering may add to the process."""


def text_of(template: Path) -> list[str]:
    """The plain text of every paragraph of a template's body, headers and footers."""
    out = []
    try:
        with zipfile.ZipFile(template) as z:
            for name in z.namelist():
                if re.match(r"word/(document|header\d*|footer\d*)\.xml$", name):
                    xml = z.read(name).decode("utf-8", "replace")
                    for para in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
                        out.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para)))
    except (zipfile.BadZipFile, OSError):
        pass
    return out


def _unclosed(template: Path) -> str:
    """The first tag opened in a paragraph and never closed there, e.g. '{{ title '."""
    for text in text_of(template):
        for m in re.finditer(r"\{[{%]", text):
            closer = "}}" if m.group() == "{{" else "%}"
            if closer not in text[m.end() :]:
                return text[m.start() : m.start() + 60].strip()
    return ""


def _find_tag(template: Path, needle: str) -> str:
    for text in text_of(template):
        for tag in _TAG.findall(text):
            if needle in tag:
                return tag
    return needle


def _child(template: str, context: dict, images: dict, out: str, conn, memory_mb: int, word: Finish | None) -> None:
    """Runs in a forked process: limits its memory, renders, and reports an error as (code, fields)."""
    try:
        import resource

        with open("/proc/self/statm") as fh:
            used = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = used + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, ValueError):
        pass
    try:
        conn.send(_render(Path(template), context, images, Path(out), word))
    except MemoryError:
        conn.send(("E403", {"reason": f"it needed more than {memory_mb} MB of memory"}))
    except BaseException as exc:  # anything else a foreign template provokes is reported, not raised
        conn.send(("E405", {"reason": f"{type(exc).__name__}: {exc}"}))


def _render(template: Path, context: dict, images: dict, out: Path, word: Finish | None = None):
    from docx.shared import Cm
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    name = template.name
    try:
        tpl = DocxTemplate(template)
        tpl.render_init()
    except Exception as exc:  # python-docx raises many kinds on a file that is not a Word document
        return ("E405", {"reason": f"{type(exc).__name__}: {exc}"})
    # pictures reach the template as plain marker text, replaced by the picture after rendering: an object that
    # draws itself (docxtpl's InlineImage) would carry the whole document, whose methods render unsandboxed
    pictures: dict[str, str] = {}  # marker text -> the picture's key in images
    token = secrets.token_hex(8)

    def marker(key: str) -> str:
        text = f"ASSESSPICTURE{token}N{len(pictures)}"
        pictures[text] = key
        return text

    ctx = dict(context)
    for key in ("chart", "quadrant"):
        if images.get(key):
            ctx[key] = marker(key)
    ctx["heatmaps"] = [
        dict(h, image=marker(f"heatmap:{h['id']}")) if images.get(f"heatmap:{h['id']}") else h
        for h in context.get("heatmaps", [])
    ]
    tables: dict[str, dict] = {}  # marker text -> the table's data (assess.report.matrices), built after rendering

    def table_marker(matrix: dict) -> str:
        text = f"ASSESSTABLE{token}N{len(tables)}"
        tables[text] = matrix
        return text

    ctx["matrices"] = [dict(m, table=table_marker(m)) for m in context.get("matrices", [])]
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    # no template needs Jinja's helper objects (cycler, joiner, namespace, lipsum): fewer doors to guard
    env.globals = {"range": env.globals["range"], "dict": env.globals["dict"]}
    try:
        tpl.render(ctx, env)
        _place_pictures(tpl.docx, pictures, images, Cm(15), word.alt if word else {})
        place_tables(tpl.docx, tables)
        if word is not None:
            finish(tpl.docx, word)
        try:
            tpl.save(out)
        except OSError as exc:  # a full disk, say: the caller words it as the output's problem
            return ("OSError", {"errno": exc.errno, "reason": exc.strerror or str(exc)})
    except TemplateSyntaxError as exc:
        unclosed = _unclosed(template)
        if unclosed:
            return ("E401", {"template": name, "problem": f"'{unclosed[:2]}' is not closed", "tag": unclosed})
        snippet = ""
        try:
            lines = tpl.patch_xml(tpl.get_xml()).splitlines()
            line = lines[exc.lineno - 1] if exc.lineno and exc.lineno <= len(lines) else ""
            snippet = re.sub(r"<[^>]+>", "", line).strip()
        except Exception:  # the snippet only helps the message; without it the message still stands
            snippet = ""
        tags = _TAG.findall(snippet) or [snippet[:80]]
        return ("E401", {"template": name, "problem": exc.message, "tag": tags[0] if tags else "?"})
    except SecurityError as exc:
        # our own words, not the sandbox's: its wording changes between Jinja releases
        m = re.search(r"attribute '([^']+)'", str(exc))
        problem = f"access to '{m.group(1)}' is not allowed" if m else "the template does what templates may not do"
        return ("E407", {"template": name, "problem": problem})
    except UndefinedError as exc:
        m = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
        if m is None:  # an item that is not there ('title[999]', a heat map the framework does not have)
            item = re.search(r"has no element (.+)$", str(exc))
            reason = f"there is no item {item.group(1)}" if item else "it asks for an item that is not there"
            return ("E420", {"template": name, "reason": reason})
        var = m.group(1) or m.group(2)
        if var.startswith("_"):
            return ("E407", {"template": name, "problem": f"access to '{var}' is not allowed"})
        return ("E402", {"template": name, "name": var, "tag": _find_tag(template, var)})
    except (OverflowError, RecursionError) as exc:
        return ("E403", {"template": name, "reason": str(exc)})
    except TypeError as exc:
        if "loader" in str(exc):
            return ("E407", {"template": name, "problem": "including or importing other files is not allowed"})
        return ("E420", {"template": name, "reason": f"{type(exc).__name__}: {exc}"})
    except (ArithmeticError, LookupError, ValueError) as exc:  # {{ 1/0 }}, {{ x[9] }}, {{ int('a') }}
        return ("E420", {"template": name, "reason": f"{type(exc).__name__}: {exc}"})
    return None


def _place_pictures(document, pictures: dict[str, str], images: dict, width, alt: dict) -> None:
    """Put each picture where the rendering left its marker, in the body and its text boxes, with its alt text;
    elsewhere (headers, footers, notes) a picture has no place and its marker is removed."""
    from types import SimpleNamespace

    from docx.oxml.ns import qn
    from docx.text.run import Run

    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None:
            continue
        for t in element.iter(qn("w:t")):
            found = [m for m in pictures if t.text and m in t.text]
            for m in found:
                t.text = t.text.replace(m, "")
                if part is document.part:
                    r = t.getparent()
                    Run(r, SimpleNamespace(part=part)).add_picture(io.BytesIO(images[pictures[m]]), width=width)
                    if pictures[m] in alt:
                        describe(r.xpath("./w:drawing/wp:inline/wp:docPr")[-1], *alt[pictures[m]])


def render_docx(
    template: Path, context: dict, images: dict, out: Path, limits: Limits = Limits(), word: Finish | None = None
) -> None:
    """Render template with context into out, in a child process bounded by limits, and finish it as word says
    (assess.report.word); raise AssessError, or OSError when out cannot be written."""
    mp = multiprocessing.get_context("fork")
    recv, send = mp.Pipe(duplex=False)
    proc = mp.Process(target=_child, args=(str(template), context, images, str(out), send, limits.memory_mb, word))
    proc.start()
    send.close()
    # the child's report, (code, fields) or None when it rendered; or a word for why none came
    outcome: tuple[str, dict[str, Any]] | str | None = "none"
    if recv.poll(limits.seconds):
        try:
            outcome = recv.recv()
        except EOFError:
            outcome = "died"
    else:
        outcome = "timeout"
    proc.join(1)
    if proc.is_alive():
        proc.kill()
        proc.join()
    if outcome is None:
        return
    name = template.name
    if outcome == "timeout":
        raise AssessError(
            [problem(name, None, "E403", template=name, reason=f"it took longer than {limits.seconds:g} s")]
        )
    if isinstance(outcome, str):  # "died" or "none"
        raise AssessError(
            [problem(name, None, "E403", template=name, reason=f"the renderer stopped (exit code {proc.exitcode})")]
        )
    code, fields = outcome
    if code == "OSError":  # writing the output failed, not the template
        raise OSError(fields["errno"], fields["reason"], str(out))
    fields.setdefault("template", name)
    raise AssessError([problem(name, None, code, **fields)])
