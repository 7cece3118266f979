"""Provides framework loading: YAML to a validated Framework, with every problem located."""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import json
import os
import re
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import cast

from . import schema
from .errors import AssessError, Problem, problem
from .expressions import FACTS, FUNCTIONS, RESERVED, ExpressionError, compile_expression, remember
from .model import (
    Band,
    Derived,
    Framework,
    Heatmap,
    Option,
    Policy,
    Question,
    Rating,
    Repeat,
    Rule,
    Scale,
    Section,
)
from .yamlsafe import Located, NumberError, number, parse, read_text

MAX_RANGE_OPTIONS = 1000
_SIMPLE = re.compile(r"^(?:([A-Za-z_]\w*)|(?:mean|min|max)\(([A-Za-z_]\w*(?:,[A-Za-z_]\w*)*)\))$")

BUILTIN_SCALES = {
    "yesno": {
        "title": "Yes / no",
        "options": [{"value": "no", "label": "No", "score": 0}, {"value": "yes", "label": "Yes", "score": 1}],
    },
    "yesno_unknown": {
        "title": "Yes / no / unknown",
        "options": [
            {"value": "no", "label": "No", "score": 0},
            {"value": "yes", "label": "Yes", "score": 1},
            {"value": "unknown", "label": "Unknown", "unknown": True},
        ],
    },
    "confidence": {
        "title": "Confidence",
        "options": [
            {"value": "low", "label": "Low", "score": 1},
            {"value": "medium", "label": "Medium", "score": 2},
            {"value": "high", "label": "High", "score": 3},
        ],
    },
}


def F(x) -> Fraction:
    """An exact Fraction from a YAML number (int or Decimal)."""
    return Fraction(x) if not isinstance(x, Fraction) else x


def content_hash(data) -> str:
    """'sha256:' and the hash of the canonical JSON form of loaded data."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_canon)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canon(v):
    if isinstance(v, (Decimal, Fraction)):
        return str(v)
    raise TypeError(type(v).__name__)


def load_framework(path: str | Path) -> tuple[Framework, list[Problem]]:
    """Load and check a framework file; return it with its warnings, or raise AssessError with every problem.

    A framework that passed every check is kept, built, in the user's cache folder under a hash of its
    path, its text and the code that built it, so the next load of the same file (opening the app on a
    1,000-question framework, say) skips parsing and checking; anything else in the cache is ignored."""
    text = read_text(path)
    key = _cache_key(str(path), text)
    cached = _cached(key)
    if cached is not None:
        return cached
    fw, warnings, expressions = _build(parse(text, str(path)))
    _keep(key, (fw, warnings, {e: compile_expression(e) for e in expressions}))
    return fw, warnings


CACHE_FILES = 64
"""Built frameworks kept in the cache; the least recently written go first."""
_CODE = ("model.py", "loader.py", "expressions.py", "bounds.py", "schema.py", "errors.py", "yamlsafe.py")


def _cache_folder() -> Path | None:
    if os.environ.get("ASSESS_NO_CACHE"):
        return None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("assess")) / "frameworks"


@functools.cache
def _code_digest() -> str:
    """What built a cached framework: Python, Jinja (the compiled conditions are code it generated), the
    code that builds frameworks and the schema; '' when it cannot be read (then nothing is cached)."""
    import sys

    import jinja2

    h = hashlib.sha256(f"{sys.version}\0{jinja2.__version__}\0".encode())
    here = Path(__file__).resolve().parent
    for code in _CODE:
        try:
            h.update((here / code).read_bytes())
        except OSError:
            return ""
    h.update(json.dumps(schema.schema("framework.schema.json"), sort_keys=True).encode())
    return h.hexdigest()


def _cache_key(name: str, text: str) -> str:
    code = _code_digest()
    return hashlib.sha256(f"{code}\0{name}\0{text}".encode("utf-8", "surrogateescape")).hexdigest() if code else ""


def _cached(key: str) -> tuple[Framework, list[Problem]] | None:
    folder = _cache_folder()
    if not key or folder is None:
        return None
    try:
        import pickle

        with open(folder / f"{key}.pickle", "rb") as fh:
            if not (_private(os.fstat(fh.fileno())) and _private(os.stat(folder))):
                return None  # a file someone else could have put there is never unpickled
            fw, warnings, compiled = pickle.load(fh)
        if not isinstance(fw, Framework):
            return None
        remember(compiled)  # its conditions and formulas, compiled: scoring needs no Jinja parser
        return fw, warnings
    except Exception:  # missing, unreadable or from another version of the code: build it again
        return None


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (where the system has owners)."""
    uid = getattr(os, "getuid", None)
    return uid is None or (st.st_uid == uid() and not st.st_mode & 0o022)


def _keep(key: str, result: tuple[Framework, list[Problem], dict]) -> None:
    folder = _cache_folder()
    if not key or folder is None:
        return
    import pickle
    import tempfile

    tmp = None
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if hasattr(os, "getuid") and folder.stat().st_uid == os.getuid():
            folder.chmod(0o700)  # also a folder made before with the umask's group write (0775)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / f"{key}.pickle")
        kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[CACHE_FILES:]:
            old.unlink(missing_ok=True)
    except Exception:  # the cache only saves time: a full disk or a read-only home never stops a load
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def framework_from_text(text: str, name: str = "<framework>") -> tuple[Framework, list[Problem]]:
    """Load and check a framework given as YAML text (used by tests and tools)."""
    return build(parse(text, name))


def build(located: Located) -> tuple[Framework, list[Problem]]:
    """Check located data against the schema, then build the model and check its cross-references."""
    fw, warnings, _ = _build(located)
    return fw, warnings


def _build(located: Located) -> tuple[Framework, list[Problem], set[str]]:
    """build(), and the expressions the framework holds."""
    if not isinstance(located.data, dict):
        raise AssessError([problem(located.file, (1, 1), "E010", found=schema.describe(located.data))])
    problems = schema.check(located, "framework.schema.json")
    if problems:
        raise AssessError(problems)
    b = _Builder(located)
    fw = b.build()
    errors = [p for p in b.problems if not p.is_warning]
    if errors:
        raise AssessError(sorted(b.problems, key=lambda p: (p.line, p.col)))
    return fw, [p for p in b.problems if p.is_warning], b.expressions


class _Builder:
    def __init__(self, located: Located):
        self.loc = located
        assert isinstance(located.data, dict)  # _build() checked it
        self.data: dict = located.data
        self.problems: list[Problem] = []
        self.ids: dict[str, tuple] = {}  # id -> path
        self.kinds: dict[str, str] = {}  # id -> question | section | derived
        self.questions: dict[str, Question] = {}
        self.sections: dict[str, Section] = {}
        self.within: dict[str, str | None] = {}  # question/section id -> repeat section id
        self.expressions: set[str] = set()  # every expression checked

    # ------------------------------------------------------------------ helpers
    def add(self, path, code, at_key=False, **fields):
        self.problems.append(problem(self.loc.file, self.loc.pos(path, key=at_key), code, **fields))

    def register(self, ident: str, kind: str, path: tuple):
        if ident in RESERVED or ident in FUNCTIONS or ident in FACTS:
            self.add(
                path + ("id",),
                "E208",
                where=schema.where(path + ("id",)),
                detail=f"'{ident}' is a reserved name in conditions; choose another id",
            )
        if ident in self.ids:
            first = self.loc.pos(self.ids[ident] + ("id",))[0]
            self.add(path + ("id",), "E201", id=ident, first=first)
            return
        self.ids[ident] = path
        self.kinds[ident] = kind

    # ------------------------------------------------------------------ build
    def build(self) -> Framework:
        d = self.data
        defaults = d.get("defaults", {})
        self.defaults = defaults
        self.direction = d.get("direction", "threat")
        self.scales = self.build_scales()
        self.ratings = self.build_ratings()
        sections = tuple(
            self.build_section(s, ("sections", i), None, self.direction, None) for i, s in enumerate(d["sections"])
        )
        derived = tuple(self.build_derived(x, ("derived", i)) for i, x in enumerate(d.get("derived", [])))
        self.derived = {x.id: x for x in derived}
        conf = d.get("confidence", {"scale": "confidence"})
        cscale = self.scales.get(conf["scale"])
        if cscale is None:
            self.unknown_scale(conf["scale"], ("confidence", "scale"))
        clow = None
        if cscale is not None and cscale.scores:
            clow = F(conf["low"]) if "low" in conf else min(cscale.scores)
        pol = d.get("policy", {})
        policy = Policy(**{k: pol[k] for k in ("unanswered", "not_applicable", "unknown") if k in pol})
        if d.get("rating") and d["rating"] not in self.ratings:
            self.unknown_rating(d["rating"], ("rating",))
        refs = tuple(d.get("references", ()))
        self.ref_ids = {r["id"] for r in refs}
        rules = tuple(self.build_rule(r, ("rules", i)) for i, r in enumerate(d.get("rules", [])))
        heatmaps = tuple(self.build_heatmap(h, ("heatmaps", i)) for i, h in enumerate(d.get("heatmaps", [])))
        vis_order = self.visibility_order()
        derived_order = self.derived_order()
        fw = Framework(
            id=d["id"],
            version=d["version"],
            title=d["title"],
            sections=sections,
            hash=content_hash(d),
            description=d.get("description", ""),
            precision=d.get("precision", 2),
            grading=d.get("grading", "4x4"),
            confidence_scale=cscale,
            confidence_low=clow,
            policy=policy,
            direction=self.direction,
            rating=d.get("rating"),
            scales=self.scales,
            derived=derived,
            ratings=self.ratings,
            rules=rules,
            authors=tuple(d.get("authors", ())),
            changelog=tuple(d.get("changelog", ())),
            references=refs,
            path=self.loc.file,
            questions=self.questions,
            all_sections=self.sections,
            visibility_order=vis_order,
            derived_order=derived_order,
            heatmaps=heatmaps,
        )
        ranges = self.check_ranges(fw)
        return replace(fw, ranges=ranges)

    def unknown_scale(self, name, path):
        self.add(path, "E202", scale=name, known=", ".join(self.scales) or "none")

    def unknown_rating(self, name, path):
        self.add(path, "E209", rating=name, known=", ".join(self.ratings) or "none")

    def build_scales(self) -> dict[str, Scale]:
        out = {}
        declared = self.data.get("scales", {})
        for sid, spec in {**BUILTIN_SCALES, **declared}.items():
            path = ("scales", sid) if sid in declared else None
            out[sid] = self.build_scale(sid, spec, path)
        return out

    def build_scale(self, sid, spec, path) -> Scale:
        opts: list[Option] = []
        if "range" in spec:
            r = spec["range"]
            lo, hi, step = F(r["min"]), F(r["max"]), F(r["step"])
            if hi <= lo:
                self.add(
                    path + ("range",),
                    "E208",
                    where=schema.where(path + ("range",)),
                    detail=f"max {r['max']} must be above min {r['min']}",
                )
            elif (hi - lo) / step > MAX_RANGE_OPTIONS:
                self.add(
                    path + ("range",),
                    "E208",
                    where=schema.where(path + ("range",)),
                    detail=f"more than {MAX_RANGE_OPTIONS} steps; use a number question instead",
                )
            elif ((hi - lo) / step).denominator != 1:
                self.add(
                    path + ("range", "step"),
                    "E208",
                    where=schema.where(path + ("range", "step")),
                    detail=f"step {r['step']} does not divide {r['min']}..{r['max']} evenly",
                )
            else:
                labels = {}
                for k, v in spec.get("labels", {}).items():
                    try:
                        labels[F(number(k.strip()))] = v
                    except NumberError as exc:
                        if exc.code != "E013":  # a number too long to use: say so, as for any number
                            self.add(path + ("labels", k), exc.code, at_key=True, **exc.fields)
                            continue
                        self.add(
                            path + ("labels", k),
                            "E208",
                            at_key=True,
                            where=schema.where(path + ("labels",)),
                            detail=f"label key '{k}' is not a number of the range",
                        )
                v = lo
                while v <= hi:
                    value = int(v) if v.denominator == 1 else v
                    label = labels.get(v)
                    opts.append(Option(value, f"{_num(v)} – {label}" if label else _num(v), v))
                    v += step
                if spec.get("unknown"):
                    opts.append(Option("unknown", "Unknown", None, "Not known: an intelligence gap.", True))
        else:
            seen = set()
            for i, o in enumerate(spec["options"]):
                opath = (path + ("options", i)) if path else None
                value = o["value"]
                if isinstance(value, (int, Decimal)):
                    value = F(value)
                    value = int(value) if value.denominator == 1 else value
                if value in seen and opath:
                    self.add(opath + ("value",), "E214", where=schema.where(path), value=o["value"])
                seen.add(value)
                score = o.get("score")
                if score is None and isinstance(value, (int, Fraction)) and not o.get("unknown"):
                    score = value
                opts.append(
                    Option(
                        value,
                        o.get("label", str(o["value"])),
                        F(score) if score is not None and not o.get("unknown") else None,
                        o.get("description", ""),
                        bool(o.get("unknown")),
                    )
                )
        return Scale(sid, spec.get("title", sid), tuple(opts), spec.get("description", ""))

    def build_ratings(self) -> dict[str, Rating]:
        out = {}
        for rid, spec in self.data.get("ratings", {}).items():
            path = ("ratings", rid)
            bands = tuple(
                Band(F(b["min"]), F(b["max"]), b["label"], b.get("colour", ""), b.get("description", ""))
                for b in spec["bands"]
            )
            for i, b in enumerate(bands):
                bpath = path + ("bands", i)
                if b.max <= b.min and not (i == len(bands) - 1 and b.max == b.min):
                    self.add(
                        bpath,
                        "E205",
                        where=schema.where(bpath),
                        detail=f"band '{b.label}' has max {_num(b.max)} not above min {_num(b.min)}",
                    )
                if i and b.min != bands[i - 1].max:
                    prev = bands[i - 1]
                    gap = "a gap" if b.min > prev.max else "an overlap"
                    self.add(
                        bpath + ("min",),
                        "E205",
                        where=schema.where(bpath),
                        detail=f"{gap} between '{prev.label}' (max {_num(prev.max)}) and '{b.label}' "
                        f"(min {_num(b.min)}); make each band's min equal the previous band's max",
                    )
            out[rid] = Rating(rid, bands, spec.get("title", rid))
        return out

    def build_section(
        self, s: dict, path: tuple, parent: str | None, parent_direction: str, within: str | None
    ) -> Section:
        sid = s["id"]
        self.register(sid, "section", path)
        # keep document order: parents before children; the placeholder is replaced below, once built
        self.sections.setdefault(sid, cast(Section, None))
        rep = None
        if "repeat" in s:
            r = s["repeat"]
            if within:
                self.add(
                    path + ("repeat",),
                    "E208",
                    at_key=True,
                    where=schema.where(path),
                    detail=f"repeatable sections cannot be nested (already inside '{within}')",
                )
            rep = Repeat(
                r.get("label", s["title"]), r.get("min", 0), r.get("max"), r.get("rank_by"), r.get("aggregate", "max")
            )
            if rep.max is not None and rep.max < rep.min:
                self.add(
                    path + ("repeat", "max"),
                    "E208",
                    where=schema.where(path + ("repeat",)),
                    detail=f"max {rep.max} is below min {rep.min}",
                )
            within = sid
        self.within[sid] = within
        if "rating" in s and s["rating"] not in self.ratings:
            self.unknown_rating(s["rating"], path + ("rating",))
        qs = tuple(
            self.build_question(q, path + ("questions", i), sid, within) for i, q in enumerate(s.get("questions", []))
        )
        agg = s.get("aggregate", "mean")
        direction = s.get("direction", parent_direction)
        subs = tuple(
            self.build_section(x, path + ("sections", i), sid, direction, within)
            for i, x in enumerate(s.get("sections", []))
        )
        sec = Section(
            id=sid,
            title=s["title"],
            questions=qs,
            sections=subs,
            description=s.get("description", ""),
            guidance=s.get("guidance", ""),
            aggregate=agg,
            normalize=bool(s.get("normalize", False)),
            direction=direction,
            weight=F(s.get("weight", 1)),
            rating=s.get("rating"),
            scored=s.get("scored", True),
            show_if=s.get("show_if"),
            repeat=rep,
            parent=parent,
            within=within,
            path=path,
        )
        self.sections[sid] = sec
        self.check_children(sec, s, path)
        if rep and rep.rank_by:
            target = rep.rank_by
            if self.within.get(target) != sid or self.kinds.get(target) not in ("section", "question"):
                self.add(path + ("repeat", "rank_by"), "E213", where=schema.where(path + ("repeat",)), name=target)
        return sec

    def check_children(self, sec: Section, spec: dict, path: tuple):
        children = [
            (q.weight, q.score_range, "weight" in q_spec, path + ("questions", i))
            for i, (q, q_spec) in enumerate(zip(sec.questions, spec.get("questions", []), strict=True))
            if q.scored
        ]
        children += [
            (x.weight, None, "weight" in x_spec, path + ("sections", i))
            for i, (x, x_spec) in enumerate(zip(sec.sections, spec.get("sections", []), strict=True))
            if x.scored
        ]
        if sec.aggregate != "weighted_mean":
            for _, _, has_weight, cpath in children:
                if has_weight:
                    self.add(cpath + ("weight",), "W004", where=schema.where(cpath), aggregate=sec.aggregate)
        elif children and all(w == 0 for w, *_ in children):
            self.add(
                path + ("aggregate",),
                "E208",
                where=schema.where(path),
                detail="every weight in this weighted_mean is 0; give at least one a positive weight",
            )
        ranges = {r for _, r, *_ in children if r is not None}
        if len(ranges) > 1 and not sec.normalize:
            txt = ", ".join(f"{_num(a)}..{_num(b)}" for a, b in sorted(ranges))
            self.add(path, "W003", where=schema.where(path), ranges=txt)

    def build_question(self, q: dict, path: tuple, section: str, within: str | None) -> Question:
        qid, qtype = q["id"], q["type"]
        self.register(qid, "question", path)
        self.within[qid] = within
        d = self.defaults
        opts: tuple[Option, ...] = ()
        scale_id = q.get("scale")
        if qtype == "yesno" and not scale_id and "options" not in q:
            scale_id = "yesno"
        if qtype in ("single", "multiple"):
            if ("options" in q) == bool(scale_id):
                self.add(
                    path,
                    "E208",
                    where=schema.where(path),
                    detail=f"a {qtype} choice question needs either 'options' or 'scale' (one of them)",
                )
        elif qtype in ("scale", "yesno"):
            if "options" in q:
                self.add(
                    path + ("options",),
                    "E208",
                    at_key=True,
                    where=schema.where(path),
                    detail=f"a {qtype} question takes its options from 'scale', not inline 'options'",
                )
            if not scale_id:
                self.add(path, "E101", key="scale", hint=f" to {schema.where(path)} (a scale question needs one)")
        else:
            for k in ("options", "scale"):
                if k in q:
                    self.add(
                        path + (k,),
                        "E208",
                        at_key=True,
                        where=schema.where(path),
                        detail=f"a {qtype} question has no '{k}'; remove it or change the type",
                    )
        if scale_id and qtype in ("single", "multiple", "scale", "yesno"):
            sc = self.scales.get(scale_id)
            if sc is None:
                self.unknown_scale(scale_id, path + ("scale",))
            else:
                opts = sc.options
        elif "options" in q:
            opts = self.build_scale(qid, {"options": q["options"]}, path).options
        if qtype == "scale" and opts and not any(o.score is not None for o in opts):
            self.add(
                path + ("scale",),
                "E208",
                where=schema.where(path),
                detail="a scale question needs options with numeric scores",
            )
        if qtype == "yesno" and opts and not {"yes", "no"} <= {o.value for o in opts}:
            self.add(
                path + ("scale",),
                "E208",
                where=schema.where(path),
                detail="a yesno question's scale needs the options 'yes' and 'no'",
            )
        default_scored = qtype in ("single", "multiple", "scale", "yesno")
        scored = q.get("scored", default_scored)
        lo = F(q["min"]) if "min" in q else None
        hi = F(q["max"]) if "max" in q else None
        if qtype != "number":
            for k in ("min", "max", "unit"):
                if k in q:
                    self.add(
                        path + (k,),
                        "E208",
                        at_key=True,
                        where=schema.where(path),
                        detail=f"'{k}' applies to number questions only",
                    )
        if lo is not None and hi is not None and hi <= lo:
            self.add(
                path + ("max",), "E208", where=schema.where(path), detail=f"max {q['max']} must be above min {q['min']}"
            )
        if scored and qtype == "number" and (lo is None or hi is None):
            self.add(
                path + ("scored",),
                "E208",
                where=schema.where(path),
                detail="a scored number question needs both 'min' and 'max', so its score can be compared",
            )
        if scored and qtype in ("text", "date"):
            self.add(path + ("scored",), "E208", where=schema.where(path), detail=f"a {qtype} answer cannot be scored")
        if qtype != "multiple":
            for k in ("multiple_score", "max_choices"):
                if k in q:
                    self.add(
                        path + (k,),
                        "E208",
                        at_key=True,
                        where=schema.where(path),
                        detail=f"'{k}' applies to multiple choice questions only",
                    )
        if scored and opts and qtype in ("single", "multiple", "yesno"):
            for o in opts:
                if o.score is None and not o.unknown:
                    self.add(path, "E215", where=schema.where(path), value=o.value)
                    break
        question = Question(
            id=qid,
            text=q["text"],
            type=qtype,
            section=section,
            guidance=q.get("guidance", ""),
            options=opts,
            scale=scale_id,
            min=lo,
            max=hi,
            unit=q.get("unit", ""),
            scored=bool(scored),
            multiple_score=q.get("multiple_score", "sum"),
            max_choices=q.get("max_choices"),
            required=q.get("required", d.get("required", False)),
            weight=F(q.get("weight", 1)),
            allow_na=q.get("allow_na", d.get("allow_na", False)),
            evidence=q.get("evidence", d.get("evidence", "none")),
            confidence=q.get("confidence", d.get("confidence", False)),
            justification=q.get("justification", d.get("justification", "none")),
            show_if=q.get("show_if"),
            path=path,
        )
        object.__setattr__(question, "range", question.compute_range())  # still being built: set once, here
        self.questions.setdefault(qid, question)
        return question

    def build_derived(self, x: dict, path: tuple) -> Derived:
        self.register(x["id"], "derived", path)
        if "rating" in x and x["rating"] not in self.ratings:
            self.unknown_rating(x["rating"], path + ("rating",))
        rng = None
        if "range" in x:
            rng = (F(x["range"][0]), F(x["range"][1]))
            if rng[1] <= rng[0]:
                self.add(
                    path + ("range",),
                    "E208",
                    where=schema.where(path + ("range",)),
                    detail="the range must be [lowest, highest]",
                )
        return Derived(
            x["id"],
            x["title"],
            x["expr"],
            x.get("description", ""),
            x.get("direction", self.direction),
            x.get("rating"),
            rng,
            path,
        )

    def build_rule(self, r: dict, path: tuple) -> Rule:
        self.register(r["id"], "rule", path)
        scope = r.get("scope")
        if scope is not None and (scope not in self.sections or self.sections[scope].repeat is None):
            self.add(
                path + ("scope",),
                "E208",
                where=schema.where(path + ("scope",)),
                detail=f"scope '{scope}' is not a repeatable section; name one, or remove 'scope'",
            )
        if r.get("source") and r["source"] not in self.ref_ids:
            self.add(
                path + ("source",),
                "E204",
                where=schema.where(path + ("source",)),
                name=r["source"],
                hint=f"; add it under 'references' (known: {', '.join(sorted(self.ref_ids)) or 'none'})",
            )
        if r.get("section") and r["section"] not in self.sections:
            self.add(
                path + ("section",),
                "E204",
                where=schema.where(path + ("section",)),
                name=r["section"],
                hint="; name a section id",
            )
        return Rule(
            r["id"],
            r["when"],
            r["priority"],
            r["finding"],
            r["action"],
            r["reference"],
            scope,
            r.get("source"),
            r.get("section"),
            tuple(r.get("recommendations", ())),
            path,
        )

    def build_heatmap(self, h: dict, path: tuple) -> Heatmap:
        self.register(h["id"], "heatmap", path)
        sec = self.sections.get(h["section"])
        if sec is None:
            self.add(
                path + ("section",),
                "E204",
                where=schema.where(path + ("section",)),
                name=h["section"],
                hint="; name a section id",
            )
        for axis in ("x", "y"):
            q = self.questions.get(h[axis])
            ok = q is not None and sec is not None and q.type in ("scale", "single") and _in_section(q, sec, self)
            if not ok:
                self.add(
                    path + (axis,),
                    "E208",
                    where=schema.where(path + (axis,)),
                    detail=f"'{h[axis]}' must be a scale or single choice question inside section '{h['section']}'",
                )
        if h.get("rating") and h["rating"] not in self.ratings:
            self.unknown_rating(h["rating"], path + ("rating",))
        return Heatmap(h["id"], h["title"], h["section"], h["x"], h["y"], h.get("rating"))

    # ------------------------------------------------------------------ expressions
    def names_of(self, expr: str, path: tuple) -> frozenset[str] | None:
        try:
            names = compile_expression(expr).names
            self.expressions.add(expr)
            return names
        except ExpressionError as exc:  # a refusal with a code of its own (a limit) says so; else it does not parse
            code, fields = (exc.code, exc.fields) if exc.code else ("E203", {"reason": exc})
            self.add(path, code, where=schema.where(path), **fields)
            return None

    def inside(self, name: str) -> str | None:
        """The repeatable section a question or section is inside of (not the repeatable section itself)."""
        w = self.within.get(name)
        return w if w and w != name else None

    def unknown_name(self, name, path):
        if name in FACTS:
            self.add(path, "E204", where=schema.where(path), name=name, hint="; it counts gaps and is for rules only")
            return
        close = difflib.get_close_matches(name, list(self.kinds), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; name a question, section or derived score"
        self.add(path, "E204", where=schema.where(path), name=name, hint=hint)

    def visibility_order(self) -> tuple[str, ...]:
        deps: dict[str, list[str]] = {}
        for sid, s in self.sections.items():
            deps[sid] = [s.parent] if s.parent else []
            if s.show_if:
                deps[sid] += self.condition_deps(s.show_if, s.path + ("show_if",), s.within)
        for qid, q in self.questions.items():
            deps[qid] = [q.section]
            if q.show_if:
                deps[qid] += self.condition_deps(q.show_if, q.path + ("show_if",), self.within[qid])
        order, cycle = _toposort(deps)
        if cycle:
            where_ = self.ids[cycle[0]] + ("show_if",)
            self.add(where_, "E211", cycle=" -> ".join(cycle))
        return tuple(order)

    def condition_deps(self, expr, path, within) -> list[str]:
        names = self.names_of(expr, path)
        out = []
        for n in sorted(names or ()):
            kind = self.kinds.get(n)
            if kind is None:
                self.unknown_name(n, path)
            elif kind != "question":
                self.add(path, "E210", where=schema.where(path), name=n, kind=kind)
            elif self.inside(n) and self.inside(n) != within:
                self.add(path, "E212", where=schema.where(path), name=n, repeat=self.inside(n))
            else:
                out.append(n)
        return out

    def derived_order(self) -> tuple[str, ...]:
        deps: dict[str, list[str]] = {}
        for x in self.derived.values():
            path = x.path + ("expr",)
            names = self.names_of(x.expr, path) or ()
            deps[x.id] = []
            for n in sorted(names):
                kind = self.kinds.get(n)
                if kind is None or kind == "rule":
                    self.unknown_name(n, path)
                elif self.inside(n):
                    self.add(path, "E212", where=schema.where(path), name=n, repeat=self.inside(n))
                elif kind == "derived":
                    deps[x.id].append(n)
        order, cycle = _toposort(deps)
        if cycle:
            self.add(self.ids[cycle[0]] + ("expr",), "E207", cycle=" -> ".join(cycle))
        return tuple(order)

    def check_rule_names(self, rules):
        for r in rules:
            path = r.path + ("when",)
            for n in sorted(self.names_of(r.when, path) or ()):
                if n in FACTS:
                    continue
                kind = self.kinds.get(n)
                if kind is None or kind == "rule":
                    self.unknown_name(n, path)
                elif self.inside(n) and self.inside(n) != r.scope:
                    self.add(path, "E212", where=schema.where(path), name=n, repeat=self.inside(n))

    # ------------------------------------------------------------------ ranges and ratings
    def check_ranges(self, fw: Framework):
        self.check_rule_names(fw.rules)
        pol = fw.policy
        zero = "zero" in (pol.unanswered, pol.not_applicable, pol.unknown)
        memo: dict[str, tuple | None] = {}

        def sec_range(s: Section):
            if s.id in memo:
                return memo[s.id]
            parts = []
            for q in s.questions:
                if q.scored and q.score_range and None not in q.score_range:
                    parts.append((Fraction(0), Fraction(1)) if s.normalize else q.score_range)
            for x in s.sections:
                if x.scored:
                    r = sec_range(x)
                    if r is not None:
                        parts.append((Fraction(0), Fraction(1)) if s.normalize else r)
            rng = None
            if parts:
                if s.aggregate == "sum":
                    rng = (
                        sum((min(a, Fraction(0)) for a, _ in parts), Fraction(0))
                        if zero
                        else sum((a for a, _ in parts), Fraction(0)),
                        sum((b for _, b in parts), Fraction(0)),
                    )
                elif s.aggregate == "product":
                    lo = hi = Fraction(1)
                    for a, b in parts:  # interval multiplication
                        products = (lo * a, lo * b, hi * a, hi * b)
                        lo, hi = min(products), max(products)
                    rng = (lo, hi)
                else:
                    rng = (min(a for a, _ in parts), max(b for _, b in parts))
                    if zero:
                        rng = (min(rng[0], Fraction(0)), rng[1])
                if s.repeat and s.repeat.aggregate == "sum":
                    rng = None  # grows with the number of blocks
            memo[s.id] = rng
            return rng

        for s in fw.all_sections.values():
            rating = fw.rating_for(s.rating)
            rng = sec_range(s)
            if rating and rng:
                self.cover(rating, rng, s.path + (("rating",) if s.rating else ()))
        self.derived_ranges = {}
        for xid in fw.derived_order:
            x = self.derived[xid]
            rating = fw.rating_for(x.rating)
            rng = self.derived_ranges[xid] = x.range or self.infer_range(x, memo)
            if rating and rng:
                self.cover(rating, rng, x.path + (("rating",) if x.rating else ()))
        return {**memo, **{k: v for k, v in self.derived_ranges.items() if v}}

    def infer_range(self, x: Derived, memo) -> tuple | None:
        """The range of a derived score that is a name, or mean/min/max of names: the hull of theirs."""
        m = _SIMPLE.match(x.expr.replace(" ", ""))
        if not m:
            return None
        rngs = [memo.get(n) or self.derived_ranges.get(n) for n in (m.group(1) or m.group(2)).split(",")]
        known = [r for r in rngs if r is not None]
        if len(known) < len(rngs):
            return None
        return (min(r[0] for r in known), max(r[1] for r in known))

    def cover(self, rating: Rating, rng, path):
        lo, hi = rating.bands[0].min, rating.bands[-1].max
        if lo > rng[0] or hi < rng[1]:
            self.add(
                path, "E206", where=schema.where(path), lo=_num(lo), hi=_num(hi), smin=_num(rng[0]), smax=_num(rng[1])
            )


def _in_section(q: Question, sec: Section, builder) -> bool:
    """Whether a question sits in a section or one of its subsections."""
    sid: str | None = q.section
    while sid is not None:
        if sid == sec.id:
            return True
        parent = builder.sections.get(sid)
        sid = parent.parent if parent is not None else None
    return False


def _num(v: Fraction) -> str:
    """A Fraction as a short decimal for messages and labels."""
    if v.denominator == 1:
        return str(v.numerator)
    d = Decimal(v.numerator) / Decimal(v.denominator)
    return format(d.normalize(), "f")


def _toposort(deps: dict[str, list[str]]) -> tuple[list[str], list[str] | None]:
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
