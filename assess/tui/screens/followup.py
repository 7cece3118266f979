"""Provides the follow-up screen (F7): each action of the last period's plan with a status and a note the mission
fills in, each change saved at once through the session (and undone with ctrl+z like any other)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label, Select, Static

from ...errors import AssessError
from ...i18n import N_, domain
from ...limits import MAX_NOTE
from ...model import FOLLOW_UP_LABELS, FOLLOW_UP_STATUSES, FollowUp, Predecessor
from ...session import Session
from ..language import priority, word
from ..widgets.footer import KeyFooter
from .undo import follow_up_notice

_, ngettext, pgettext = domain("app")

NOTE_SAVE_DELAY = 0.6
"""Seconds of pause in typing a note before it is saved (it is saved too on Enter, on leaving it, on Escape)."""


def tally(items: list[FollowUp]) -> str:
    """The statuses counted: '4 of 9 done, 2 in progress, 1 dropped, 2 not started' (a status none has is left out)."""
    n = {s: sum(f.status == s for f in items) for s in FOLLOW_UP_STATUSES}
    counted = {
        "in_progress": ngettext("{n} in progress", "{n} in progress", n["in_progress"]),
        "dropped": ngettext("{n} dropped", "{n} dropped", n["dropped"]),
        "not_started": ngettext("{n} not started", "{n} not started", n["not_started"]),
    }
    rest = [counted[s].format(n=n[s]) for s in ("in_progress", "dropped", "not_started") if n[s]]
    done = ngettext("{n} of {total} done", "{n} of {total} done", n["done"]).format(n=n["done"], total=len(items))
    return ", ".join([done, *rest])


def action_text(i: int, f: FollowUp) -> str:
    """An action as its row shows it: '2. High — Brief the …', then for whom, who acts and when it was recommended."""
    said = f"{priority(f.priority)} — " if f.priority else ""
    who = [
        _("{label}: {text}").format(label=_(label), text=text)
        for label, text in ((N_("For"), f.for_whom), (N_("Addressee"), f.addressee), (N_("Recommended"), f.period))
        if text
    ]
    return f"{i + 1}. {said}{f.action}" + (f"\n   {' · '.join(who)}" if who else "")


def follow_up_head(items: list[FollowUp], predecessor: Predecessor | None) -> str:
    """The follow-up's heading: whose actions (the last period's, named by the file it continues; another single
    period's; or earlier periods', each action then saying its own) and the tally."""
    last = predecessor.period if predecessor is not None else ""
    periods = list(dict.fromkeys(f.period for f in items if f.period))
    if len(periods) > 1:
        whose = _("the actions of earlier periods")
    elif periods and last and periods[0] != last:
        whose = _("the actions of {period}").format(period=periods[0])
    else:
        period = last or (periods[0] if periods else "")
        whose = (
            _("the last period's actions of {period}").format(period=period)
            if period
            else _("the last period's actions")
        )
    return _("Follow-up of {whose}: {tally}").format(whose=whose, tally=tally(items))


class FollowUpScreen(Screen[None]):
    """The last period's actions, one row each: the action (wrapped), a status list and a note field; keyboard only,
    Tab from field to field; Escape goes back."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="followup.back"),
        Binding("ctrl+z", "undo(True)", N_("Undo"), id="assess.undo", show=False, priority=True),
        Binding("ctrl+y", "undo(False)", N_("Redo"), id="assess.redo", show=False, priority=True),
    ]

    DEFAULT_CSS = """
    FollowUpScreen #follow-up-head { padding: 0 1; text-style: bold; }
    FollowUpScreen #follow-ups { padding: 0 1; }
    FollowUpScreen .follow-up { height: auto; margin-bottom: 1; }
    FollowUpScreen .follow-up .row { height: 1; }
    FollowUpScreen .follow-up Label { width: auto; color: $text-muted; padding-right: 1; }
    FollowUpScreen .follow-up Select { width: 18; margin-right: 2; }
    FollowUpScreen .follow-up Input { width: 1fr; }
    FollowUpScreen .follow-up Input:focus { background: $boost; }
    """

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self._note_timers: dict[int, Timer] = {}

    def compose(self) -> ComposeResult:
        """The heading with the tally, one row per action, and the key footer."""
        items = self.session.answers.follow_up
        yield Static(self._head(), id="follow-up-head", markup=False)
        options = [(word(FOLLOW_UP_LABELS[s]), s) for s in FOLLOW_UP_STATUSES]
        with VerticalScroll(id="follow-ups"):
            for i, f in enumerate(items):
                with Vertical(classes="follow-up"):
                    yield Static(action_text(i, f), classes="action", markup=False)
                    status = f.status if f.status in FOLLOW_UP_STATUSES else Select.NULL
                    with Horizontal(classes="row"):
                        yield Label(_("Status"))
                        yield Select(options, value=status, allow_blank=False, compact=True, id=f"status-{i}")
                        yield Label(_("Note"))
                        yield Input(f.note, placeholder=_("what the mission says of it"), max_length=MAX_NOTE,
                                    compact=True, id=f"note-{i}")  # fmt: skip
        yield KeyFooter()

    def _head(self) -> str:
        return follow_up_head(self.session.answers.follow_up, self.session.answers.predecessor)

    def on_mount(self) -> None:
        """Disable editing when read-only; the first action's status has the focus."""
        if self.session.read_only:
            for w in self.query("Select, Input"):
                w.disabled = True
            self.query_one("#follow-ups").focus()
        elif self.session.answers.follow_up:
            self.query_one("#status-0", Select).focus()

    # ------------------------------------------------------------------ saving
    def save(self, index: int, status: str | None = None, note: str | None = None) -> None:
        """Save a status or note through the session at once (undoable); refused changes are said, not kept."""
        if self.session.read_only:
            return
        try:
            changed = self.session.set_follow_up(index, status=status, note=note)
        except (AssessError, ValueError, IndexError) as exc:
            text = "\n".join(map(str, exc.problems)) if isinstance(exc, AssessError) else str(exc)
            self.notify(_("Not saved: {reason}").format(reason=text), severity="error", markup=False)
            return
        if changed:
            self.query_one("#follow-up-head", Static).update(self._head())

    @on(Select.Changed)
    def status_changed(self, event: Select.Changed) -> None:
        """A status chosen: saved at once."""
        if event.select.id and event.value in FOLLOW_UP_STATUSES:
            self.save(int(event.select.id.split("-")[1]), status=str(event.value))

    @on(Input.Changed)
    def note_typed(self, event: Input.Changed) -> None:
        """A note typed: saved once typing pauses."""
        i = int((event.input.id or "note-0").split("-")[1])
        if i in self._note_timers:
            self._note_timers[i].stop()
        self._note_timers[i] = self.set_timer(NOTE_SAVE_DELAY, lambda: self.save_note(i))

    @on(Input.Submitted)
    @on(Input.Blurred)
    def note_done(self, event: Input.Submitted | Input.Blurred) -> None:
        """Enter or leaving the note saves it now (Enter goes on to the next action)."""
        self.save_note(int((event.input.id or "note-0").split("-")[1]))
        if isinstance(event, Input.Submitted):
            self.focus_next()

    def save_note(self, index: int) -> None:
        """Save the note of one action as typed (spaces around it left out)."""
        timer = self._note_timers.pop(index, None)
        if timer is not None:
            timer.stop()
        found = self.query(f"#note-{index}")
        if found:
            self.save(index, note=found.first(Input).value.strip())

    def save_notes(self) -> None:
        """Save every note still waiting for a pause in typing."""
        for i in list(self._note_timers):
            self.save_note(i)

    # ------------------------------------------------------------------ keys
    def action_back(self) -> None:
        """Save what was typed and go back to the question."""
        self.save_notes()
        self.dismiss(None)

    def action_undo(self, back: bool) -> None:
        """Undo (back) or redo the last follow-up change of this session; a change of the answers is undone on the
        main screen (Escape, then the same key)."""
        if self.session.read_only:
            return
        self.save_notes()
        history = self.session.history
        change = history.to_undo() if back else history.to_redo()
        if change is None or change.kind != "follow_up" or change.index is None:
            if change is None:
                said = _("Nothing to undo.") if back else _("Nothing to redo.")
            elif back:
                said = _("Nothing to undo here: the last change is not a follow-up (Escape, then the same key).")
            else:
                said = _("Nothing to redo here: the last change is not a follow-up (Escape, then the same key).")
            self.notify(said, markup=False)
            return
        try:
            self.session.undo() if back else self.session.redo()
        except AssessError as exc:
            self.notify("\n".join(map(str, exc.problems)), severity="error", markup=False)
            return
        f = self.session.answers.follow_up[change.index]
        with self.prevent(Select.Changed, Input.Changed):
            self.query_one(f"#status-{change.index}", Select).value = f.status
            self.query_one(f"#note-{change.index}", Input).value = f.note
        self.query_one("#follow-up-head", Static).update(self._head())
        self.notify(follow_up_notice(change, back), markup=False)
