"""Provides the question pane's keys: one key per action (confidence, not applicable, unknown, note, guidance, edit
source) that works wherever the focus is in the pane, even in a text field, and the same on every question."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from textual.binding import Binding, BindingsMap
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Collapsible, OptionList, Select, SelectionList, TextArea
from textual.widgets.collapsible import CollapsibleTitle

from ...i18n import N_, domain
from ...model import Framework, Question
from ..keys import OrderedKeys, settle

_, ngettext, pgettext = domain("app")

CONFIDENCE_KEYS = 9
"""Levels of a confidence scale with a key of their own (1 … 9, on the confidence field)."""


CONFIDENCE_LEVEL = N_("Confidence {n}")
"""What the digit keys of the confidence field do ('Confidence 2'): its translation is looked up with the number in
place (see language.word)."""


class ConfidenceSelect(Select):
    """The confidence field: a list to open, or a digit typed on it sets the scale's nth level (alt+c, then 2)."""

    BINDINGS = [
        # not alt+digit: Textual reads alt+1 … alt+0 as the characters a Mac keyboard types with them (¡ ™ £ …)
        Binding(str(n), f"level({n})", CONFIDENCE_LEVEL.format(n=n), id=f"question.confidence_{n}", show=False)
        for n in range(1, CONFIDENCE_KEYS + 1)
    ]

    def __init__(self, options: list[tuple[Content, object]], **kw):
        super().__init__(options, **kw)
        self.levels = [value for _, value in options]

    def action_level(self, n: int) -> None:
        """Choose the nth level of the scale, when it has one."""
        levels = self.levels
        if n <= len(levels):
            self.value = levels[n - 1]
        else:
            n = len(levels)
            said = ngettext(
                "The confidence scale has {n} level: 1 to {n}.", "The confidence scale has {n} levels: 1 to {n}.", n
            )
            self.notify(said.format(n=n), markup=False)


BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    # priority: checked before the focused field sees the key, so they work from an input or the note too; alt keys
    # carry no character for Textual, so no text field takes them (and none of them types anything)
    Binding("alt+r", "focus_answer", N_("Answer"), id="question.answer", priority=True),
    Binding("alt+c", "focus_confidence", N_("Confidence"), id="question.confidence", priority=True),
    Binding("alt+a", "toggle_na", N_("Not applicable"), id="question.not_applicable", priority=True),
    Binding("alt+u", "unknown", N_("Unknown"), id="question.unknown", priority=True),
    Binding("alt+n", "note", N_("Note"), id="question.note", priority=True),
    Binding("alt+g", "guidance", N_("Guidance"), id="question.guidance", priority=True),
    Binding("alt+e", "edit_source", N_("Edit source"), id="question.edit_source", priority=True),
    Binding("delete", "remove_source", N_("Remove source"), id="question.remove_source", show=False),
]


def live_keys(node: DOMNode) -> dict[str, str]:
    """The key of each binding id of node and its ancestors, as remapped by the app's keymap (first key of each)."""
    keys: dict[str, str] = {}
    maps = [each._bindings for each in reversed(list(node.ancestors_with_self))]
    for bindings in [*maps, BindingsMap(ConfidenceSelect.BINDINGS)]:
        bindings = bindings.copy()
        bindings.apply_keymap(node.app._keymap)
        for key, found in bindings.key_to_bindings.items():
            for binding in found:
                if binding.id and binding.id not in keys:
                    keys[binding.id] = key
    return keys


class KeyedPane(VerticalScroll, can_focus=False):
    """A question pane with its keys; not a tab stop itself, so Tab goes from field to field only."""

    BINDINGS = BINDINGS

    fw: Framework
    q: Question
    read_only: bool

    _keys: dict[str, str] | None = None

    def key(self, binding_id: str) -> str:
        """The key bound to binding_id (after remapping), e.g. 'alt+c'; read once per pane, which is drawn anew
        for each question."""
        if self._keys is None:
            self._keys = live_keys(self)
        return self._keys.get(binding_id, "")

    def confidence_levels(self) -> list:
        """The options of the confidence scale when this question asks for a confidence, else []."""
        if self.q.confidence and self.fw.confidence_scale:
            return list(self.fw.confidence_scale.options)
        return []

    def in_order(self, work: Callable[[], object]) -> None:
        """Run work after the keys typed before it, and let the keys typed after it wait until what it changed
        (a saved answer, a redrawn question, a moved focus) is done."""
        app = self.app

        async def job() -> None:
            done = work()
            if inspect.isawaitable(done):
                await done
            await settle(app)

        if isinstance(app, OrderedKeys):
            app.in_order(job)
        else:
            self.call_later(job)

    def say(self, message: str) -> None:
        """Tell the planner why a key did nothing here."""
        self.notify(message, markup=False)

    def refused_read_only(self) -> bool:
        """In a read-only view, say that nothing changes (and change nothing on screen either)."""
        if self.read_only:
            self.notify(_("Opened read-only: nothing can be changed here."), severity="warning", markup=False)
        return self.read_only

    # ------------------------------------------------------------------ answer
    def action_focus_answer(self) -> None:
        """Put the focus back on the answer, from the note, the confidence or the sources."""

        def work() -> None:
            answer = self.query("#answer").first()
            if answer.focusable:
                answer.focus()
            elif self.read_only:
                self.say(_("Opened read-only: the answer cannot be changed here."))

        self.in_order(work)

    # ------------------------------------------------------------------ confidence
    def confidence_hint(self) -> str:
        """What the confidence field says while empty: the key of each level, '1 Low · 2 High', or, when that
        would not fit on one line beside its label at 80 columns, the first and last: '1 Low … 3 High', or only
        their keys, 'type 1–5' (its list shows each level's key)."""
        keys = [self.key(f"question.confidence_{i}") for i in range(1, CONFIDENCE_KEYS + 1)]
        levels = list(zip(keys, self.confidence_levels(), strict=False))
        hint = " · ".join(f"{k} {o.label}" for k, o in levels)
        if len(hint) <= 20 or len(levels) < 2:
            return hint
        (first, low), (last, high) = levels[0], levels[-1]
        ends = f"{first} {low.label} … {last} {high.label}"
        return ends if len(ends) <= 20 else _("type {first}–{last}").format(first=first, last=last)

    def action_focus_confidence(self) -> None:
        """Put the focus on the confidence, where a digit sets it (or Enter opens its list)."""

        def work() -> None:
            if not self.confidence_levels():
                self.say(_("This question asks for no confidence."))
                return
            self.query_one("#confidence", Select).focus()

        self.in_order(work)

    # ------------------------------------------------------------------ not applicable, unknown
    def action_toggle_na(self) -> None:
        """Mark the question not applicable, or applicable again."""

        def work() -> None:
            if not self.q.allow_na:
                self.say(_("This question cannot be marked not applicable."))
                return
            if not self.refused_read_only():
                self.query_one("#na", Checkbox).toggle()

        self.in_order(work)

    def action_unknown(self) -> None:
        """Choose the question's 'unknown' option (an information gap), where it has one."""

        def work() -> None:
            index = next((i for i, o in enumerate(self.q.options) if o.unknown), None)
            if index is None or self.q.type not in ("single", "scale", "yesno", "multiple"):
                self.say(
                    _(
                        "This question has no 'unknown' answer: leave it open (it stays listed as a gap) and say in "
                        "the note ({key}) what is missing."
                    ).format(key=self.key("question.note"))
                )
                return
            if not self.refused_read_only():
                self.choose_unknown(index)

        self.in_order(work)

    def choose_unknown(self, index: int) -> None:
        """Choose the option at index as the answer, as Enter (or Space, in a list of several) on it would."""
        answer = self.query_one("#answer")
        if isinstance(answer, SelectionList):  # unknown stands alone: the options chosen before are let go
            answer.deselect_all()
            answer.select(index)
        elif isinstance(answer, OptionList):
            answer.highlighted = index
            answer.action_select()

    # ------------------------------------------------------------------ note, guidance
    def action_note(self) -> None:
        """Put the focus at the end of the note."""

        def work() -> None:
            note = self.query_one("#note", TextArea)
            note.focus()
            note.move_cursor(note.document.end)

        self.in_order(work)

    def action_guidance(self) -> None:
        """Open the guidance (and put the focus on it, to scroll it), or close it and go back to the answer."""

        def work() -> None:
            found = self.query("#guidance")
            if not found:
                self.say(_("This question has no guidance."))
                return
            guidance = found.first(Collapsible)
            guidance.collapsed = not guidance.collapsed

        self.in_order(work)

    def guidance_toggled(self, guidance: Collapsible) -> None:
        """The guidance opened or closed (by key or mouse): open, its title is a tab stop before the answer and has
        the focus, where the arrows and page keys scroll the pane; closed, it is no stop and the answer has it."""
        title = guidance.query_one(CollapsibleTitle)
        title.can_focus = not guidance.collapsed
        if guidance.collapsed:
            answer = self.query_one("#answer")
            if answer.focusable:
                answer.focus(scroll_visible=False)
        else:
            title.focus(scroll_visible=False)
            self.call_after_refresh(self.scroll_to_widget, guidance, animate=False, top=True)

    # ------------------------------------------------------------------ sources
    def action_edit_source(self) -> None:
        """Edit the highlighted source (or the only one); with several and none chosen, go to the list."""

        def work() -> None:
            found = self.query("#sources")
            if not found:
                self.say(_("No source to edit yet: {key} adds one.").format(key=self.key("assess.add_source")))
                return
            sources = found.first(OptionList)
            if sources.option_count == 1 or (self.screen.focused is sources and sources.highlighted is not None):
                if sources.highlighted is None:
                    sources.highlighted = 0
                sources.action_select()  # as Enter on it: the pane asks for it to be edited
            else:
                sources.focus()
                if sources.highlighted is None:
                    sources.highlighted = 0
                self.say(_("Choose the source with ↑ ↓, then Enter edits it."))

        self.in_order(work)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Delete removes a source only in the list of sources."""
        if action == "remove_source":
            focused: Widget | None = self.screen.focused
            return focused is not None and focused.id == "sources" and not self.read_only
        return True

    def action_remove_source(self) -> None:
        """Remove the highlighted source, as its button does."""
        self.query_one("#remove-source", Button).press()
