"""Provides the question tree: sections, blocks and questions with their status marks, filled as they open,
following the question shown, with the full text of the row at its cursor on a line below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from ...i18n import N_, domain
from ...model import CARRIED_LABEL
from ...session import Session, Slot
from .. import language

if TYPE_CHECKING:
    from .question import QuestionPane

_, ngettext, pgettext = domain("app")

MARKS = {"answered": "✔", "unanswered": "○", "required": "✖", "not_applicable": "∅", "unknown": "?", "hidden": "⊘"}
WORDS = {
    "answered": N_("answered"),
    "unanswered": N_("open"),
    "required": N_("required, open"),
    "not_applicable": N_("not applicable"),
    "unknown": N_("unknown"),
    "hidden": N_("hidden by a condition"),
}
"""A status mark in words, as the line under the tree says it."""
CARRIED_MARK = "↻"
"""Before the text of a question whose answer was carried forward from the last period, until confirmed or changed."""


def slot_state(session: Session, slot: Slot) -> str:
    """The key of a question's mark: its status, or 'required' for a required question without an answer."""
    st = session.status(slot)
    return "required" if st == "unanswered" and session.fw.questions[slot.qid].required else st


def carried(session: Session, slot: Slot) -> bool:
    """Whether the question's answer is carried forward from the last period, not yet confirmed or changed."""
    a = session.answer(slot)
    return a is not None and a.carried


def slot_label(session: Session, slot: Slot) -> str:
    """The label of a question in the tree and the palette: its status mark, ↻ when its answer is carried forward
    (to review), and its text."""
    again = f"{CARRIED_MARK} " if carried(session, slot) else ""
    return f"{MARKS[slot_state(session, slot)]} {again}{session.fw.questions[slot.qid].text}"


def slot_words(session: Session, slot: Slot) -> str:
    """A question's status in words and its full text: '✖ required, open — How exposed …?' ('✔ answered, ↻ carried
    forward — review — …' for an answer carried forward)."""
    state = slot_state(session, slot)
    again = f", {CARRIED_MARK} {language.word(CARRIED_LABEL)}" if carried(session, slot) else ""
    return f"{MARKS[state]} {_(WORDS[state])}{again} — {session.fw.questions[slot.qid].text}"


def plural(label: str, n: int) -> str:
    """The label of n blocks: 'risk' for one, else 'risks' ('entity' → 'entities', 'match' → 'matches'; each
    noun of 'group or network' → 'groups or networks'), in the interface language (language.plural)."""
    return language.plural(label, n)


def count_of(label: str, n: int) -> str:
    """How many blocks a repeatable section holds, in words: 'no risks yet', '1 risk', '3 risks'."""
    if n == 0:
        return language.elide(_("no {blocks} yet").format(blocks=plural(label, 0)))
    return f"{n} {plural(label, n)}"


def where_line(session: Session, slot: Slot) -> str:
    """Where a question is, as its pane's top line says: 'Section — block · question N of M' (of the questions
    shown now, so a condition that shows or hides one changes it)."""
    q = session.fw.questions[slot.qid]
    sec = session.fw.all_sections[q.section]
    block = f" — {session.block(slot.entity).name}" if slot.entity else ""
    keys = [v.key for v in session.visible_slots()]
    if slot.key not in keys:
        shown = ngettext(
            "hidden by a condition ({n} question shown)", "hidden by a condition ({n} questions shown)", len(keys)
        ).format(n=len(keys))
        return f"{sec.title}{block} · {shown}"
    at = _("question {n} of {total}").format(n=keys.index(slot.key) + 1, total=len(keys))
    return f"{sec.title}{block} · {at}"


class NavTree(Tree):
    """The framework's sections, repeatable blocks and questions; a section's questions are added when it first
    opens (large frameworks open fast). Left and right (or Enter and space) close and open a section."""

    BINDINGS = [
        Binding("left", "collapse", N_("Close section"), id="tree.collapse", show=False),
        Binding("right", "expand", N_("Open section"), id="tree.expand", show=False),
    ]

    def __init__(self, session: Session, row: RowLine | None = None, **kw):
        super().__init__(Text(session.fw.title), **kw)
        self.session = session
        self.row = row
        """The line that shows the full text of the row at the cursor, while the tree has the focus."""
        self.nodes: dict[str, TreeNode] = {}
        """The tree node of each question added so far, by slot key."""
        self.containers: dict[tuple, TreeNode] = {}
        """The node of each section, by (section id, block id or None)."""
        self._followed: list[TreeNode] = []
        if row is not None:
            row.display = False

    def build(self) -> None:
        """The sections, each filled with its questions when it is first expanded."""
        self.clear()
        self.nodes, self.containers, self._followed = {}, {}, []
        for sec in self.session.fw.sections:
            self._place(self.root, sec, None)
        self.show_row()

    def _place(self, parent, sec, entity) -> None:
        if sec.repeat is not None and entity is None:
            blocks = self.session.entities(sec.id)
            node = parent.add(
                Text(f"{sec.title} ({count_of(sec.repeat.label, len(blocks))})"),
                data=("repeat", sec.id, None),
                expand=False,
            )
            self.containers[(sec.id, None)] = node
            for e in blocks:
                enode = node.add(Text(e.name), data=("entity", sec.id, e.id), expand=False)
                self.containers[(sec.id, e.id)] = enode
        else:
            self.containers[(sec.id, entity)] = parent.add(
                Text(sec.title), data=("section", sec.id, entity), expand=False
            )

    def fill(self, node: TreeNode[tuple]) -> None:
        """Add a section's (or a block's) questions and subsections under its node, once."""
        assert node.data is not None  # every node below the root carries its kind, section and block
        kind, sid, entity = node.data
        if kind == "repeat" or node.children:
            return
        sec = self.session.fw.all_sections[sid]
        for q in sec.questions:
            slot = Slot(q.id, entity)
            self.nodes[slot.key] = node.add_leaf(Text(slot_label(self.session, slot)), data=("slot", slot))
        for sub in sec.sections:
            self._place(node, sub, entity)

    @on(Tree.NodeExpanded)
    def expanded(self, event: Tree.NodeExpanded) -> None:
        """Fill a section's node with its questions the first time it is expanded."""
        if event.node.data and event.node.data[0] != "slot":
            self.fill(event.node)
        node = self.cursor()
        if node is not None:  # the rows below moved: the cursor stays on its row
            self.point(node)
        self.show_row()

    @on(Tree.NodeCollapsed)
    def collapsed(self, event: Tree.NodeCollapsed) -> None:
        """A closed section takes the cursor when it was inside it; elsewhere the cursor stays on its row."""
        at = node = self.cursor()
        while node is not None and node is not event.node:
            node = node.parent
        if node is event.node:
            self.point(event.node)
        elif at is not None:
            self.point(at)
        self.show_row()

    def cursor(self) -> TreeNode | None:
        """The node at the cursor, or None (also when the tree was built again since: that node is gone)."""
        node = self.cursor_node
        top = node
        while top is not None and top.parent is not None:
            top = top.parent
        return node if node is not None and top is self.root else None

    def point(self, node: TreeNode) -> None:
        """Move the cursor to a node (its sections open) and scroll it into view."""
        _ = self.last_line  # the lines are laid out again now, so the node's line is known
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    def _chain(self, slot: Slot) -> list[TreeNode] | None:
        """The nodes of the sections (and block) above a question, outermost first, or None when not in the tree."""
        fw = self.session.fw
        sids = []
        sid: str | None = fw.questions[slot.qid].section
        while sid is not None:
            sids.append(sid)
            sid = fw.all_sections[sid].parent
        chain = []
        for sid in reversed(sids):
            sec = fw.all_sections[sid]
            if sec.repeat is not None:
                chain.append(self.containers[(sid, None)])
            node = self.containers.get((sid, slot.entity if sec.within else None))
            if node is None:
                return None
            chain.append(node)
            self.fill(node)
        return chain

    def reveal(self, slot: Slot) -> TreeNode | None:
        """Expand the sections above a question, filling them as needed; its tree node."""
        for node in self._chain(slot) or []:
            node.expand()
        return self.nodes.get(slot.key)

    def follow(self, slot: Slot) -> None:
        """Point at the question shown: its sections open, those opened for the question shown before close
        (the tree stays short), the cursor on it, scrolled into view."""
        chain = self._chain(slot)
        if chain is None:
            return
        for node in reversed(self._followed):
            if node not in chain and node.is_expanded:
                node.collapse()
        for node in chain:
            if not node.is_expanded:
                node.expand()
        self._followed = chain
        target = self.nodes.get(slot.key)
        if target is not None:
            _ = self.last_line
            self.scroll_to_node(chain[-1], animate=False)  # its section's (or block's) row in view too, if it fits
            self.point(target)
        self.show_row()

    def relabel(self) -> None:
        """Redraw the labels whose status mark changed."""
        for key, node in self.nodes.items():
            entity, _slash, qid = key.rpartition("/")
            label = slot_label(self.session, Slot(qid, entity or None))
            if str(node.label) != label:
                node.set_label(Text(label))
        self.show_row()

    def repeat_context(self) -> tuple[str | None, str | None]:
        """(repeatable section id, block id) around the cursor, or (None, None)."""
        node = self.cursor()
        while node is not None and node.data is not None:
            if node.data[0] in ("repeat", "entity"):
                return node.data[1], node.data[2]
            node = node.parent
        return None, None

    # ------------------------------------------------------------------ keys
    def action_collapse(self) -> None:
        """Close the section at the cursor; on a question or a closed section, go to the section above."""
        node = self.cursor()
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
            self.point(node)
        elif node.parent is not None and node.parent is not self.root:
            self.point(node.parent)

    def action_expand(self) -> None:
        """Open the section at the cursor; on an open one, go to its first row."""
        node = self.cursor()
        if node is None or not node.allow_expand:
            return
        if not node.is_expanded:
            node.expand()
            self.point(node)
        elif node.children:
            self.point(node.children[0])

    # ------------------------------------------------------------------ the line under the tree
    def describe(self, node: TreeNode | None) -> Text:
        """The whole label of a row: a question's status in words and full text, a section's title, a block's
        name with what it is."""
        data = node.data if node is not None else None
        if not data:
            return Text("")
        kind = data[0]
        if kind == "slot":
            return Text(slot_words(self.session, data[1]))
        sec = self.session.fw.all_sections[data[1]]
        if kind == "repeat":
            assert sec.repeat is not None  # a repeat node is made for a repeatable section only
            n = len(self.session.entities(sec.id))
            return Text(f"{sec.title} — {count_of(sec.repeat.label, n)}")
        if kind == "entity":
            assert sec.repeat is not None
            said = _("{name} — {block} in {section}").format(
                name=self.session.block(data[2]).name, block=sec.repeat.label, section=sec.title
            )
            return Text(said)
        block = f" — {self.session.block(data[2]).name}" if data[2] else ""
        return Text(f"{sec.title}{block}")

    def show_row(self) -> None:
        """Write the full text of the row at the cursor on the line under the tree."""
        if self.row is not None and self.row.display:
            self.row.update(self.describe(self.cursor()))

    @on(Tree.NodeHighlighted)
    def highlighted(self, event: Tree.NodeHighlighted) -> None:
        """The line under the tree follows the cursor."""
        self.show_row()

    def on_focus(self, event: events.Focus) -> None:
        """Show the line under the tree while the tree has the focus."""
        if self.row is not None:
            self.row.display = True
            self.show_row()

    def on_blur(self, event: events.Blur) -> None:
        """Hide the line under the tree when the focus leaves it (the question pane shows its own text)."""
        if self.row is not None:
            self.row.display = False


class RowLine(Static):
    """The full text of the tree row at the cursor, under the tree and the question, while the tree has the
    focus (the tree cuts long labels at 80 columns)."""

    DEFAULT_CSS = """
    RowLine { height: auto; max-height: 3; padding: 0 1; background: $panel; color: $text; }
    """


def where_again(pane: QuestionPane | None, session: Session) -> None:
    """Write the question pane's where line again (after a rescore a condition may show or hide questions)."""
    if pane is not None:
        where = where_line(session, pane.slot)
        for line in pane.query(".where").results(Static):
            if line.content != where:  # as it was (most answers show or hide nothing): no layout pass
                line.update(where)
