"""Provides the question pane: text, guidance, the answer widget for the question's type, confidence, sources, note."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import (
    Button,
    Checkbox,
    Collapsible,
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from ...errors import problem
from ...i18n import domain, language, primary
from ...limits import MAX_NOTE
from ...model import CARRIED_LABEL, GRADE_MEANINGS, Answer, Framework, Question, Source
from ...numbers import decimal
from ...session import Slot
from ...yamlsafe import NumberError, number
from ..language import grouped, punct, shown, word
from .dates import parse_date, typing_error, written
from .pane_keys import ConfidenceSelect, KeyedPane

_, ngettext, pgettext = domain("app")

TEXT_SAVE_DELAY = 0.6
PLACEHOLDER_ROOM = 44
"""The cells a number field shows of its placeholder at 80 columns: a longer one (a French range and unit) is said in
full on a line under the field, the field saying only what to type."""


def _show(v) -> str:
    if isinstance(v, Fraction):
        return decimal(v)
    return "" if v is None else str(v)


def source_line(s: Source, grading: str) -> str:
    """A source as the pane lists it: the reference, then its two grades with what they mean."""
    rel_means, cred_means = GRADE_MEANINGS.get(grading, ({}, {}))
    grades = f"{s.reliability or '?'}{s.credibility or '?'}"
    means = (rel_means.get(s.reliability or ""), cred_means.get(s.credibility or ""))
    meaning = punct(";").join(word(m) for m in means if m)
    return f"{s.ref}  — {grades}" + (f" ({meaning})" if meaning else "")


def digits(text: str) -> str:
    """A typed number as assess reads numbers: a decimal comma as a point, and the spaces a locale groups thousands
    with left out ('1 234,5' -> '1234.5'; ordinary spaces only in a language that groups with them)."""
    text = text.replace("\u202f", "").replace("\u00a0", "")
    if primary(language()) != "en":
        text = text.replace(" ", "")
    return text.replace(",", ".")


def whole_numbers(q: Question) -> bool:
    """Whether a number question counts in whole numbers: the framework says so with `integer: true`."""
    return q.type == "number" and q.integer


class QuestionPane(KeyedPane):
    """Edits one answer; every change travels up as a Changed message and is saved by the screen. Tab goes answer →
    not applicable → confidence → sources → note on every question; the keys of pane_keys reach each from anywhere."""

    DEFAULT_CSS = """
    QuestionPane { padding: 0 1; }
    QuestionPane .where { color: $text-muted; }
    QuestionPane .qtext { text-style: bold; margin-bottom: 1; }
    QuestionPane .qtext.over-carried { margin-bottom: 0; }
    QuestionPane #carried { color: $warning; margin-bottom: 1; }
    QuestionPane OptionList, QuestionPane SelectionList { height: auto; max-height: 12; }
    QuestionPane TextArea { height: 5; }
    QuestionPane .error { color: $error; }
    QuestionPane .row { height: auto; }
    QuestionPane .row Select { width: 1fr; }
    QuestionPane .row .field { width: auto; padding: 1 1 0 0; }
    QuestionPane Collapsible { margin: 0; }
    """

    class Changed(Message):
        """An answer field changed: the screen saves it."""

        def __init__(self, slot: Slot, fields: dict):
            super().__init__()
            self.slot, self.fields = slot, fields

    class AddSource(Message):
        """The planner asked to add a source."""

        def __init__(self, slot: Slot):
            super().__init__()
            self.slot = slot

    class EditSource(Message):
        """The planner asked to edit a source of this answer: the one at index."""

        def __init__(self, slot: Slot, index: int):
            super().__init__()
            self.slot, self.index = slot, index

    def __init__(
        self, fw: Framework, q: Question, slot: Slot, answer: Answer | None, where: str, read_only: bool = False, **kw
    ):
        super().__init__(**kw)
        # a copy: the pane's view of the answer, which the session compares a change with before saving it
        self.fw, self.q, self.slot, self.a, self.where = fw, q, slot, replace(answer) if answer else Answer(), where
        self.read_only = read_only
        self.can_focus = read_only  # read-only, the pane is the stop that scrolls; else only its fields are stops
        self.broken: str | None = None
        """Why the question could not be drawn, when it could not: the pane then shows that, and edits nothing."""
        self._pending: dict = {}
        self._confidence = self.a.confidence

    def compose(self) -> ComposeResult:
        """The question, its answer and fields; or, when it cannot be drawn, why (the file stays unchanged)."""
        try:  # built whole first: a question that cannot be drawn must not take the app (and the file) with it
            widgets = list(self._widgets())
        except Exception as exc:
            self.broken = _("This question cannot be shown ({error}); the file is unchanged.").format(
                error=f"{type(exc).__name__}: {exc}"
            )
            yield Static(self.where, classes="where", markup=False)
            yield Static(self.broken, id="answer", classes="error", markup=False)
            return
        yield from widgets

    def _widgets(self) -> ComposeResult:
        q = self.q
        yield Static(self.where, classes="where", markup=False)
        flags = [f for f, on_ in ((_("required"), q.required), (_("sources expected"), q.evidence != "none")) if on_]
        over = " over-carried" if self.a.carried else ""
        yield Static(q.text + (f"  ({', '.join(flags)})" if flags else ""), classes="qtext" + over, markup=False)
        if self.a.carried:  # until confirmed (its key) or changed
            said = _("↻ {label} ({key} confirms)").format(label=word(CARRIED_LABEL), key=self.key("assess.confirm"))
            yield Static(said, id="carried", markup=False)
        if q.guidance.strip():
            # the Markdown is built when the planner opens the guidance, so moving between questions stays quick
            title = _("Guidance ({key})").format(key=self.key("question.guidance"))
            yield Collapsible(title=title, collapsed=True, id="guidance")
        yield from self.answer_widget()
        yield Static("", id="answer-error", classes="error", markup=False)
        yield from self.fields()

    def fields(self) -> ComposeResult:
        """The fields below the answer: not applicable, confidence, sources, note."""
        q, a = self.q, self.a
        key = self.key
        if q.allow_na:
            yield Checkbox(
                Content(_("Not applicable ({key})").format(key=key("question.not_applicable"))), a.na, id="na"
            )
        if self.confidence_levels():
            levels = self.confidence_levels()
            digits = [key(f"question.confidence_{i}") for i in range(1, len(levels) + 1)]
            opts = [(Content(f"{d} {o.label}".strip()), o.value) for d, o in zip(digits, levels, strict=True)]
            value = a.confidence if any(v == a.confidence for _, v in opts) else Select.NULL
            label = Label(Content(_("Confidence ({key})").format(key=key("question.confidence"))), classes="field")
            select = ConfidenceSelect(opts, prompt=self.confidence_hint(), value=value, id="confidence")
            yield Horizontal(label, select, classes="row")
        edits = _(" — Enter or {key} edits").format(key=key("question.edit_source")) if a.sources else ""
        yield Label(Content(_("Sources ({n})").format(n=len(a.sources)) + edits), id="sources-label")
        if a.sources:
            yield OptionList(
                *[Option(Content(source_line(s, self.fw.grading)), id=str(i)) for i, s in enumerate(a.sources)],
                id="sources",
            )
        # not tab stops: the keys shown on them do the same from anywhere in the pane (and a click still does)
        buttons = [Button(Content(_("Add source ({key})").format(key=key("assess.add_source"))), id="add-source")]
        if a.sources:
            remove = _("Remove ({key})").format(key=key("question.remove_source"))
            buttons.append(Button(Content(remove), id="remove-source"))
        for button in buttons:
            button.can_focus = False
        yield Horizontal(*buttons, classes="row")
        yield Label(Content(_("Note ({key})").format(key=key("question.note"))))
        yield TextArea(a.note, id="note", soft_wrap=True)
        note_error = Static("", id="note-error", classes="error", markup=False)
        note_error.display = False  # takes room only while it says something
        yield note_error

    def on_mount(self) -> None:
        """Disable editing when read-only, and focus the answer, brought into view once laid out."""
        if self.read_only:  # shown as saved; text can still be scrolled, selected and copied
            for w in self.query("OptionList#answer, SelectionList, Input, Checkbox, Select, Button"):
                w.disabled = True
            for ta in self.query(TextArea):
                ta.read_only = True
        # focus without scrolling now, while the pane may not be laid out yet (a scroll computed then could leave
        # the question's own text scrolled out of sight); bring the answer into view once the layout is done
        for guidance in self.query("#guidance").results(Collapsible):
            self.guidance_toggled(guidance)  # closed: no tab stop (its key opens it)
        answer = self.query_one("#answer")
        # read-only, the answer is disabled: the pane itself takes the focus, so its keys and scrolling still work
        (answer if answer.focusable else self).focus(scroll_visible=False)
        self.call_after_refresh(answer.scroll_visible, animate=False)

    @on(Collapsible.Expanded, "#guidance")
    def show_guidance(self, event: Collapsible.Expanded) -> None:
        """Draw the guidance as Markdown the first time it is opened, and give it the focus."""
        contents = event.collapsible.query_one(Collapsible.Contents)
        if not contents.children:
            from textual.widgets import Markdown  # deferred: the Markdown parser loads when guidance is first read

            contents.mount(Markdown(self.q.guidance))
        self.guidance_toggled(event.collapsible)

    @on(Collapsible.Collapsed, "#guidance")
    def hide_guidance(self, event: Collapsible.Collapsed) -> None:
        """The guidance closed: the answer has the focus again."""
        self.guidance_toggled(event.collapsible)

    def option_prompt(self, i: int, chosen: bool | None) -> Content:
        """An option as the answer shows it: a dot when chosen (None: no room for one), and the unknown key beside
        'unknown'."""
        o = self.q.options[i]
        unknown = f"  ({self.key('question.unknown')})" if o.unknown else ""
        return Content(("" if chosen is None else "● " if chosen else "  ") + o.label + unknown)

    def answer_widget(self) -> ComposeResult:
        """The widget that takes the answer: a list of options, a selection list, an input, or a text area."""
        q, a = self.q, self.a
        if q.type in ("single", "scale", "yesno"):
            items = [Option(self.option_prompt(i, o.value == a.value), id=str(i)) for i, o in enumerate(q.options)]
            ol = OptionList(*items, id="answer")
            chosen = next((i for i, o in enumerate(q.options) if o.value == a.value), None)
            if chosen is not None:
                ol.highlighted = chosen
            yield ol
        elif q.type == "multiple":
            values = a.value if isinstance(a.value, list) else []
            yield SelectionList(
                *[(self.option_prompt(i, None), i, o.value in values) for i, o in enumerate(q.options)], id="answer"
            )
        elif q.type == "number":
            rng = (
                _(" ({low} to {high}{unit})").format(
                    low=shown(_show(q.min)), high=shown(_show(q.max)), unit=" " + q.unit if q.unit else ""
                )
                if q.min is not None or q.max is not None
                else ""
            )
            kind = _("a whole number") if whole_numbers(q) else _("a number")
            wide = cell_len(kind + rng) > PLACEHOLDER_ROOM
            yield Input(shown(_show(a.value)), placeholder=kind if wide else kind + rng, id="answer")  # 12,5 in French
            if wide:
                yield Static(kind + rng, id="answer-range", classes="hint", markup=False)
        elif q.type == "date":
            yield Input(written(_show(a.value)), placeholder=_("YYYY-MM-DD"), id="answer")  # 31/10/2026 in French
        else:
            yield TextArea(_show(a.value), id="answer", soft_wrap=True)

    def uncarried(self) -> None:
        """The answer is no longer carried forward (confirmed or changed): its line under the question goes."""
        self.a.carried = False
        for line in self.query("#carried"):
            line.remove()
        for text in self.query(".qtext"):
            text.remove_class("over-carried")

    # ------------------------------------------------------------------ events -> Changed
    def send(self, **fields) -> None:
        """Tell the screen that these answer fields changed (it saves them)."""
        self.post_message(self.Changed(self.slot, fields))

    @on(OptionList.OptionSelected, "#answer")
    def choice(self, event: OptionList.OptionSelected) -> None:
        """Mark the chosen option and send it as the answer."""
        assert event.option.id is not None  # every option has its index as id
        o = self.q.options[int(event.option.id)]
        for i, opt in enumerate(self.q.options):
            event.option_list.replace_option_prompt_at_index(i, self.option_prompt(i, opt is o))
        self.show_error("")
        self.send(value=o.value, na=False)

    @on(SelectionList.SelectedChanged, "#answer")
    def multiple(self, event: SelectionList.SelectedChanged) -> None:
        """Send the selected options as the answer, unless more are chosen than the question allows."""
        chosen = [self.q.options[i].value for i in sorted(event.selection_list.selected)]
        if self.q.max_choices and len(chosen) > self.q.max_choices:
            most = self.q.max_choices
            said = ngettext("At most {n} choice.", "At most {n} choices.", most).format(n=most)
            self.query_one("#answer-error", Static).update(said)
            return
        self.show_error("")
        self.send(value=chosen or None, na=False)

    @on(Input.Submitted, "#answer")
    @on(Input.Blurred, "#answer")
    def typed(self, event) -> None:
        """Check a typed number or date when submitted or left, and send it when valid and changed."""
        value, error = self.parse(event.input.value if hasattr(event, "input") else event.value)
        self.show_error(error)
        if not error and value != self.a.value:
            self.a.value = value
            self.send(value=value, na=False)
        if not error and value is not None and self.q.type == "date" and event.input.value.strip() != written(value):
            event.input.value = written(value)  # 2026/7/5 is kept, and shown, as 2026-07-05 (05/07/2026 in French)

    @on(Input.Changed, "#answer")
    def typing(self, event: Input.Changed) -> None:
        """Check a number or date as it is typed: a decimal in a whole-number question, any text that is not a number
        in range, an impossible date, is refused at once at the field (and saved only once corrected)."""
        if self.read_only:
            return
        if self.q.type == "number":
            self.show_error(self.parse(event.value)[1])
        elif self.q.type == "date":
            self.show_error(typing_error(event.value))

    def show_error(self, error: str) -> None:
        """Say at the answer why the typed text is refused and what the file keeps instead; '' clears it."""
        if error and self.a.value is None:  # a sentence of its own: French says « ne conserve aucune réponse »
            error = _("{error} Not saved: the file keeps no answer.").format(error=error)
        elif error:
            kept = written(_show(self.a.value)) if self.q.type == "date" else _show(self.a.value)
            error = _("{error} Not saved: the file keeps {kept}.").format(error=error, kept=kept)
        line = self.query_one("#answer-error", Static)
        if line.content != error:  # as it was: no layout pass of the whole screen (on every choice otherwise)
            line.update(error)

    def parse(self, text: str):
        """The typed text as a value for the question, or an error message saying what to type."""
        text = text.strip()
        if not text:
            return None, ""
        kept = _show(self.a.value)
        if self.a.value is not None and text in (kept, shown(kept)):  # the answer as the file holds it, kept
            return self.a.value, ""
        q = self.q
        if q.type == "number":
            try:  # the bounded reader of files: '1e999999999' must not freeze the app
                value = Fraction(number(digits(text)))
            except NumberError as exc:
                if exc.code == "E013":
                    return None, _("'{text}' is not a number.").format(text=text)
                return None, problem("", None, exc.code, **exc.fields).message
            if value.denominator != 1 and whole_numbers(q):
                return None, _("{text} is not a whole number: type a whole number of {unit}.").format(
                    text=text, unit=q.unit or _("items")
                )
            if (q.min is not None and value < q.min) or (q.max is not None and value > q.max):
                return None, _("{text} is outside {low}..{high}.").format(
                    text=text, low=shown(_show(q.min)), high=shown(_show(q.max))
                )
            return (int(value) if value.denominator == 1 else value), ""
        return parse_date(text)

    @on(TextArea.Changed)
    def text_changed(self, event: TextArea.Changed) -> None:
        """Keep typed text or a note to save once typing pauses; a note too long is shown as refused, not kept."""
        field = "value" if event.text_area.id == "answer" else "note"
        if field == "note":
            error = self.note_error(event.text_area.text)
            shown = self.query_one("#note-error", Static)
            appears = bool(error) and not shown.display
            shown.update(error)
            shown.display = bool(error)
            if appears:  # under the note, often below the pane's bottom at 80x24: brought into view
                self.call_after_refresh(shown.scroll_visible, animate=False)
            if error:  # kept in the pane, not saved: the file could not hold it
                self._pending.pop("note", None)
                return
        self._pending[field] = event.text_area.text
        self.set_timer(TEXT_SAVE_DELAY, self.flush)

    @staticmethod
    def note_error(text: str) -> str:
        """Why a note cannot be saved (longer than an answers file holds), or ''."""
        if len(text) <= MAX_NOTE:
            return ""
        return _(
            "The note is {length} characters, more than the {limit} an answers file holds; shorten it. It is not "
            "saved until then."
        ).format(length=grouped(len(text)), limit=grouped(MAX_NOTE))

    def take_pending(self) -> tuple[dict, str]:
        """What the planner typed and has not yet been saved, as fields to save, or why the typed text is refused.

        Called when leaving the question, by any way out: the screen saves the fields at once, itself."""
        fields, self._pending = dict(self._pending), {}
        if self.broken:
            return {}, ""
        if "value" in fields:  # a text of spaces and line breaks only is no answer (nor counted as one)
            fields["value"] = fields["value"] if fields["value"].strip() else None
        note = self.query_one("#note", TextArea).text
        error = "" if self.read_only or note == self.a.note else self.note_error(note)
        if error:  # a note typed or pasted past the limit (one written so in the file is left as it is)
            self._pending = fields  # kept, to save with the note once it is short enough
            return {}, error
        if self.q.type in ("number", "date") and not self.read_only:
            typed = self.query_one("#answer", Input)
            value, error = self.parse(typed.value)
            if error:
                self.show_error(error)
                return {}, error
            if value != self.a.value:
                self.a.value = value
                fields.update(value=value, na=False)
        return fields, ""

    def flush(self) -> None:
        """Save typed text that is waiting (also called when leaving the question)."""
        if not self._pending:
            return
        fields, self._pending = self._pending, {}
        if "value" in fields:  # a text of spaces and line breaks only is no answer (nor counted as one)
            fields["value"] = fields["value"] if fields["value"].strip() else None
        self.send(**fields)

    @on(Checkbox.Changed, "#na")
    def na_changed(self, event: Checkbox.Changed) -> None:
        """Send the not-applicable box as it is now."""
        self.send(na=event.value)

    @on(Select.Changed, "#confidence")
    def confidence_changed(self, event: Select.Changed) -> None:
        """Send a confidence the planner changed."""
        value = None if event.value is Select.NULL else event.value
        if value != self._confidence:  # the Select also says Changed when it shows the saved value
            self._confidence = value
            self.send(confidence=value)

    @on(Button.Pressed, "#add-source")
    def add_source(self) -> None:
        """Ask the screen to add a source to this answer."""
        self.post_message(self.AddSource(self.slot))

    @on(OptionList.OptionSelected, "#sources")
    def source_chosen(self, event: OptionList.OptionSelected) -> None:
        """Enter on a source (or its key): ask for it to be edited."""
        self.post_message(self.EditSource(self.slot, event.option_index))

    @on(Button.Pressed, "#remove-source")
    def remove_source(self) -> None:
        """Send the removal of the highlighted source."""
        sources = self.query_one("#sources", OptionList)
        if sources.highlighted is not None:
            self.send(remove_source=sources.highlighted)
