"""Provides headquarters across languages: a comparison's framework texts in the summary's language.

Collect stores each assessment's texts (score titles, ratings, actions, gaps) as its report wrote them, in its own
language, and records that language. To compare a French and an English assessment of one framework side by side,
those written in another language than the summary's are rescored from their answers (kept by the store) with
their framework loaded in the summary's language: ids, answers and scores are the same in every language, only the
words change. An assessment whose framework file or answers are not at hand keeps its own words (W070).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .. import i18n
from ..errors import Problem, problem
from ..i18n import N_, domain
from ..model import Framework
from .comparison import Assessment, shorten
from .frameworks import FrameworkFiles
from .rows import revision
from .store import Store
from .verify import Refusal, recompute
from .versions import newest_framework
from .words import language_name

_, _ngettext, _pgettext = domain("hq")


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """The interface in lang for the time of a with block (scoring words its gaps in it), then as it was."""
    before = i18n.language()
    i18n.set_language(lang or before)
    try:
        yield
    finally:
        i18n.set_language(before)


@dataclass
class Texts:
    """One assessment's framework texts in the summary's language, rescored from its answers."""

    framework_title: str
    """The framework's title."""
    scores: dict[tuple[str, str], tuple[str, str | None]]
    """(kind, score id) -> (title, rating label) of its section and derived scores."""
    actions: dict[str, str]
    """Rule id -> its action (the first by text, as the store's fired() takes it)."""
    gaps: dict[tuple[str, str, str | None], str]
    """(kind, question id, block id) -> the gap in words."""
    confidence: dict[str, int]
    """Its answers by confidence, as the framework labels the levels."""


@dataclass
class Languages:
    """The languages of a comparison: the summary's, each assessment's, and the texts of those rewritten."""

    lang: str
    """The summary's language."""
    written: dict[int, str] = field(default_factory=dict)
    """Revision (seq) -> the language its texts were written in ('' when neither recorded nor known)."""
    shown: dict[int, str] = field(default_factory=dict)
    """Revision (seq) -> the language its framework texts are shown in, in this comparison."""
    texts: dict[int, Texts] = field(default_factory=dict)
    """Revision (seq) -> its texts rewritten in the summary's language (only those written in another)."""
    frameworks: dict[str, str] = field(default_factory=dict)
    """Framework id -> the language its texts are shown in when it has no translation to the summary's."""
    warnings: list[Problem] = field(default_factory=list)
    """W070 (texts left in their own language) and W071 (a framework without the summary's language)."""

    def assessment(self, a: Assessment) -> Assessment:
        """The assessment with its framework title and confidence levels in the summary's language."""
        t = self.texts.get(a.seq)
        if t is None:
            return a
        return dataclasses.replace(a, framework_title=t.framework_title, confidence=dict(t.confidence))

    def scores(self, rows: list[dict]) -> list[dict]:
        """Store score rows (seq, kind, score_id, title, rating…) with titles and ratings in the summary's language."""
        for r in rows if self.texts else ():
            t = self.texts.get(r["seq"])
            hit = t.scores.get((r["kind"], r["score_id"])) if t else None
            if hit is not None:
                r["title"], r["rating"] = hit[0], hit[1] if r["rating"] is not None else None
        return rows

    def fired(self, rows: list[dict]) -> list[dict]:
        """Store rows of fired rules (seq, rule, action…) with their actions in the summary's language."""
        for r in rows:
            t = self.texts.get(r["seq"])
            if t is not None and r["rule"] in t.actions:
                r["action"] = t.actions[r["rule"]]
        return rows

    def gaps(self, rows: list[dict]) -> list[dict]:
        """Store gap rows (seq, kind, question_id, entity_id, message) worded in the summary's language."""
        for r in rows:
            t = self.texts.get(r["seq"])
            hit = t.gaps.get((r["kind"], r["question_id"], r["entity_id"])) if t else None
            if hit is not None:
                r["message"] = hit
        return rows

    @property
    def mixed(self) -> bool:
        """Whether the assessments compared were written in more than one language."""
        return len({lang for lang in self.written.values() if lang}) > 1


def distinct(labels: dict[tuple[str, str], str], group: list[Assessment]) -> dict[tuple[str, str], str]:
    """Column labels (mission, area) -> label, told apart where two missions' names shorten alike: one mission
    named in English and in French ('MINUVEL') by the language each wrote in, 'MINUVEL (fr)', else by its name."""
    keys: dict[str, list[tuple[str, str]]] = {}
    for key, label in labels.items():
        keys.setdefault(label, []).append(key)
    langs = {(a.mission, a.area): a.language for a in group}
    out = dict(labels)
    for label, same in keys.items():
        if len(same) < 2:
            continue
        told = len({langs.get(k, "") for k in same}) == len(same) and all(langs.get(k) for k in same)
        for k in same:
            out[k] = f"{label} ({langs[k]})" if told else f"{label} · {shorten(k[0], 40)}"
    return out


def translate(store: Store, assessments: list[Assessment], lang: str) -> Languages:
    """The texts of the assessments written in another language than lang, rewritten in lang where their framework
    has it: each rescored from its answers with its framework loaded in lang (W070 where it cannot be; W071 for a
    framework not translated to lang, whose texts are shown in its own language)."""
    out = Languages(lang)
    files = FrameworkFiles()
    by_hash: dict[str, list[Assessment]] = {}
    for a in assessments:
        by_hash.setdefault(a.hash, []).append(a)
    kept: dict[str, list[Assessment]] = {}  # a framework's assessments left in their own words, and why
    why: dict[str, str] = {}
    todo: list[tuple[Assessment, Framework]] = []  # those written in another language than their framework's here
    for group in by_hash.values():
        found = newest_framework(store, group, group[0], None)
        fw = files.in_language(found, lang) if found is not None else None
        for a in group:
            out.written[a.seq] = a.language or (found.language if found is not None else "")
            out.shown[a.seq] = out.written[a.seq]
            if fw is not None and out.written[a.seq] != fw.language:
                todo.append((a, fw))
            elif fw is None and out.written[a.seq] != lang:
                kept.setdefault(a.framework_id, []).append(a)
                why[a.framework_id] = "framework"
        if fw is not None and fw.language != lang and group[0].framework_id not in out.frameworks:
            out.frameworks[group[0].framework_id] = fw.language
            fields = {"framework": group[0].framework_id, "lang": lang, "language": language_name(lang)}
            out.warnings.append(problem(str(store.path), None, "W071", shown=language_name(fw.language), **fields))
    answers = store.answer_files([a.seq for a, _fw in todo])  # only theirs: a store may hold thousands
    for a, fw in todo:
        texts, reason = _rescored(a, answers.get(a.seq), fw, lang)
        if texts is None:
            kept.setdefault(a.framework_id, []).append(a)
            why.setdefault(a.framework_id, reason)
        else:
            out.texts[a.seq], out.shown[a.seq] = texts, fw.language
    for fid, left in sorted(kept.items()):
        langs = ", ".join(sorted({language_name(out.written[a.seq]) for a in left}))
        said = {"framework": fid, "languages": langs, "language": language_name(lang), "reason": _(REASONS[why[fid]])}
        out.warnings.append(problem(str(store.path), None, "W070", count=len(left), **said))
    return out


REASONS = {
    "framework": N_("their framework file is not at hand (collect it, or the reports beside it)"),
    "answers": N_("the store holds no answers of theirs (collected before it kept them: collect their reports again)"),
    "scored": N_("their answers no longer score with their framework"),
}
"""Why an assessment's texts stay in its own language, by key."""


def _rescored(a: Assessment, data: dict | None, fw: Framework, lang: str) -> tuple[Texts | None, str]:
    """An assessment's texts as its answers give them with fw (in the summary's language, lang, as its gaps are
    worded), or None and why not."""
    if data is None:
        return None, "answers"
    try:
        with speaking(lang):
            payload = recompute({"answers": data}, fw, a.source)
            rev = revision(payload, a.revision, a.source, "answers", [])
    except (Refusal, KeyError, TypeError, ValueError):
        return None, "scored"
    actions: dict[str, str] = {}
    for x in rev.recommendations:
        actions[x.rule] = min(actions.get(x.rule, x.action), x.action)
    return (
        Texts(
            framework_title=rev.framework_title,
            scores={(s.kind, s.score_id): (s.title, s.rating) for s in rev.scores if s.kind != "entity"},
            actions=actions,
            gaps={(g.kind, g.question_id, g.entity_id): g.message for g in rev.gaps},
            confidence=dict(rev.confidence),
        ),
        "",
    )
