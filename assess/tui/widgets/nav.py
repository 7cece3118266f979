"""Provides the question tree: sections, blocks and questions with their status marks, filled as they open."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...session import Session, Slot

MARKS = {"answered": "✔", "unanswered": "○", "required": "✖", "not_applicable": "∅", "unknown": "?", "hidden": "⊘"}


def slot_label(session: Session, slot: Slot) -> str:
    """The label of a question in the tree and the palette: its status mark and its text."""
    q = session.fw.questions[slot.qid]
    st = session.status(slot)
    mark = MARKS["required"] if st == "unanswered" and q.required else MARKS[st]
    return f"{mark} {q.text}"


class NavTree(Tree):
    """The framework's sections, repeatable blocks and questions; a section's questions are added when it first
    opens (large frameworks open fast)."""

    def __init__(self, session: Session, **kw):
        super().__init__(Text(session.fw.title), **kw)
        self.session = session
        self.nodes: dict[str, TreeNode] = {}
        """The tree node of each question added so far, by slot key."""
        self.containers: dict[tuple, TreeNode] = {}
        """The node of each section, by (section id, block id or None)."""

    def build(self) -> None:
        """The sections, each filled with its questions when it is first expanded."""
        self.clear()
        self.nodes, self.containers = {}, {}
        for sec in self.session.fw.sections:
            self._place(self.root, sec, None)

    def _place(self, parent, sec, entity) -> None:
        if sec.repeat is not None and entity is None:
            blocks = self.session.entities(sec.id)
            node = parent.add(
                Text(f"{sec.title} ({len(blocks)} {sec.repeat.label})"), data=("repeat", sec.id, None), expand=False
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

    def reveal(self, slot: Slot) -> TreeNode | None:
        """Expand the sections above a question, filling them as needed; its tree node."""
        fw = self.session.fw
        chain = []
        sid: str | None = fw.questions[slot.qid].section
        while sid is not None:
            chain.append(sid)
            sid = fw.all_sections[sid].parent
        for sid in reversed(chain):
            sec = fw.all_sections[sid]
            if sec.repeat is not None:
                self.containers[(sid, None)].expand()
            node = self.containers.get((sid, slot.entity if sec.within else None))
            if node is None:
                return None
            self.fill(node)
            node.expand()
        return self.nodes.get(slot.key)

    def relabel(self) -> None:
        """Redraw the labels whose status mark changed."""
        for key, node in self.nodes.items():
            entity, _, qid = key.rpartition("/")
            label = slot_label(self.session, Slot(qid, entity or None))
            if str(node.label) != label:
                node.set_label(Text(label))

    def repeat_context(self) -> tuple[str | None, str | None]:
        """(repeatable section id, block id) around the cursor, or (None, None)."""
        node = self.cursor_node
        while node is not None and node.data is not None:
            if node.data[0] in ("repeat", "entity"):
                return node.data[1], node.data[2]
            node = node.parent
        return None, None
