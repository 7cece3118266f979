"""Provides what is generated from the shipped JSON Schemas: the format reference page (frameworks/FORMAT.md)
and the module of the format's vocabularies (assess/vocabulary.py)."""

from __future__ import annotations

import json
import sys
import textwrap

from .errors import MESSAGES, WARNINGS
from .expressions import FACTS, FILTERS, FUNCTIONS, TESTS
from .schema import schema

INTRO = """\
# Format reference

Generated from `frameworks/framework.schema.json` and `frameworks/answers.schema.json` by
`python -m assess.reference > frameworks/FORMAT.md`; a test fails when this page and the schemas disagree.
Every field below is checked by `assess validate`; problems are reported as `FILE:LINE:COL: message [CODE]`.

A framework is a YAML file named `<id>.yaml`. Only `true` and `false` are booleans: `yes`, `no`, `on` and
`off` stay text, as option values usually mean them. Anchors and aliases (`&x`, `*x`) are refused, and so
are duplicate keys, several documents in one file, and nesting deeper than 64 levels.
"""

EXAMPLE = """\
## A complete small framework

```yaml
id: sanctions-check
version: 1.0.0
title: Sanctions coherence quick check
description: Do the sanctions regime and the mission pull in the same direction?
precision: 2
grading: 4x4
defaults: {required: true, confidence: true, evidence: recommended}
references:
  - {id: nupi_brief, title: "Preventing Organized Crime (NUPI Policy Brief 7/2020)", year: 2020}
scales:
  lvl:
    options:
      - {value: none, label: None, score: 0}
      - {value: partial, label: Partial, score: 1}
      - {value: full, label: Full, score: 2}
      - {value: unknown, label: Unknown, unknown: true}
ratings:
  coherence:
    bands:
      - {min: 0, max: 1, label: Weak, colour: "#E8605A"}
      - {min: 1, max: 1.5, label: Partial, colour: "#FFFFBF"}
      - {min: 1.5, max: 2, label: Strong, colour: "#4A90C8"}
direction: resilience
sections:
  - id: regime
    title: Sanctions regime
    rating: coherence
    questions:
      - id: regime_in_force
        text: Is a UN sanctions regime in force for the country?
        type: yesno
        scored: false
      - id: criteria_cover_crime
        text: Do the listing criteria cover trafficking and organized crime?
        type: scale
        scale: lvl
        show_if: "regime_in_force == 'yes'"
        guidance: |
          Read the resolution's designation criteria. Look for explicit language on
          trafficking, illicit exploitation of natural resources, or organized crime.
  - id: armed_groups
    title: Armed groups
    repeat: {label: armed group, min: 1, rank_by: armed_groups}
    rating: coherence
    questions:
      - {id: listed, text: Are the group's leaders listed?, type: scale, scale: lvl}
      - {id: trend, text: "Is the group's hold on the trade rising, stable or falling?", type: scale,
         scale: trajectory, scored: false, required: false}
  - include: key_judgements
derived:
  - {id: overall, title: Overall coherence, expr: "mean(regime, armed_groups)", rating: coherence}
rules:
  - id: criteria_gap
    when: "criteria_cover_crime == 'none'"
    priority: high
    finding: The listing criteria do not cover trafficking or organized crime.
    action: Advocate listing criteria on trafficking, through UN Headquarters and the panel of experts.
    addressee: un_hq
    reference: NUPI brief, recommendation 1 (coherence between sanctions and peace operations)
    source: nupi_brief
    section: regime
    recommendations: [nupi_1]
    see_also: [unu_3a]
  - id: unlisted_group
    scope: armed_groups
    when: "listed == 'none'"
    priority: medium
    finding: "{entity} has no listed leader."
    action: Share evidence on {entity} with the panel of experts.
    addressee: jmac
    reference: NUPI brief, recommendation 1
```
"""

RULES = """\
## Conditions, rules and derived scores

`show_if`, `when` and `expr` are single-line expressions in Jinja2 expression syntax, evaluated in a
sandbox; they are checked when the framework is validated, so a typo is reported at its line:col.

- A **question id** stands for its answer's value: the option value (`'high'`), a list of values for
  multiple choice, a number, a date (`'2026-10-31'`) or text. Unanswered, not-applicable and hidden
  answers are *missing*.
- A **section id** or **derived id** stands for its score (exact, unrounded).
- Inside a repeatable section (its questions' `show_if`, and rules with `scope:`), names refer to the
  block's own answers and scores first, then to the rest of the framework.
- Operators: `== != < <= > >=`, `in`, `not in`, `and`, `or`, `not`, `+ - * / // % **`, `x if c else y`,
  list literals `['a', 'b']`. Numbers are exact: `0.1 + 0.2 == 0.3` is true.
- Functions: {functions}. Each leaves missing values out, e.g. `mean(markets, actors)`;
  `wmean(markets, 2, actors, 1)` is the mean weighted 2:1 that leaves out a missing score with its weight
  (and a pair whose weight is missing). Functions take numbers: section and derived scores, number
  answers; a choice question's name stands for its option value, not its score.
- Rules (and only rules) may also test what the assessment lacks: {facts} count the answers
  `unknown`, answered with low confidence, without the sources their question asks for (`evidence:
  required` or `recommended`), the required questions still open, the answers with exactly one source where
  their question asks for evidence, and the answers whose sources are all low-graded (4x4: reliability C or
  X, or credibility 4; admiralty: D, E, F, or 4, 5, 6), over the whole assessment, or over the block for a rule with `scope:`. For example
  `when: "unknown_answers >= 3"` with `scope: groups` fires for each group profiled mostly by guesswork.
- Tests: {tests} (e.g. `q is defined` is true when `q` is answered). Filters: {filters}.
- **Three-valued logic**: a comparison with a missing answer is *unknown*, not false; `not unknown` is
  unknown; `unknown and false` is false; `unknown or true` is true. A rule fires and a question shows only
  when its condition is *known to be true*. So `x < 4` and `not (x < 4)` both stay silent while `x` is
  unanswered: gaps are reported as gaps, not as findings. The same holds for `'unknown'` chosen on a numeric
  scale: `x >= 7` is unknown when `x` is `'unknown'` (and `x == 'unknown'` is true).
- Attribute and item access (`.`, `[]`), other functions and filters, and runaway values (exponents above
  64, text over 10,000 characters) are refused.

## Scoring

- A question's score is its option's `score` (a range scale: the value itself), a number answer
  (when `scored: true`), or for multiple choice the `sum` (default), `max`, `mean` or `count` of the chosen
  options. Text and date answers are never scored. A choice question with `scored: false` is asked and
  reported, and usable in conditions, but does not count.
- A section's score aggregates its scored questions and subsections by `aggregate`: `mean` (default),
  `weighted_mean` (by `weight`), `sum`, `min`, `max`, `product` (e.g. likelihood × impact). With
  `normalize: true` each input is first mapped to 0..1 over its own range.
- Unanswered, not-applicable and `unknown` answers are **left out** by default (the mean is over what was
  answered, and the explanation says how many were left out). `policy` may count them as `zero`, or as the
  scale's `lowest` or `highest` score instead.
- A repeatable section scores each block, then combines the blocks by `repeat.aggregate` (default `max`:
  the gravest entity); `rank_by` ranks the blocks, gravest first (highest first for `threat`, lowest
  first for `resilience`), ties sharing a rank, unscored blocks last.
- All arithmetic is exact (fractions). Scores are rounded only for display, half away from zero, to
  `precision` decimals: a published index recomputed from its indicators comes out to the last digit.
- Ratings: a score falls in the band with `min <= score < max` (the last band includes its `max`).
  Bands must be ascending, contiguous, and cover every score they rate.
"""

RESULT = """\
## Result JSON (`assess score --format json`)

Stable keys, in this order (format `assess-result/1`):

| key | content |
|---|---|
| `format` | `"assess-result/1"` |
| `framework` | `id`, `version`, `hash`, `title` |
| `assessment` | `id` and `metadata` of the answers file |
| `complete` | false when a required visible question is unanswered or a repeatable section has fewer blocks than `min` |
| `precision` | decimals used for `score` and `display` |
| `sections`, `derived` | one object per score: `id`, `title`, `score` (rounded number), `exact` (fraction as text, e.g. `"689/100"`), `range` (`[low, high]` rounded: the score with the answers marked unknown counted at their scale's lowest and highest score; `null` unless the policy leaves unknowns out and they move this score), `range_exact` (the same as fractions), `display` (rounded text), `rating`, `colour`, `direction`, `method` (how it was computed, in words), `inputs` (each `id`, `title`, `score`, `exact`, `weight`, `status`, `counted`) |
| `entities` | per repeatable section, its blocks: `id`, `name`, `rank`, `score`, `range`, `sections` (scores as above) |
| `rankings` | per repeatable section: `rank`, `id`, `name`, `score`, `range` (of the score ranked by, as above), gravest first |
| `coverage` | `questions` (visible), `answered`, `unanswered`, `not_applicable`, `unknown`, `required_missing`, `hidden` |
| `confidence` | count of answers per confidence label, and `not stated` |
| `recommendations` | by priority: `rule`, `priority`, `finding`, `action`, `reference`, `source`, `section`, `entity`, `entity_name`, `because` (each name in the condition and its value), `addressee` (the rule's, an id of the addressee vocabulary, or `null`), `support` (what the answers the condition names rest on, counting those that ask for evidence: `""` two or more sources not all low-graded, `"single"` at most one source, `"low"` every source low-graded) |
| `gaps` | `kind` (required_missing, too_few_entities, unknown, no_sources, no_justification, low_confidence, no_confidence), `id`, `entity`, `message` |
| `questions` | every question of every block: `id`, `section`, `entity`, `status` (answered, unanswered, not_applicable, unknown, hidden), `value`, `label`, `score`, `normalized`, `confidence`, `sources`, `grades` (each source's `[reliability, credibility]`, `""` where not graded), `required` |
| `grades` | per top-level section id: `sources`, `answers` (answered questions), `unsourced` (answered without a source), and the count of sources at each reliability letter and credibility digit of the framework's grading |
| `requirements` | the collection plan: one per shown, scored question of weight at least `collection.min_weight` answered unknown or with low confidence, in framework order (blocks in order): `number` (IR-1 is 1), `id` (`question`, or `section/block/question`), `question`, `entity`, `entity_name`, `section` (top-level section title), `what`, `why` (in words: the gap, the score it weighs on and, for an unknown, its range), `status` (`unknown`, `low_confidence`), `collectors` (labels) |
| `heatmaps` | per heat map: `title`, `x`, `y` (question or section ids), `x_labels`, `y_labels` (lowest first), `cells` (each `x`, `y` index, `names` placed there, `colour`) |
| `warnings` | problems that did not stop scoring, as printed |

`--format csv` writes one row per question (and per question of each block): assessment, framework,
version, section, entity, entity_name, question, text, status, value, label, score, normalized, weight,
required, confidence, sources.
"""


def _type(prop: dict, defs: dict) -> str:
    if "$ref" in prop:
        name = prop["$ref"].split("/")[-1]
        target = defs[name]
        if target.get("type") == "object" or "oneOf" in target:
            return f"[{name}](#{name})"
        return _type(target, defs)
    if "anyOf" in prop and "type" not in prop:
        return " or ".join(_type(alt, defs) for alt in prop["anyOf"])
    if "if" in prop and "then" in prop and "else" in prop:
        return f"{_type(prop['else'], defs)} or {_type(prop['then'], defs)}"
    if "enum" in prop:
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    t = prop.get("type", "any")
    if isinstance(t, list):
        t = " or ".join(t)
    if t == "array":
        return f"list of {_type(prop.get('items', {}), defs)}"
    if t == "object" and "additionalProperties" in prop and isinstance(prop["additionalProperties"], dict):
        return f"mapping of id to {_type(prop['additionalProperties'], defs)}"
    if "pattern" in prop and "x-hint" in prop:
        return f"{t} (pattern)"
    return t


def _table(obj: dict, defs: dict) -> list[str]:
    required = set(obj.get("required", ()))
    rows = ["| field | type | required | description |", "|---|---|---|---|"]
    for name, prop in obj.get("properties", {}).items():
        desc = prop.get("description") or defs.get(prop.get("$ref", "").split("/")[-1], {}).get("description", "")
        if "default" in prop:
            desc += f" Default: `{prop['default']}`."
        if "examples" in prop:
            desc += " Example: `" + "`, `".join(str(e) for e in prop["examples"]) + "`."
        rows.append(f"| `{name}` | {_type(prop, defs)} | {'yes' if name in required else ''} | {desc} |")
    return rows


VERSIONS = """## Versions

A framework's `version` is semantic (x.y.z) and `assess diff OLD NEW --check-version` checks a change against
this policy (a framework team can run it in CI):

| bump | when |
|---|---|
| major | an existing answer can become invalid or a score or rating changes meaning: a question, option or section removed or renamed (even with a declared migration); a question's type, scale or option values changed, its range narrowed, or it moved to another section; an option's score; a weight, aggregate, normalize, direction, scored or show_if; a derived score's expression or range; rating band bounds; the policy, precision, headline or cutoff |
| minor | something is added (a question, option, section, derived score, rating, rule, heat map, migration entry); a rule's condition, priority, scope, addressee or links change; a range widened; `required` added |
| patch | text only: titles, question text, guidance, descriptions, labels, short labels, a rule's finding, action and reference, the changelog, authors, references, band labels and colours |

`migrations` (see its fields above) says how answers made for an earlier version move to this one:
`assess migrate` applies the steps in order, over several versions, and keeps aside what cannot move."""


def render() -> str:
    """The text of frameworks/FORMAT.md: the framework and answers fields, the expression rules, the result JSON and
    the message table."""
    fw = schema("framework.schema.json")
    defs = fw["$defs"]
    out = [INTRO, EXAMPLE, "## Framework fields", "", "### framework (top level)", "", fw["description"], ""]
    out += _table(fw, defs)
    for name in (
        "scale",
        "option",
        "section",
        "include",
        "question",
        "repeat",
        "table",
        "table_header",
        "derived",
        "rating",
        "band",
        "rule",
        "heatmap",
        "migration",
        "question_migration",
        "value_map",
        "section_migration",
        "scale_migration",
        "removal",
        "reference",
        "change",
        "confidence",
        "policy",
        "collection",
        "defaults",
        "translation",  # a language's block (issue 18), then what it holds for each kind
        *(k for k in defs if k.endswith("_translation")),
    ):
        d = defs[name]
        out += ["", f"### {name}", ""]
        if d.get("description"):
            out += [d["description"], ""]
        out += _table(d, defs)
        if name == "scale":
            out += ["", "Range sub-fields:", ""] + _table(d["properties"]["range"], defs)
    out += ["", VERSIONS]
    out += [
        "",
        RULES.format(
            functions=", ".join(f"`{f}`" for f in FUNCTIONS),
            facts=", ".join(f"`{f}`" for f in FACTS),
            tests=", ".join(f"`{t}`" for t in TESTS),
            filters=", ".join(f"`{f}`" for f in FILTERS),
        ),
    ]
    ans = schema("answers.schema.json")
    adefs = ans["$defs"]
    out += [
        "## Answers files",
        "",
        ans["description"] + " Written by `assess new` and the app; every save is",
        "atomic (a temporary file, fsync, rename) and guarded by a lock file `.NAME.lock` beside it.",
        "",
    ]
    out += _table(ans, adefs)
    for key in ("framework", "metadata", "predecessor"):
        out += ["", f"### answers: {key}", ""] + _table(ans["properties"][key], adefs)
    for name in ("answer", "source", "entity", "event", "follow_up", "kept_aside"):
        out += ["", f"### answers: {name}", ""] + _table(adefs[name], adefs)
    out += ["", RESULT, "## Messages", "", "| code | message |", "|---|---|"]
    bar = "\\|"
    out += [f"| {code} | {text.replace('|', bar)} |" for code, text in {**MESSAGES, **WARNINGS}.items()]
    return "\n".join(out).rstrip() + "\n"


VOCABULARY_HEAD = '''\
"""Provides the framework format's vocabularies: each enum of frameworks/framework.schema.json, as a type and a tuple.

Generated by `python -m assess.reference --vocabulary > assess/vocabulary.py` from the schema, the one source of
the format; do not edit (tests/test_reference.py checks it is current).
"""

from __future__ import annotations

from typing import Literal
'''


def vocabularies() -> dict[str, tuple[str, ...]]:
    """Every enum defined under the framework schema's $defs, by definition name, in schema order."""
    defs = schema("framework.schema.json")["$defs"]
    return {name: tuple(d["enum"]) for name, d in defs.items() if "enum" in d}


def _plural(name: str) -> str:
    return name[:-1] + "ies" if name.endswith("y") else name + "s"


def render_vocabulary() -> str:
    """The text of assess/vocabulary.py: for each enum of the schema, a Literal type and a tuple of its values."""
    defs = schema("framework.schema.json")["$defs"]
    blocks = []
    for name, values in vocabularies().items():
        kind = "".join(part.capitalize() for part in name.split("_"))
        items = ", ".join(json.dumps(v) for v in values)
        doc = textwrap.fill(f"{defs[name]['description']} (schema: $defs/{name})", 114)
        tuple_head = f"{_plural(name).upper()}: tuple[{kind}, ...] = "
        literal, values_tuple = f"Literal[{items}]", f"({items})"
        if len(tuple_head) + len(values_tuple) > 120:  # one value a line, as ruff format writes a long one
            lines = "".join(f"    {json.dumps(v)},\n" for v in values)
            literal, values_tuple = f"Literal[\n{lines}]", f"(\n{lines})"
        blocks.append(
            f"{kind} = {literal}\n"
            + (f'"""{doc}"""\n' if "\n" not in doc else f'"""{doc}\n"""\n')
            + f"{tuple_head}{values_tuple}\n"
        )
    return VOCABULARY_HEAD + "\n" + "\n".join(blocks)


if __name__ == "__main__":
    sys.stdout.write(render_vocabulary() if sys.argv[1:] == ["--vocabulary"] else render())
