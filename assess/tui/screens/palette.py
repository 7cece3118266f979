"""Provides the command palette's questions: type a few words of a question, its block, its section or its answer
to jump to it."""

from __future__ import annotations

from fractions import Fraction

from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from ...i18n import domain
from ...model import Answer, Question
from ...numbers import decimal
from ...session import Session, Slot
from ..language import shown
from ..widgets.nav import slot_label

_, ngettext, pgettext = domain("app")

ANSWER_SEARCHED = 200
"""How much of a written answer the palette searches and shows (a note-length text would only slow it)."""


def answer_text(q: Question, a: Answer | None) -> str:
    """An answer as the palette shows and searches it: option labels, the number with its unit, the text."""
    if a is None or not a.is_answered:
        return ""
    if a.na:
        return _("not applicable")
    values = a.value if isinstance(a.value, list) else [a.value]
    words = []
    for v in values:
        opt = q.option(v)
        if opt is not None:
            words.append(opt.label)
        elif isinstance(v, (int, Fraction)) and not isinstance(v, bool):
            words.append(f"{shown(decimal(Fraction(v)))}{' ' + q.unit if q.unit else ''}")
        else:
            words.append(" ".join(str(v).split()))
    text = ", ".join(words)
    return text if len(text) <= ANSWER_SEARCHED else text[: ANSWER_SEARCHED - 1] + "…"


def row(session: Session, slot: Slot) -> tuple[str, str]:
    """(title, where) of a question's row: '✔ Violence — FPNK' and 'Armed groups › FPNK · High'."""
    q = session.fw.questions[slot.qid]
    block = session.block(slot.entity).name if slot.entity else ""
    title = slot_label(session, slot) + (f" — {block}" if block else "")
    sec = session.fw.all_sections[q.section]
    place = [session.fw.all_sections[sec.within].title] if sec.within and sec.within != sec.id else []
    place += [sec.title] + ([block] if block else [])
    answer = answer_text(q, session.answer(slot))
    return title, " › ".join(place) + (f" · {answer}" if answer else "")


def match(query: str, title: str, where: str) -> tuple[float, list[tuple[int, int]]]:
    """How well the words typed find a row (0 when one is missing from both its title and where it is), and
    the spans of the title they cover. Each word is looked for as typed, in any order."""
    words = query.casefold().split()
    low, rest = title.casefold(), where.casefold()
    spans: list[tuple[int, int]] = []
    found = 0
    for w in words:
        i = low.find(w)
        if i >= 0:
            spans.append((i, i + len(w)))
            found += len(w) * (2 if i == 0 or not low[i - 1].isalnum() else 1)
        elif w in rest:
            found += len(w) // 2 + 1
        else:
            return 0.0, []
    return (min(1.0, found / (len(title) + 1)) or 0.01), spans


class QuestionCommands(Provider):
    """Jump to any question from the command palette."""

    async def search(self, query: str) -> Hits:
        """The visible questions whose text, block, section or answer hold every word typed, one row per
        question and block, each a jump to it."""
        screen = self.screen
        session = getattr(screen, "session", None)  # the main screen's: the palette serves it only
        show = getattr(screen, "show", None)
        if not isinstance(session, Session) or show is None:
            return
        style = self.matcher(query).match_style
        for slot in session.visible_slots():
            title, where = row(session, slot)
            score, spans = match(query, title, where)
            if score > 0:
                shown = Content(title)  # framework and planner text: never markup
                for start, end in spans:
                    shown = shown.stylize(style, start, end)
                yield Hit(score, shown, lambda s=slot: show(s), text=title, help=escape(where))
