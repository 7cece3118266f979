"""Provides scoring: (Framework, Answers) -> Result, exact, with the inputs of every number."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from fractions import Fraction

from .errors import problem
from .expressions import FACTS, ExpressionError, Missing, compile_expression, namespace
from .model import (
    GAP_KINDS,
    PRIORITIES,
    Answer,
    Answers,
    Framework,
    Gap,
    HeatmapResult,
    Input,
    Question,
    QuestionResult,
    Recommendation,
    Result,
    Score,
    Section,
)

ZERO = Fraction(0)

Scope = tuple[str, str, str] | None
"""Where an answer or score belongs: None for the assessment, ("entity", section id, block id) for a block."""


def half_up(value: Fraction, places: int) -> str:
    """Round exactly, half away from zero, and format with the given number of decimals."""
    scale = 10**places
    n = abs(value) * scale
    q, r = divmod(n.numerator, n.denominator)
    if 2 * r >= n.denominator:
        q += 1
    sign = "-" if value < 0 and q else ""
    if places == 0:
        return f"{sign}{q}"
    return f"{sign}{q // scale}.{q % scale:0{places}d}"


def show(value, places: int) -> str:
    """A score for display: rounded half-up, or '-' when there is none."""
    if value is None or isinstance(value, Missing):
        return "-"
    return half_up(Fraction(value), places)


def _aggregate(how: str, items: list[tuple[Fraction, Fraction]]) -> Fraction | None:
    if not items:
        return None
    if how == "mean":
        return sum((s for s, _ in items), ZERO) / len(items)
    if how == "weighted_mean":
        total = sum((w for _, w in items), ZERO)
        return sum((s * w for s, w in items), ZERO) / total if total else None
    if how == "sum":
        return sum((s for s, _ in items), ZERO)
    if how == "min":
        return min(s for s, _ in items)
    if how == "product":
        out = Fraction(1)
        for s, _ in items:
            out *= s
        return out
    return max(s for s, _ in items)


_METHOD = {
    "mean": "mean",
    "weighted_mean": "weighted mean",
    "sum": "sum",
    "min": "lowest",
    "max": "highest",
    "product": "product",
}


class _Scorer:
    def __init__(self, fw: Framework, answers: Answers):
        self.fw = fw
        self.answers = answers
        self.places = fw.precision
        self.questions: list[QuestionResult] = []
        self.gaps: list[Gap] = []
        self.warnings: list = []
        self.coverage = dict.fromkeys(
            ("questions", "answered", "unanswered", "not_applicable", "unknown", "required_missing", "hidden"), 0
        )
        self.confidence: dict[str, int] = {}
        # per scope: question id -> (status, raw, contribution)
        self.state: dict[Scope, dict[str, tuple]] = {}
        self.values: dict[Scope, dict] = {}
        self.scores: dict[Scope, dict[str, Score]] = {}

    # ------------------------------------------------------------------ questions
    def question_state(self, q: Question, a: Answer | None, visible: bool):
        """(status, raw score, value for expressions)"""
        if not visible:
            return "hidden", None, None
        if a is None or not a.is_answered:
            return "unanswered", None, None
        if a.na:
            return "not_applicable", None, None
        v = a.value
        if q.type == "multiple":
            if not isinstance(v, list):
                return "unanswered", None, None
            chosen = [o for o in map(q.option, v) if o is not None]
            known = [o.score for o in chosen if o.score is not None]
            if not chosen or (not known and all(o.unknown for o in chosen)):
                return ("unknown" if chosen else "unanswered"), None, list(v)
            how = q.multiple_score
            raw = (
                Fraction(len(known))
                if how == "count"
                else sum(known, ZERO)
                if how == "sum"
                else max(known)
                if how == "max"
                else sum(known, ZERO) / len(known)
            )
            return "answered", raw, list(v)
        if q.type in ("single", "scale", "yesno"):
            o = q.option(v)
            if o is None:
                return "unanswered", None, None
            if o.unknown:
                return "unknown", None, o.value
            return "answered", o.score, o.value
        if q.type == "number":
            if not isinstance(v, (int, Fraction)):
                return "unanswered", None, None
            return "answered", (Fraction(v) if q.scored else None), Fraction(v)
        return "answered", None, v

    def contribution(self, q: Question, status: str, raw: Fraction | None) -> Fraction | None:
        if status == "answered":
            return raw
        if status == "hidden":
            return None
        treat = {
            "unanswered": self.fw.policy.unanswered,
            "not_applicable": self.fw.policy.not_applicable,
            "unknown": self.fw.policy.unknown,
        }[status]
        rng = q.score_range
        if treat == "exclude" or rng is None:
            return None
        return ZERO if treat == "zero" else rng[0] if treat == "lowest" else rng[1]

    def evaluate_visibility(self, scope, answers: dict[str, Answer], ids, base_ns, visible) -> dict:
        """Walk questions and sections in dependency order; return the expression values of visible answers."""
        fw = self.fw
        ns: Mapping[str, object]
        if base_ns is None:
            values = namespace({})
            ns = values
        else:
            values = {}
            ns = ChainMap(values, base_ns)
        state = self.state.setdefault(scope, {})
        for item in ids:
            q = fw.questions.get(item)
            if q is not None:
                vis = visible.get(q.section, True)
                if vis and q.show_if:
                    vis = self.condition(q.show_if, ns, q.path + ("show_if",))
                visible[item] = vis
                st, raw, value = self.question_state(q, answers.get(item), vis)
                state[item] = (st, raw, self.contribution(q, st, raw))
                if value is not None:
                    values[item] = value
            else:
                s = fw.all_sections[item]
                vis = visible.get(s.parent, True) if s.parent else True
                if vis and s.show_if:
                    vis = self.condition(s.show_if, ns, s.path + ("show_if",))
                visible[item] = vis
        self.visible_sections[scope] = visible
        return values

    def condition(self, expr: str, ns, path) -> bool:
        try:
            return compile_expression(expr).truth(ns)
        except ExpressionError as exc:
            self.warnings.append(problem(self.fw.path, None, "W006", where=".".join(map(str, path)), reason=exc))
            return False

    # ------------------------------------------------------------------ sections
    def section_score(self, s: Section, scope, entity_name=None) -> Score:
        fw = self.fw
        state = self.state[scope]
        visible = self.visible_sections[scope].get(s.id, True)
        inputs: list[Input] = []
        items: list[tuple[Fraction, Fraction]] = []
        for q in s.questions:
            if not q.scored:
                continue
            st, _, value = state.get(q.id, ("hidden", None, None))
            if value is not None and s.normalize:
                value = _normalize(value, q.score_range)
            counted = value is not None and visible
            inputs.append(Input(q.id, q.text, value, q.weight, st, counted))
            if counted:
                items.append((value, q.weight))
        for sub in s.sections:
            if not sub.scored:
                continue
            sc = self.scores.get(scope if sub.repeat is None else None, {}).get(sub.id)
            value = sc.value if sc else None
            sub_visible = self.visible_sections[scope].get(sub.id, True)
            if value is not None and s.normalize:
                value = _normalize(value, fw.ranges.get(sub.id))
            status = "hidden" if not sub_visible else ("scored" if value is not None else "no_score")
            counted = value is not None and visible and sub_visible
            inputs.append(Input(sub.id, sub.title, value, sub.weight, status, counted))
            if value is not None and counted:
                items.append((value, sub.weight))
        value = _aggregate(s.aggregate, items) if visible else None
        if s.aggregate == "product" and len(items) < len(inputs):
            value = None  # a product with a factor missing means nothing
        n_left = sum(1 for i in inputs if not i.counted)
        method = f"{_METHOD[s.aggregate]} of {len(items)} of {len(inputs)} inputs"
        if s.normalize:
            method += ", each mapped to 0..1 over its range"
        if n_left:
            method += (
                f"; {n_left} left out ("
                + ", ".join(sorted({i.status.replace("_", " ") for i in inputs if not i.counted}))
                + ")"
            )
        if not inputs:
            method = "not scored: no scored questions"
        if not visible:
            method = "hidden by its condition"
        return self.make_score(s.id, s.title, "section", value, method, inputs, s.rating, s.direction, scope)

    def make_score(self, sid, title, kind, value, method, inputs, rating_id, direction, entity=None) -> Score:
        rating = self.fw.rating_for(rating_id)
        band = rating.band(value) if rating and value is not None else None
        return Score(
            sid,
            title,
            kind,
            value,
            show(value, self.places),
            method,
            tuple(inputs),
            band.label if band else None,
            band.colour if band else None,
            direction,
            entity,
        )

    def score_sections(self, sections, scope, repeat_blocks: dict):
        """Post-order: children before parents. Repeatable sections aggregate their blocks."""
        for s in sections:
            if s.repeat is not None and scope is None:
                self.score_repeat(s, repeat_blocks)
                continue
            self.score_sections(s.sections, scope, repeat_blocks)
            self.scores.setdefault(scope, {})[s.id] = self.section_score(s, scope)

    def score_repeat(self, s: Section, repeat_blocks):
        blocks = self.answers.entities.get(s.id, [])
        rep = s.repeat
        assert rep is not None, "score_sections sends repeatable sections only"
        visible = self.visible_sections[None].get(s.id, True)
        inputs, items = [], []
        per_entity = self.entity_scores.setdefault(s.id, {})
        for e in blocks if visible else ():
            scope = ("entity", s.id, e.id)
            self.score_sections(s.sections, scope, repeat_blocks)
            sc = self.section_score(s, scope)
            self.scores.setdefault(scope, {})[s.id] = sc
            per_entity[e.id] = self.scores[scope]
            inputs.append(
                Input(
                    e.id,
                    e.name,
                    sc.value,
                    Fraction(1),
                    "scored" if sc.value is not None else "no_score",
                    sc.value is not None,
                )
            )
            if sc.value is not None:
                items.append((sc.value, Fraction(1)))
        how = "mean" if rep.aggregate == "weighted_mean" else rep.aggregate
        value = _aggregate(how, items)
        method = f"{_METHOD[how]} over {len(items)} of {len(blocks)} {rep.label} blocks"
        if not visible:
            method = "hidden by its condition"
        self.scores.setdefault(None, {})[s.id] = self.make_score(
            s.id, s.title, "section", value, method, inputs, s.rating, s.direction
        )

    # ------------------------------------------------------------------ run
    def run(self) -> Result:
        fw, ans = self.fw, self.answers
        self.entity_scores: dict = {}
        order = fw.visibility_order
        global_ids = [i for i in order if _within(fw, i) in (None, i)]
        self.visible_sections: dict = {}
        gvalues = self.evaluate_visibility(None, ans.answers, global_ids, None, {})
        gns = gvalues  # functions included
        # repeatable blocks: visibility inside each block sees the block first, then the global answers
        repeat_ids: dict[str, list[str]] = {}
        for i in order:
            w = _within(fw, i)
            if w and i != w:
                repeat_ids.setdefault(w, []).append(i)
        for sid, sec in fw.all_sections.items():
            if sec.repeat is None:
                continue
            for e in ans.entities.get(sid, []):
                scope = ("entity", sid, e.id)
                # the repeatable section itself is visible in a block iff it is visible globally
                start = {sid: self.visible_sections[None].get(sid, True)}
                self.values[scope] = self.evaluate_visibility(scope, e.answers, repeat_ids.get(sid, []), gns, start)
        self.scores[None] = {}
        self.score_sections(fw.sections, None, {})
        # derived scores over section scores, derived scores and answers
        score_ns = {k: v.value for k, v in self.scores[None].items() if v.value is not None}
        dns = ChainMap(score_ns, gns)
        derived = {}
        for xid in fw.derived_order:
            x = next(d for d in fw.derived if d.id == xid)
            expr = compile_expression(x.expr)
            try:
                value = expr.evaluate(dns)
            except ExpressionError as exc:
                self.warnings.append(problem(fw.path, None, "W006", where=f"derived {x.id}", reason=exc))
                value = None
            if isinstance(value, Missing) or not isinstance(value, (int, Fraction)) or isinstance(value, bool):
                value = None
            else:
                value = Fraction(value)
                score_ns[x.id] = value
            inputs = tuple(self.name_input(n, dns) for n in sorted(expr.names))
            derived[x.id] = self.make_score(
                x.id, x.title, "derived", value, f"computed as {x.expr}", inputs, x.rating, x.direction
            )
        self.collect_questions()
        self.gaps.sort(key=lambda g: GAP_KINDS.index(g.kind))
        recs = self.rules(score_ns, gns)
        heatmaps = {h.id: self.heatmap(h) for h in fw.heatmaps}
        return Result(
            heatmaps=heatmaps,
            framework=fw,
            answers=ans,
            questions=tuple(self.questions),
            sections=self.scores[None],
            entity_scores=self.entity_scores,
            derived=derived,
            rankings=self.rankings(),
            coverage=self.coverage,
            confidence=self.confidence,
            recommendations=recs,
            gaps=tuple(self.gaps),
            warnings=tuple(self.warnings),
        )

    def name_input(self, name, ns) -> Input:
        fw = self.fw
        v = ns.get(name)
        title = (
            fw.questions[name].text
            if name in fw.questions
            else fw.all_sections[name].title
            if name in fw.all_sections
            else next((d.title for d in fw.derived if d.id == name), name)
        )
        score = Fraction(v) if isinstance(v, (int, Fraction)) and not isinstance(v, bool) else None
        return Input(name, title, score, Fraction(1), "scored" if v is not None else "no_score", v is not None)

    def collect_questions(self) -> None:
        fw, ans = self.fw, self.answers
        low = fw.confidence_low
        conf_scale = fw.confidence_scale
        scopes: list[tuple] = [(None, None, ans.answers)]
        for sid, blocks in ans.entities.items():
            if sid in fw.all_sections and fw.all_sections[sid].repeat:
                scopes += [(("entity", sid, e.id), e, e.answers) for e in blocks]
        for scope, entity, answers in scopes:
            state = self.state.get(scope, {})
            for qid, (st, raw, _) in state.items():
                q = fw.questions[qid]
                a = answers.get(qid)
                eid = entity.id if entity else None
                ename = f" ({entity.name})" if entity else ""
                label = _label(q, a) if st in ("answered", "unknown") else ""
                norm = _normalize(raw, q.score_range) if raw is not None and q.score_range else None
                self.questions.append(
                    QuestionResult(
                        qid,
                        q.section,
                        st,
                        a.value if a else None,
                        label,
                        raw,
                        norm,
                        eid,
                        a.confidence if a else None,
                        len(a.sources) if a else 0,
                        q.required,
                    )
                )
                cov = self.coverage
                if st == "hidden":
                    cov["hidden"] += 1
                    continue
                cov["questions"] += 1
                cov[st] += 1
                if st == "unanswered" and q.required:
                    cov["required_missing"] += 1
                    self.gaps.append(
                        Gap("required_missing", qid, f"Required question not answered: {q.text}{ename}", eid)
                    )
                if st == "unknown":
                    self.gaps.append(
                        Gap("unknown", qid, f"Answered 'unknown' (intelligence gap): {q.text}{ename}", eid)
                    )
                if st == "answered" and q.confidence:
                    if a.confidence is None:
                        self.confidence["not stated"] = self.confidence.get("not stated", 0) + 1
                        self.gaps.append(Gap("no_confidence", qid, f"No confidence stated: {q.text}{ename}", eid))
                    else:
                        opt = (
                            next((o for o in conf_scale.options if o.value == a.confidence), None)
                            if conf_scale
                            else None
                        )
                        key = opt.label if opt else str(a.confidence)
                        self.confidence[key] = self.confidence.get(key, 0) + 1
                        if opt and opt.score is not None and low is not None and opt.score <= low:
                            self.gaps.append(
                                Gap("low_confidence", qid, f"Low confidence, rated {key}: {q.text}{ename}", eid)
                            )
                if st == "answered" and q.evidence != "none" and not a.sources:
                    self.gaps.append(Gap("no_sources", qid, f"No sources ({q.evidence}): {q.text}{ename}", eid))
                if st == "answered" and q.justification != "none" and not a.note.strip():
                    self.gaps.append(
                        Gap("no_justification", qid, f"No justification ({q.justification}): {q.text}{ename}", eid)
                    )
        for sid, sec in fw.all_sections.items():
            if sec.repeat and self.visible_sections[None].get(sid, True):
                n = len(ans.entities.get(sid, []))
                if n < sec.repeat.min:
                    self.gaps.append(
                        Gap(
                            "too_few_entities",
                            sid,
                            f"{sec.title}: {n} {sec.repeat.label} block(s), at least {sec.repeat.min} needed",
                        )
                    )

    def facts(self) -> dict[str | None, dict[str, int]]:
        """The FACTS rules may test, counted from the gaps in one pass: over the assessment (key None) and
        for each block (its id) that has any."""
        names = {kind: name for name, kind in FACTS.items()}
        counts: dict[str | None, dict[str, int]] = {None: dict.fromkeys(FACTS, 0)}
        for g in self.gaps:
            name = names.get(g.kind)
            if name is not None:
                counts[None][name] += 1
                if g.entity is not None:
                    counts.setdefault(g.entity, dict.fromkeys(FACTS, 0))[name] += 1
        return counts

    def rules(self, score_ns, gns) -> tuple[Recommendation, ...]:
        fw, ans = self.fw, self.answers
        out = []
        facts = self.facts()
        none = dict.fromkeys(FACTS, 0)
        global_ns = ChainMap(facts[None], score_ns, gns)
        for r in fw.rules:
            expr = compile_expression(r.when)
            targets: list[tuple[str | None, str | None, Mapping[str, object]]]
            if r.scope is None:
                targets = [(None, None, global_ns)]
            else:
                targets = []
                if self.visible_sections[None].get(r.scope, True):
                    for e in ans.entities.get(r.scope, []):
                        scope = ("entity", r.scope, e.id)
                        escores = {k: v.value for k, v in self.scores.get(scope, {}).items() if v.value is not None}
                        block_ns = ChainMap(facts.get(e.id, none), escores, self.values.get(scope, {}), global_ns)
                        targets.append((e.id, e.name, block_ns))
            for eid, ename, ns in targets:
                try:
                    fired = expr.truth(ns)
                except ExpressionError as exc:
                    self.warnings.append(problem(fw.path, None, "W006", where=f"rule {r.id}", reason=exc))
                    continue
                if fired:
                    shown = self.places
                    because = tuple(
                        (n, str(ns[n]) if n in FACTS else _show_value(ns.get(n), shown)) for n in sorted(expr.names)
                    )
                    finding, action = r.finding, r.action
                    if ename:
                        finding, action = finding.replace("{entity}", ename), action.replace("{entity}", ename)
                    out.append(
                        Recommendation(
                            r.id, r.priority, finding, action, r.reference, r.source, r.section, eid, ename, because
                        )
                    )
        out.sort(key=lambda x: PRIORITIES.index(x.priority))
        return tuple(out)

    def heatmap(self, h) -> HeatmapResult:
        fw = self.fw
        qx, qy = fw.questions[h.x], fw.questions[h.y]
        xs = [(o.label, o.score) for o in qx.options if o.score is not None]
        ys = [(o.label, o.score) for o in qy.options if o.score is not None]
        rating = fw.rating_for(h.rating) if h.rating else None
        colours = {}
        if rating:
            for i, (_, x_score) in enumerate(xs):
                for j, (_, y_score) in enumerate(ys):
                    band = rating.band(x_score * y_score)
                    if band and band.colour:
                        colours[(i, j)] = band.colour
        sec = fw.all_sections[h.section]
        within = sec.within
        places: list[tuple[Scope, str]]
        if within:
            places = [(("entity", within, e.id), e.name) for e in self.answers.entities.get(within, [])]
        else:
            places = [(None, self.answers.metadata.get("title") or fw.title)]
        cells: dict[tuple[int, int], list[str]] = {}
        for scope, name in places:
            state = self.state.get(scope, {})
            sx, sy = state.get(h.x), state.get(h.y)
            if not sx or not sy or sx[1] is None or sy[1] is None:
                continue
            i = next(k for k, (_, x_score) in enumerate(xs) if x_score == sx[1])
            j = next(k for k, (_, y_score) in enumerate(ys) if y_score == sy[1])
            cells.setdefault((i, j), []).append(name)
        return HeatmapResult(
            h,
            tuple(label for label, _ in xs),
            tuple(label for label, _ in ys),
            {k: tuple(v) for k, v in cells.items()},
            colours,
        )

    def rankings(self):
        fw, ans = self.fw, self.answers
        out = {}
        for sid, sec in fw.all_sections.items():
            if not sec.repeat or not sec.repeat.rank_by:
                continue
            target = sec.repeat.rank_by
            holder = fw.questions[target].section if target in fw.questions else target
            direction = fw.all_sections[holder].direction
            rows = []
            for e in ans.entities.get(sid, []):
                scope = ("entity", sid, e.id)
                if target in fw.questions:
                    st = self.state.get(scope, {}).get(target)
                    value = st[1] if st else None
                else:
                    sc = self.scores.get(scope, {}).get(target)
                    value = sc.value if sc else None
                rows.append((e.id, e.name, value))
            sign = -1 if direction == "threat" else 1
            scored = sorted((r for r in rows if r[2] is not None), key=lambda r: sign * r[2])
            ranked, prev, rank = [], None, 0
            for i, (eid, name, value) in enumerate(scored, 1):
                if value != prev:
                    rank, prev = i, value
                ranked.append((rank, eid, name, value))
            ranked += [(None, eid, name, None) for eid, name, v in rows if v is None]
            out[sid] = tuple(ranked)
        return out


def _within(fw: Framework, ident: str) -> str | None:
    q = fw.questions.get(ident)
    sec = fw.all_sections[q.section] if q is not None else fw.all_sections[ident]
    return sec.within


_NORMALIZED: dict[tuple, Fraction] = {}  # (value, low, high) -> normalized: the same few values come back each rescore


def _normalize(value: Fraction, rng) -> Fraction | None:
    if rng is None or rng[1] == rng[0]:
        return None
    key = (value, rng[0], rng[1])
    hit = _NORMALIZED.get(key)
    if hit is None:
        if len(_NORMALIZED) > 100_000:
            _NORMALIZED.clear()
        hit = _NORMALIZED[key] = (value - rng[0]) / (rng[1] - rng[0])
    return hit


def _label(q: Question, a: Answer | None) -> str:
    if a is None:
        return ""
    v = a.value
    if q.type == "multiple" and isinstance(v, list):
        return "; ".join((o.label if (o := q.option(x)) else str(x)) for x in v)
    if q.type in ("single", "scale", "yesno"):
        o = q.option(v)
        return o.label if o else str(v)
    if isinstance(v, Fraction):
        return half_up(v, 6).rstrip("0").rstrip(".")
    return "" if v is None else str(v) + (f" {q.unit}" if q.unit else "")


def _show_value(v, places) -> str:
    if v is None or isinstance(v, Missing):
        return "-"
    if isinstance(v, Fraction) or (isinstance(v, int) and not isinstance(v, bool)):
        return show(v, places)
    if isinstance(v, list):
        return ", ".join(map(str, v))
    return str(v)


def score(fw: Framework, answers: Answers) -> Result:
    """Score answers against a framework. Pure: reads nothing, writes nothing."""
    return _Scorer(fw, answers).run()
