"""Provides the main screen: the navigation tree, the question pane, live progress and scores."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Tree

from ...errors import AssessError
from ...files import read_only
from ...i18n import N_, domain
from ...session import Session, Slot
from ..widgets.footer import KeyFooter
from ..widgets.nav import NavTree, RowLine, carried, where_again, where_line
from ..widgets.question import QuestionPane
from ..widgets.register import RegisterPane
from ..widgets.status import StatusLine
from . import assess_app, blocks, followup, metadata, source, undo
from .dialogs import ErrorDialog
from .palette import QuestionCommands

_, ngettext, pgettext = domain("app")

RESCORE_DELAY = 0.15


class MainScreen(Screen):
    """Walks a planner through the framework; every change is saved as it is made."""

    COMMANDS = {QuestionCommands, metadata.MetadataCommands}
    BINDINGS = [
        # priority: the app runs these itself, in the order the keys came, and keys typed after them wait until
        # the next question (or dialog) has the focus, instead of landing in the field being left
        Binding("ctrl+n", "step(1)", N_("Next"), id="assess.next", priority=True),
        # alt+p too (p for previous): ctrl+b is tmux's and screen's prefix key, which never reaches an app run inside
        # them; not alt+b, which terminals send as ESC b, read by Textual as ctrl+left (a word left in a field)
        Binding("ctrl+b,alt+p", "step(-1)", N_("Previous"), id="assess.previous", priority=True),
        Binding("ctrl+g", "next_unanswered", N_("Next open"), id="assess.next_unanswered", priority=True),
        Binding("ctrl+o", "summary", N_("Summary"), id="assess.summary", priority=True),
        Binding("f3", "add_entity", N_("Add block"), id="assess.add_entity", priority=True),
        Binding("f2", "rename_entity", N_("Rename block"), id="assess.rename_entity", priority=True),
        Binding("f8", "remove_entity", N_("Remove block"), id="assess.remove_entity", show=False, priority=True),
        Binding("ctrl+r", "add_source", N_("Add source"), id="assess.add_source", show=False, priority=True),
        Binding("f6", "focus_tree", N_("Tree"), id="assess.tree", show=False, priority=True),
        Binding("f4", "metadata", N_("Details"), id="assess.metadata", show=False, priority=True),
        # one history everywhere: in the note or a text answer too (what was typed is saved first, and undone
        # first), not the TextArea's own undo of its typing
        Binding("ctrl+z", "undo(True)", N_("Undo"), id="assess.undo", show=False, priority=True),
        Binding("ctrl+y", "undo(False)", N_("Redo"), id="assess.redo", show=False, priority=True),
        # in force only on an answer carried forward from the last period: elsewhere ctrl+k is the field's own
        Binding("ctrl+k", "confirm", N_("Confirm"), id="assess.confirm", priority=True),
        Binding("f7", "follow_up", N_("Follow-up"), id="assess.follow_up", show=False, priority=True),
    ]
    PALETTE = ((N_("Render report"), "report", N_("the summary, then where to write the report")),)
    """The commands the palette offers on this screen besides its keys: (title, action, help)."""

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.current: Slot | None = None
        self._rescore_timer: Timer | None = None
        self.refused: tuple[str, str] | None = None
        """The question and the reason a typed text was last refused on leaving it."""

    def compose(self) -> ComposeResult:
        """Lay out the status line, the question tree and the first question's pane, and the key footer."""
        yield StatusLine(id="status")
        first = self.session.position() or self.session.next_slot(None)
        row = RowLine(id="nav-row")  # the full text of the tree row at the cursor, while the tree has the focus
        with Horizontal(id="body"):
            yield NavTree(self.session, row, id="nav")
            with Vertical(id="right"), Vertical(id="pane"):
                if first is not None:  # composed with the screen: the first question is drawn in its first frame
                    self.current = first
                    yield self._pane_for(first)
        yield row
        yield KeyFooter()

    def on_mount(self) -> None:
        """Fill the tree and the status line, then place the planner on the first question (or in the tree)."""
        tree = self.nav
        tree.show_root = False
        tree.build()
        self.refresh_status()
        if self.current is not None:
            self._placed(self.current)
        else:
            tree.focus()

    # ------------------------------------------------------------------ tree
    @property
    def nav(self) -> NavTree:
        """The question tree."""
        return self.query_one("#nav", NavTree)

    def refresh_status(self) -> None:
        """Redraw the status line: progress, the headline score with its direction, the marking (widgets/status.py)."""
        self.query_one("#status", StatusLine).show(self.session)

    @on(Tree.NodeSelected, "#nav")
    async def node_selected(self, event: Tree.NodeSelected) -> None:
        """Show the question picked in the tree and put the cursor in its answer (once the pane is drawn: from a
        stop, whose pane has no answer, the focus waited for nothing)."""
        data = event.node.data
        if data and data[0] == "slot":
            await self.go(data[1])

    # ------------------------------------------------------------------ question pane
    def pane(self) -> QuestionPane | None:
        """The pane of the question shown, or None when none is."""
        found = self.query(QuestionPane)
        return found.first() if found else None

    def leave(self, quitting: bool = False) -> bool:
        """Save what was typed in the current question before going anywhere; False (and the reason shown, the
        text kept) when the typed text cannot be saved."""
        pane = self.pane()
        if pane is None or self.current is None:
            return True
        fields, error = pane.take_pending()
        if error:
            self.refused = (pane.slot.key, error)
            if quitting:
                said = _("{error} Not saved: correct it, or press ctrl+q again to quit without it.")
            else:
                said = _("{error} Not saved: correct it, or clear it to move on.")
            self.notify(said.format(error=error), severity="warning", markup=False)
            pane.query_one("#answer").focus()
            return False
        if fields and not self.session.read_only:
            self.save(pane.slot, fields, redraw=False)
        return True

    def show(self, slot: Slot) -> None:
        """Show a question (after saving what was typed in the one shown)."""
        if not self.leave():
            return
        self.settle()
        holder = self.query_one("#pane", Vertical)
        holder.remove_children()
        holder.mount(self._pane_for(slot))
        self.current = slot
        self._placed(slot)

    async def go(self, slot: Slot) -> None:
        """Show a question and give its answer the focus before the next key is read."""
        if not self.leave():
            return
        self.settle()
        holder = self.query_one("#pane", Vertical)
        self.set_focus(None, scroll_visible=False)  # not through the tree (its row line shown, hidden) to the answer
        await holder.remove_children()
        pane = self._pane_for(slot)
        await holder.mount(pane)
        self.current = slot
        self._placed(slot)
        answer = pane.query_one("#answer")
        if answer.focusable:
            answer.focus(scroll_visible=False)

    def _pane_for(self, slot: Slot) -> QuestionPane:
        s = self.session
        q = s.fw.questions[slot.qid]
        return QuestionPane(s.fw, q, slot, s.answer(slot), where_line(s, slot), read_only=s.read_only)

    def _placed(self, slot: Slot) -> None:
        """The question is shown: remember it in the file, and point the tree at it (its section open)."""
        self.session.set_position(slot)
        self.nav.follow(slot)

    def refuse_if_read_only(self) -> bool:
        """In a read-only session, say so instead of changing anything."""
        if self.session.read_only:
            if read_only(self.session.path):
                self.notify(
                    _("Opened read-only: the file is read-only; make it writable to edit it."), severity="warning"
                )
            else:
                self.notify(
                    _("Opened read-only: changes are made in the session that holds the file."), severity="warning"
                )
        return self.session.read_only

    @on(QuestionPane.Changed)
    def changed(self, event: QuestionPane.Changed) -> None:
        """Save what the planner changed in the question pane."""
        self.save(event.slot, event.fields)

    def save(self, slot: Slot, fields: dict, redraw: bool = True) -> None:
        """Save changed fields of an answer at once; rescoring follows when typing pauses. redraw: show the
        question again when the change alters its pane (not when leaving it)."""
        if self.refuse_if_read_only():
            return
        fields = dict(fields)
        try:
            if "remove_source" in fields:
                self.session.remove_source(slot, fields.pop("remove_source"))
                if redraw:
                    self.show(slot)
            else:
                before = self.session.answer(slot)
                was_na, was_carried = bool(before and before.na), bool(before and before.carried)
                self.session.update(slot, rescore=False, **fields)
                if "na" in fields and bool(fields["na"]) != was_na and redraw:  # the pane changes only then
                    self.show(slot)
                elif was_carried and not carried(self.session, slot):  # changed: no longer to review
                    self.uncarried(slot)
        except AssessError as exc:
            self.app.push_screen(ErrorDialog(_("Could not save"), "\n".join(map(str, exc.problems))))
            return
        # the answer is saved; scores, conditions and marks follow a moment later, once typing pauses
        if self._rescore_timer is not None:
            self._rescore_timer.stop()
        self._rescore_timer = self.set_timer(RESCORE_DELAY, self.settle)

    def settle(self) -> None:
        """Apply a pending rescore now: conditions, marks and live scores catch up with the answers."""
        if self._rescore_timer is None:
            return
        self._rescore_timer.stop()
        self._rescore_timer = None
        self.session.rescore()
        self.nav.relabel()
        self.refresh_status()
        where_again(self.pane(), self.session)  # 'question N of M' counts the questions a condition shows now

    @on(QuestionPane.AddSource)
    def add_source_requested(self, event: QuestionPane.AddSource) -> None:
        """Ask for a source when the pane's add-source button is pressed."""
        self.action_add_source()

    def action_add_source(self) -> None:
        """Ask for a source to add to the current answer, after the keys typed before."""
        self.in_order(self._add_source)

    async def _add_source(self) -> None:
        await source.add_source(self)

    def on_question_pane_edit_source(self, event) -> None:
        """Edit a source of the answer (QuestionPane.EditSource: Enter on it in the pane, or its key)."""
        self.in_order(lambda: source.edit_source(self, event.slot, event.index))

    def action_metadata(self) -> None:
        """Edit the title, mission, area, period, analyst and marking (F4, or the palette), after the keys typed."""
        self.in_order(lambda: metadata.edit_metadata(self))

    # ------------------------------------------------------------------ navigation
    def in_order(self, work) -> None:
        """Run an action after the keys typed before it; the keys typed after it follow the focus it sets."""
        assess_app(self).in_order(work)

    def action_step(self, step: int) -> None:
        """Go to the next (step 1) or previous (step -1) visible question, after the keys typed before."""
        self.in_order(lambda: self._step(step))

    async def _step(self, step: int) -> None:
        await blocks.step(self, step)  # stops at empty repeatable sections and after a section's last block

    def action_next_unanswered(self) -> None:
        """Go to the next visible question without an answer, or say there is none."""
        self.in_order(self._next_unanswered)

    async def _next_unanswered(self) -> None:
        await blocks.next_open(self)  # a repeatable section short of its minimum blocks is open too

    def action_focus_tree(self) -> None:
        """Put the focus on the question tree, after the keys typed before."""

        async def focus() -> None:
            self.query_one("#nav", Tree).focus()

        self.in_order(focus)

    def action_summary(self) -> None:
        """Save what was typed and show the summary of scores and gaps."""
        self.in_order(self._summary)

    def action_report(self) -> None:
        """The palette's Render report: save what was typed, show the summary and ask where to write the report."""

        async def work() -> None:
            from .summary import SummaryScreen

            await self._summary()
            if isinstance(self.app.screen, SummaryScreen):
                self.app.screen.action_report()

        self.in_order(work)

    async def _summary(self) -> None:
        from .summary import SummaryScreen

        if not self.leave():
            return
        self.settle()

        def jump(slot) -> None:
            if slot:
                self.show(slot)

        await self.app.push_screen(SummaryScreen(self.session), jump)

    # ------------------------------------------------------------------ entity blocks
    def action_add_entity(self) -> None:
        """Ask for a name and add a block to the repeatable section the planner is in."""
        self.in_order(lambda: blocks.add_block(self))

    @on(RegisterPane.Add)
    def add_requested(self, event: RegisterPane.Add) -> None:
        """Add a block when the button of a section's stop is pressed."""
        self.action_add_entity()

    def action_rename_entity(self) -> None:
        """Ask for a new name for the block the planner is in."""
        self.in_order(lambda: blocks.rename_block(self))

    def action_remove_entity(self) -> None:
        """Ask to confirm, then remove the block the planner is in with its answers."""
        self.in_order(lambda: blocks.remove_block(self))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Confirm is in force (and in the footer) only on an answer carried forward; elsewhere its key goes on to the
        field (ctrl+k deletes to the end of a line)."""
        if action == "confirm":
            return self.current is not None and carried(self.session, self.current)
        return True

    def action_confirm(self) -> None:
        """Confirm the answer shown, carried forward from the last period, as it is (after the keys typed before)."""
        self.in_order(self._confirm)

    async def _confirm(self) -> None:
        slot = self.current
        if slot is None or self.refuse_if_read_only() or not carried(self.session, slot) or not self.leave():
            return
        self.settle()
        try:
            kept = self.session.confirm(slot.entity, slot.qid)  # False: what was typed, saved first, changed it
        except AssessError as exc:
            self.app.push_screen(ErrorDialog(_("Could not save"), "\n".join(map(str, exc.problems))))
            return
        self.uncarried(slot)
        q = self.session.fw.questions[slot.qid]
        block = f" ({self.session.block(slot.entity).name})" if slot.entity else ""
        done = _("Confirmed as it is") if kept else _("Confirmed with the change typed")
        left = self.session.carried_count()
        rest = (
            ngettext("{n} more carried forward to review.", "{n} more carried forward to review.", left).format(n=left)
            if left
            else _("No answer carried forward is left to review.")
        )
        said = _("{done}: {question}{block}. {rest}").format(done=done, question=q.text, block=block, rest=rest)
        self.notify(said, markup=False)

    def uncarried(self, slot: Slot) -> None:
        """The answer is no longer carried forward: its mark goes from the tree, the pane and the status line."""
        pane = self.pane()
        if pane is not None and pane.slot == slot:
            pane.uncarried()
        self.nav.relabel()
        self.refresh_status()
        self.refresh_bindings()

    def action_follow_up(self) -> None:
        """Show the last period's actions to follow up (F7), each with its status and note, saved as changed."""
        self.in_order(self._follow_up)

    async def _follow_up(self) -> None:
        if not self.session.answers.follow_up:
            self.notify(
                _(
                    "No actions to follow up: this assessment was not started from an earlier period's "
                    "(the start screen's 'Next period', or assess new --from)."
                ),
                markup=False,
            )
            return
        if not self.leave():
            return
        self.settle()
        await self.app.push_screen(followup.FollowUpScreen(self.session), lambda _: self.refresh_status())

    def action_undo(self, back: bool) -> None:
        """Undo (back) or redo the last answer or block change of this session, saved like any change."""
        self.in_order(lambda: undo.undo(self, back))
