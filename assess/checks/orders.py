"""Provides the checks of what depends on what: the order conditions and derived scores are evaluated in, and
the cycles that leave none (E211, E207)."""

from __future__ import annotations

from .context import Context, Where
from .names import inside_elsewhere, names_of, unknown_name


def toposort(deps: dict[str, list[str]]) -> tuple[list[str], list[str] | None]:
    """Order ids so that dependencies come first; return (order, a cycle or None). Iterative."""
    order: list[str] = []
    state: dict[str, int] = {}
    for start in deps:
        if state.get(start):
            continue
        stack = [(start, iter(deps.get(start, ())))]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif state.get(nxt) == 1:
                names = [n for n, _ in stack]
                return order, names[names.index(nxt) :] + [nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(deps.get(nxt, ()))))
    return order, None


def condition_deps(cx: Context, expr: str, path: Where, within: str | None) -> list[str]:
    """The questions a show_if condition names; other names are reported (E204, E210, E212)."""
    out = []
    for n in sorted(names_of(cx, expr, path) or ()):
        kind = cx.kinds.get(n)
        if kind is None:
            unknown_name(cx, n, path)
        elif kind != "question":
            cx.flag(path, "E210", name=n, kind=kind)
        elif not inside_elsewhere(cx, n, path, within):
            out.append(n)
    return out


def visibility_order(cx: Context) -> tuple[str, ...]:
    """Sections and questions, each after what its visibility depends on; a cycle is reported (E211)."""
    deps: dict[str, list[str]] = {}
    for sid, s in cx.sections.items():
        deps[sid] = [s.parent] if s.parent else []
        if s.show_if:
            deps[sid] += condition_deps(cx, s.show_if, s.path + ("show_if",), s.within)
    for qid, q in cx.questions.items():
        deps[qid] = [q.section]
        if q.show_if:
            deps[qid] += condition_deps(cx, q.show_if, q.path + ("show_if",), cx.within[qid])
    order, cycle = toposort(deps)
    if cycle:
        cx.add(cx.ids[cycle[0]] + ("show_if",), "E211", cycle=" -> ".join(cycle))
    return tuple(order)


def derived_order(cx: Context) -> tuple[str, ...]:
    """Derived scores, each after those it uses; unknown names (E204, E212) and a cycle (E207) are reported."""
    deps: dict[str, list[str]] = {}
    for x in cx.derived.values():
        path = x.path + ("expr",)
        deps[x.id] = []
        for n in sorted(names_of(cx, x.expr, path) or ()):
            kind = cx.kinds.get(n)
            if kind is None or kind == "rule":
                unknown_name(cx, n, path)
            elif inside_elsewhere(cx, n, path, None):
                pass
            elif kind == "derived":
                deps[x.id].append(n)
    order, cycle = toposort(deps)
    if cycle:
        cx.add(cx.ids[cycle[0]] + ("expr",), "E207", cycle=" -> ".join(cycle))
    return tuple(order)
