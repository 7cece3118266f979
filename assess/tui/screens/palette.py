"""Provides the command palette's questions: type a few words of a question, its block, its section or its answer
to jump to it."""

from __future__ import annotations

import unicodedata
from fractions import Fraction

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.widgets.option_list import Option

from ...i18n import N_, domain
from ...model import Answer, Question
from ...numbers import decimal
from ...session import Session, Slot
from ..language import description, shown, word
from ..widgets.dates import written
from ..widgets.nav import slot_label

_, ngettext, pgettext = domain("app")

ANSWER_SEARCHED = 200
NO_MATCHES = N_("No matches found")
"""What the palette says when nothing matches the words typed (Textual's own words, said in the interface language)."""
LEFT_TO_OWN_COMMAND = ("metadata",)
"""Screen actions the palette offers under a command of their own (Edit assessment details), not as a key's."""
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
        elif q.type == "date":
            words.append(written(str(v)))  # 31/10/2026 in French
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


def folded(text: str) -> str:
    """Text as the palette compares it: case and accents set aside ('Précédente' is found by 'precedente')."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


class ScreenCommands(Provider):
    """The keys of the screen the palette was opened on (Summary, Next, Previous, Render report…), found by the words
    of what they do in the interface language; and the commands a screen offers only here (its PALETTE)."""

    def commands(self) -> list[tuple[str, str, str]]:
        """(title, help, action) of each command the screen offers: its enabled keys that say what they do (as
        remapped, each once), then its PALETTE entries (title, action, help)."""
        screen = self.screen
        out: dict[str, tuple[str, str, str]] = {}
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if active.node is not screen or not active.enabled or not binding.description:
                continue
            if binding.action in LEFT_TO_OWN_COMMAND or binding.id is None or binding.id.endswith("next_field"):
                continue
            if binding.id not in out:
                out[binding.id] = (description(binding), key, binding.action)
        for title, action, help_ in getattr(screen, "PALETTE", ()):
            out[action] = (word(title), word(help_), action)
        return list(out.values())

    async def search(self, query: str) -> Hits:
        """The commands whose title holds every word typed (case and accents aside), each run on its screen."""
        words = folded(query).split()
        if not words:
            return
        style = self.matcher(query).match_style
        for title, help_, action in self.commands():
            low = folded(title)
            if not all(w in low for w in words):
                continue
            shown_title = Content(title)
            if len(low) == len(title):  # folding kept each letter in its place: the words typed are highlighted
                for w in words:
                    start = low.find(w)
                    shown_title = shown_title.stylize(style, start, start + len(w))
            score = sum(len(w) for w in words) / (len(title) + 1)
            yield Hit(score, shown_title, lambda a=action: self.screen.run_action(a), text=title, help=escape(help_))


class Palette(CommandPalette):
    """Textual's command palette, saying 'No matches found' in the interface language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:  # Textual's (8.2.8), its words translated
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                option = Option(Align.center(Text(_(NO_MATCHES), style="not bold")), disabled=True, id=self._NO_MATCHES)
                self.query_one(CommandList).add_option(option)
                self._list_visible = True
            else:  # discovering (nothing typed): no commands to discover is not worth a line
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
