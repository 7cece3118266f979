"""Provides the frameworks collect works with: where an answers file's or a report's framework is found, each
framework file loaded once per run, and what the store keeps of a framework version to compare across versions.
"""

from __future__ import annotations

import hashlib
import json
import os
from fractions import Fraction
from pathlib import Path

from ..errors import AssessError
from ..expressions import compile_expression
from ..loader import load_framework
from ..model import Framework, Question
from ..paths import FRAMEWORKS, releases
from .rows import FrameworkInfo, QuestionRow

BUNDLED = FRAMEWORKS
"""The folder of the frameworks assess ships: where a framework is looked for after the file's own folder."""


def report_candidates(payload: dict, path: Path, bundled: Path = BUNDLED) -> tuple[list[Path], list[str]]:
    """Where the framework a report's result was computed with may be, in order (the bundled one, the earlier
    releases of that id and version assess ships, then files beside the report named as its answers pin it,
    '<id>-<version>.yaml' or '<id>.yaml'), and those names.
    Where it is looked for depends on the report alone, so every reader process looks in the same places."""
    fid, version = payload["framework"]["id"], payload["framework"]["version"]
    pinned = Path(str(payload["answers"]["framework"].get("path") or "")).name
    names = [n for n in (pinned, f"{fid}-{version}.yaml", f"{fid}.yaml") if n not in ("", ".", "..")]
    names = list(dict.fromkeys(names))
    return [bundled / f"{fid}.yaml", *releases(fid, version, bundled), *(path.parent / n for n in names)], names


class FrameworkFiles:
    """Framework files, each loaded once per run and language (again only if it changed)."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, str], tuple[tuple[int, int], Framework | None, AssessError | None]] = {}

    def load(self, path: Path, lang: str | None = None) -> tuple[Framework | None, AssessError | None]:
        """The framework a file holds, its texts in lang (None: its default language), or why it cannot be used."""
        key = (os.path.realpath(path), lang or "")
        try:
            st = path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = (0, 0)
        hit = self._loaded.get(key)
        if hit and hit[0] == stamp:
            return hit[1], hit[2]
        entry: tuple[tuple[int, int], Framework | None, AssessError | None]
        try:
            entry = (stamp, load_framework(path, lang)[0], None)
        except AssessError as exc:
            entry = (stamp, None, exc)
        self._loaded[key] = entry
        return entry[1], entry[2]

    def by_hash(self, candidates: list[Path], fhash: str) -> Framework | None:
        """The first of candidates that is a file holding the framework with this content hash."""
        for candidate in candidates:
            if candidate.is_file():
                fw = self.load(candidate)[0]
                if fw is not None and fw.hash == fhash:
                    return fw
        return None

    def in_language(self, fw: Framework, lang: str) -> Framework:
        """The same framework with its texts in lang (its default language's where lang is not one of its own);
        fw itself when it is in lang already or its file cannot be read again."""
        if not lang or lang == fw.language or not fw.path:
            return fw
        found = self.load(Path(fw.path), lang)[0]
        return found if found is not None and found.hash == fw.hash else fw


# ---------------------------------------------------------------------------- what the store keeps


def _plain(v):
    return str(v) if isinstance(v, Fraction) else v


def signature(q: Question) -> str:
    """What must stay the same for answers to one question to compare across framework versions: its type,
    its options (value, score, unknown) and its range."""
    data = [
        q.type,
        [[_plain(o.value), _plain(o.score), o.unknown] for o in q.options],
        _plain(q.min),
        _plain(q.max),
        q.multiple_score if q.type == "multiple" else None,
    ]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


def framework_info(fw: Framework) -> FrameworkInfo:
    """A framework's questions with their signatures, and the questions each score depends on."""
    by_section: dict[str, set[str]] = {sid: set() for sid in fw.all_sections}
    for q in fw.questions.values():
        sid: str | None = q.section
        while sid:
            by_section.setdefault(sid, set()).add(q.id)
            sid = fw.all_sections[sid].parent if sid in fw.all_sections else None
    derived = {d.id: d for d in fw.derived}
    deps: dict[str, set[str]] = {}
    for did in fw.derived_order:
        d = derived.get(did)
        if d is None:
            continue
        out: set[str] = set()
        for n in compile_expression(d.expr).names:
            out |= by_section.get(n) or deps.get(n) or ({n} if n in fw.questions else set())
        deps[did] = out
    scores = {sid: sorted(qs) for sid, qs in by_section.items()}
    scores.update({did: sorted(qs) for did, qs in deps.items()})
    return FrameworkInfo(
        hash=fw.hash,
        id=fw.id,
        version=fw.version,
        title=fw.title,
        questions=[QuestionRow(q.id, q.section, signature(q)) for q in fw.questions.values()],
        scores=scores,
        from_file=True,
        path=os.path.abspath(fw.path) if fw.path else "",
    )


def payload_framework_info(payload: dict) -> FrameworkInfo:
    """The same, reconstructed from a report alone (its framework file not at hand): question ids without
    their options, and what each score depends on from the inputs the result lists."""
    res, fw = payload["result"], payload["framework"]
    sections: dict[str, str] = {}
    for q in res["questions"]:
        sections.setdefault(q["id"], q["section"])
    edges: dict[str, set[str]] = {}
    for s in res["sections"] + res["derived"]:
        edges.setdefault(s["id"], set()).update(i["id"] for i in s["inputs"])
    for blocks in res["entities"].values():
        for b in blocks:
            for s in b["sections"]:
                edges.setdefault(s["id"], set()).update(i["id"] for i in s["inputs"])

    def closure(start: str) -> set[str]:
        found, todo, seen = set(), [start], {start}
        while todo:
            for n in edges.get(todo.pop(), ()):
                if n in sections:
                    found.add(n)
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return found

    scores = {s["id"]: sorted(closure(s["id"])) for s in res["sections"] + res["derived"]}
    return FrameworkInfo(
        hash=str(fw["hash"]),
        id=str(fw["id"]),
        version=str(fw["version"]),
        title=str(res["framework"].get("title") or fw["id"]),
        questions=[QuestionRow(qid, sec, None) for qid, sec in sections.items()],
        scores=scores,
        from_file=False,
    )
