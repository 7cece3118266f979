"""Tests assess diff: each kind of change with its effect and the bump the version policy asks, declared migrations
shown as renames and remaps, the version check's exit codes, the three formats, hostile text, and the changes that
touch one assessment."""

from __future__ import annotations

import json

import pytest

from assess.answers import answers_from_text
from assess.cli import main
from assess.diff import Change, Diff, affecting, diff, version_bump
from assess.diffview import check, to_markdown, to_text
from assess.errors import MESSAGES

from conftest import fw

BASE = """\
id: t
version: 1.0.0
title: T
scales:
  lvl:
    title: Level
    options:
      - {value: low, label: Low, score: 1}
      - {value: high, label: High, score: 3}
ratings:
  r3:
    bands:
      - {min: 0, max: 2, label: Low, colour: "#4A90C8"}
      - {min: 2, max: 10, label: High, colour: "#E8605A"}
sections:
  - id: s
    title: S
    rating: r3
    questions:
      - {id: q1, text: First, type: single, options: [{value: a, label: Alpha, score: 1}, {value: b, label: Beta, score: 2}]}
      - {id: q2, text: Second, type: scale, scale: lvl}
      - {id: n, text: Count, type: number, min: 0, max: 10}
  - id: u
    title: U
    questions:
      - {id: q3, text: Third, type: yesno}
derived:
  - {id: d, title: D, expr: "s + 1"}
rules:
  - {id: r, when: "q1 == 'a'", priority: high, finding: F, action: A, reference: R, addressee: jmac}
"""


def edited(*pairs: tuple[str, str], text: str = BASE) -> str:
    """BASE with each (old, new) replaced once; fails when old is not there (the test would test nothing)."""
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def changes(*pairs: tuple[str, str]) -> list[Change]:
    """The changes from BASE to BASE edited."""
    return diff(fw(BASE), fw(edited(*pairs))).changes


def one(*pairs: tuple[str, str]) -> Change:
    """The one change from BASE to BASE edited."""
    found = changes(*pairs)
    assert len(found) == 1, found
    return found[0]


def test_the_same_framework_has_no_changes_and_needs_no_bump():
    d = diff(fw(BASE), fw(BASE))
    assert d.changes == [] and d.required() == "none" and d.declared() == "none"
    assert to_text(d) == "t 1.0.0 → 1.0.0: declared none, required none\nno changes\n"
    assert check(d)[0]


@pytest.mark.parametrize(
    ("pairs", "kind", "id", "change", "field", "effect", "bump"),
    [
        # text only: patch
        ([("text: First", "text: The first")], "question", "q1", "changed", "text", "text", "patch"),
        ([("label: Alpha", "label: A")], "option", "q1/a", "changed", "label", "text", "patch"),
        ([("title: Level", "title: Levels")], "scale", "lvl", "changed", "title", "text", "patch"),
        ([("title: S\n", "title: Section S\n")], "section", "s", "changed", "title", "text", "patch"),
        ([("action: A,", "action: Act,")], "rule", "r", "changed", "action", "text", "patch"),
        ([("label: High, colour", "label: Raised, colour")], "rating", "r3", "changed", "band 2–10 label", "text",
         "patch"),
        ([('"#E8605A"', '"#D73027"')], "rating", "r3", "changed", "band 2–10 colour", "text", "patch"),
        ([("title: D,", "title: Dee,")], "derived", "d", "changed", "title", "text", "patch"),
        ([("title: T\n", "title: Tee\n")], "framework", "t", "changed", "title", "text", "patch"),
        # added: minor
        ([("  - id: u\n", "      - {id: q4, text: Fourth, type: text}\n  - id: u\n")], "question", "q4", "added", "",
         "answers", "minor"),
        ([("{value: b, label: Beta, score: 2}", "{value: b, label: Beta, score: 2}, {value: c, score: 3}")],
         "option", "q1/c", "added", "", "answers", "minor"),
        ([("derived:\n", "derived:\n  - {id: e, title: E, expr: 'd * 2'}\n")], "derived", "e", "added", "",
         "scores", "minor"),
        ([("rules:\n", "rules:\n  - {id: r2, when: \"q3 == 'no'\", priority: low, finding: F, action: A, "
           "reference: R, addressee: jmac}\n")], "rule", "r2", "added", "", "findings", "minor"),
        ([("type: number, min: 0, max: 10", "type: number, min: 0, max: 20")], "question", "n", "changed", "min/max",
         "answers", "minor"),
        ([("text: Third, type: yesno", "text: Third, type: yesno, required: true")], "question", "q3", "changed",
         "required", "answers", "minor"),
        # rules' conditions and links: minor, findings
        ([("when: \"q1 == 'a'\"", "when: \"q1 == 'b'\"")], "rule", "r", "changed", "when", "findings", "minor"),
        ([("priority: high", "priority: low")], "rule", "r", "changed", "priority", "findings", "minor"),
        ([("addressee: jmac", "addressee: unpol")], "rule", "r", "changed", "addressee", "findings", "minor"),
        # answers invalid or scores changing meaning: major
        ([("      - {id: n, text: Count, type: number, min: 0, max: 10}\n", "")], "question", "n", "removed", "",
         "answers", "major"),
        ([("type: number, min: 0, max: 10", "type: number, min: 0, max: 5")], "question", "n", "changed", "min/max",
         "answers", "major"),
        ([("label: Alpha, score: 1", "label: Alpha, score: 0")], "option", "q1/a", "changed", "score", "scores",
         "major"),
        ([("{value: high, label: High, score: 3}", "{value: high, label: High, score: 4}")], "option", "lvl/high",
          "changed", "score", "scores", "major"),
        ([("title: S\n    rating", "title: S\n    aggregate: max\n    rating")], "section", "s", "changed",
         "aggregate", "scores", "major"),
        ([("title: S\n    rating", "title: S\n    show_if: \"q3 == 'yes'\"\n    rating")], "section", "s",
         "changed", "show_if", "scores", "major"),
        ([("title: S\n    rating", "title: S\n    direction: resilience\n    rating")], "section", "s", "changed",
         "direction", "scores", "major"),
        ([('expr: "s + 1"', 'expr: "s + 2"')], "derived", "d", "changed", "expr", "scores", "major"),
        ([("{min: 0, max: 2, label: Low", "{min: 0, max: 3, label: Low"), ("{min: 2, max: 10", "{min: 3, max: 10")],
         "rating", "r3", "changed", "bands", "scores", "major"),
        ([("title: T\n", "title: T\npolicy: {unanswered: zero}\n")], "framework", "t", "changed",
         "policy unanswered", "scores", "major"),
        ([("title: T\n", "title: T\nprecision: 3\n")], "framework", "t", "changed", "precision", "scores", "major"),
    ],
)  # fmt: skip
def test_each_kind_of_change_has_its_effect_and_bump(pairs, kind, id, change, field, effect, bump):
    c = one(*pairs)
    assert (c.kind, c.id, c.change, c.field, c.effect, c.bump) == (kind, id, change, field, effect, bump)


def test_a_question_of_another_type_invalidates_answers():
    found = changes(("text: Third, type: yesno", "text: Third, type: text"))
    assert ("question", "q3", "type", "yesno", "text", "answers", "major") in [
        (c.kind, c.id, c.field, c.old, c.new, c.effect, c.bump) for c in found
    ]


def test_a_question_moved_to_another_section_is_one_major_move():
    moved = edited(
        ("      - {id: n, text: Count, type: number, min: 0, max: 10}\n", ""),
        ("      - {id: q3, text: Third, type: yesno}\n", "      - {id: q3, text: Third, type: yesno}\n"
         "      - {id: n, text: Count, type: number, min: 0, max: 10}\n"),
    )  # fmt: skip
    (c,) = diff(fw(BASE), fw(moved)).changes
    assert (c.kind, c.id, c.change, c.old, c.new, c.effect, c.bump) == ("question", "n", "moved", "s", "u", "scores",
                                                                       "major")  # fmt: skip
    assert "→ n  moved from s to u — changes scores" in to_text(diff(fw(BASE), fw(moved)))


def test_without_a_declaration_a_renamed_question_is_a_removal_and_an_addition():
    found = changes(("{id: q3, text: Third", "{id: q3b, text: Third"))
    assert [(c.id, c.change, c.bump) for c in found] == [("q3b", "added", "minor"), ("q3", "removed", "major")]


MIGRATED = (
    ("version: 1.0.0", "version: 2.0.0"),
    ("{id: q3, text: Third", "{id: q3b, text: Third"),
    ("{value: b, label: Beta, score: 2}", "{value: c, label: Gamma, score: 2}"),
    ("      - {id: n, text: Count, type: number, min: 0, max: 10}\n", ""),
    ("rules:", "migrations:\n  - from: 1.0.0\n    to: 2.0.0\n    questions:\n      q3b: {renamed_from: q3}\n"
     "      q1: {values: [{from: b, to: c}]}\n    removed:\n      - {id: n, reason: Counted elsewhere}\nrules:"),
)  # fmt: skip


def test_declared_migrations_show_as_renames_and_remaps_still_major():
    d = diff(fw(BASE), fw(edited(*MIGRATED)))
    got = [(c.kind, c.id, c.change, c.field, c.old, c.new, c.migrated, c.bump) for c in d.changes]
    assert ("question", "q3b", "renamed", "", "q3", "q3b", True, "major") in got
    assert ("option", "q1/b", "changed", "value", "b", "c", True, "major") in got
    assert ("migration", "1.0.0 → 2.0.0", "added", "", "", "", False, "minor") in got
    removed = next(c for c in d.changes if c.id == "n")
    assert removed.change == "removed" and removed.migrated and "Counted elsewhere" in removed.field
    assert not any(c.change == "added" and c.kind in ("question", "option") for c in d.changes)  # no q3b, no q1/c
    assert d.required() == "major" and d.declared() == "major" and check(d)[0]
    text = to_text(d)
    assert "→ q3b  renamed from q3 — invalidates answers (migrated)" in text
    assert "~ q1/b  value: b → c — invalidates answers (migrated)" in text
    assert "(declared: answers kept aside)" in text


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("1.0.0", "1.0.0", "none"),
        ("1.0.0", "1.0.1", "patch"),
        ("1.0.9", "1.1.0", "minor"),
        ("1.9.9", "2.0.0", "major"),
        ("1.2.0", "1.10.0", "minor"),  # numbers, not text
        ("2.0.0", "1.9.0", "downgrade"),
        ("2.0.0-rc1", "2.0.0", "patch"),
        ("2.0.0", "2.0.0-rc1", "downgrade"),
        ("2024-06", "2024-09", "major"),  # not x.y.z: any other text counts
        ("2024-06", "2024-06", "none"),
        ("2024-09", "2024-06", "downgrade"),
    ],
)
def test_version_bump(old, new, bump):
    assert version_bump(old, new) == bump


def test_the_version_check_names_what_requires_more():
    d = diff(
        fw(BASE), fw(edited(("version: 1.0.0", "version: 1.0.1"), ("label: Alpha, score: 1", "label: A, score: 0")))
    )
    passed, lines = check(d)
    assert not passed
    assert lines[0].startswith("version check failed: 1.0.0 → 1.0.1 is a patch bump, but the changes require a major")
    assert lines[1] == "  major: option q1/a score: 1 → 0 — changes scores"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("version", "code"),
    [("1.0.0", 1), ("1.0.1", 1), ("1.1.0", 0), ("2.0.0", 0), ("0.9.0", 1)],
)
def test_check_version_exit_codes(tmp_path, capsys, version, code):
    old = write(tmp_path, "old.yaml", BASE)
    added = ("  - id: u\n", "      - {id: q4, text: Fourth, type: text}\n  - id: u\n")  # minor
    new = write(tmp_path, "new.yaml", edited(("version: 1.0.0", f"version: {version}"), added))
    assert main(["diff", old, new, "--check-version"]) == code
    out, err = capsys.readouterr()
    assert "+ q4  added: Fourth — allows new answers" in out
    assert ("version check passed" if code == 0 else "version check failed") in err
    assert main(["diff", old, new]) == 0  # without --check-version the diff is only shown


def test_different_frameworks_and_broken_files_exit_2(tmp_path, capsys):
    old = write(tmp_path, "old.yaml", BASE)
    other = write(tmp_path, "other.yaml", edited(("id: t", "id: other")))
    assert main(["diff", old, other]) == 2
    assert MESSAGES["E601"].format(old="t", new="other") in capsys.readouterr().err
    broken = write(tmp_path, "broken.yaml", BASE.replace("title: T\n", "title: [T\n"))
    assert main(["diff", old, broken, "--check-version"]) == 2
    assert "[E007]" in capsys.readouterr().err


def test_json_is_stable_and_complete(tmp_path, capsys):
    old = write(tmp_path, "old.yaml", BASE)
    new = write(tmp_path, "new.yaml", edited(*MIGRATED))
    assert main(["diff", old, new, "--format", "json"]) == 0
    first = capsys.readouterr().out
    data = json.loads(first)
    assert data["old"] == {"id": "t", "version": "1.0.0"} and data["new"] == {"id": "t", "version": "2.0.0"}
    assert data["declared"] == "major" and data["required"] == "major"
    assert {"kind": "question", "id": "q3b", "change": "renamed", "field": "", "old": "q3", "new": "q3b",
            "effect": "answers", "bump": "major", "migrated": True, "where": "u"} in data["changes"]  # fmt: skip
    assert main(["diff", old, new, "--format", "json"]) == 0
    assert capsys.readouterr().out == first


HOSTILE = "Evil\x1b]0;owned\x07 | `code` <b>x</b> \u202eright"


def test_hostile_text_is_shown_escaped_in_the_terminal_markdown_and_json(tmp_path, capsys):
    old = write(tmp_path, "old.yaml", BASE)
    new = write(tmp_path, "new.yaml", edited(("text: First", f'text: "{HOSTILE}"'.replace("\x1b", "\\e")
                                                                   .replace("\x07", "\\a").replace("\u202e", "\\u202e"))))  # fmt: skip
    assert main(["diff", old, new]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "Evil\\x1b]0;owned\\x07 | `code` <b>x</b> \\u202eright" in out
    assert main(["diff", old, new, "--format", "md"]) == 0
    md = capsys.readouterr().out
    row = next(line for line in md.splitlines() if line.startswith("| \\~ | q1 |"))
    assert row.count(" | ") == 4 + 0 and "\\|" in row and "\\`code\\`" in row and "\\<b\\>" in row
    assert "\x1b" not in md and "\u202e" not in md
    assert main(["diff", old, new, "--format", "json"]) == 0
    raw = capsys.readouterr().out
    assert "\x1b" not in raw and "\u202e" not in raw
    change = json.loads(raw)["changes"][0]
    assert change["new"] == HOSTILE  # the JSON escapes give the text back exactly


def test_markdown_has_a_table_per_kind():
    d = diff(fw(BASE), fw(edited(*MIGRATED)))
    md = to_markdown(d)
    assert md.startswith("**t 1.0.0 → 2.0.0: declared major, required major**\n")
    assert "### Questions (2)\n\n| | id | change | effect | bump |\n|---|---|---|---|---|\n" in md
    assert "| → | q3b | renamed from q3 | invalidates answers (migrated) | major |" in md


ANSWERS = """\
format: assess-answers/1
framework: {id: t, version: 1.0.0}
metadata: {title: Test, marking: UN RESTRICTED}
answers:
  q3: {value: 'yes'}
"""


def test_affecting_lists_the_changes_to_what_the_assessment_answered_and_its_scores():
    new = edited(
        *MIGRATED,
        ("{value: high, label: High, score: 3}", "{value: high, label: High, score: 4}"),
        ("title: U\n", "title: You\n"),
        ('expr: "s + 1"', 'expr: "s + 2"'),
    )
    d = diff(fw(BASE), fw(new))
    answers, _ = answers_from_text(ANSWERS, "a.yaml")
    got = {(c.kind, c.id, c.field) for c in affecting(d, answers)}
    assert ("question", "q3b", "") in got  # answered as q3, renamed
    assert ("section", "u", "title") in got  # the section holding it
    assert ("derived", "d", "expr") in got  # a score
    assert not any(c[1].startswith(("q1", "lvl", "n")) for c in got)  # q1, q2 (lvl) and n were not answered


def test_a_rename_chained_over_two_versions_is_one_rename():
    chained = edited(
        ("version: 1.0.0", "version: 2.0.0"),
        ("{id: q3, text: Third", "{id: q3c, text: Third"),
        ("rules:", "migrations:\n  - {from: 1.0.0, to: 1.1.0, questions: {q3b: {renamed_from: q3}}}\n"
         "  - {from: 1.1.0, to: 2.0.0, questions: {q3c: {renamed_from: q3b}}}\nrules:"),
    )  # fmt: skip
    d = diff(fw(BASE), fw(chained))
    assert [(c.kind, c.id, c.change, c.old, c.migrated) for c in d.changes if c.kind == "question"] == [
        ("question", "q3c", "renamed", "q3", True)
    ]
    assert [c.id for c in d.changes if c.kind == "migration"] == ["1.0.0 → 1.1.0", "1.1.0 → 2.0.0"]


def test_split_and_merged_questions_say_where_their_answers_come_from():
    parted = edited(
        ("version: 1.0.0", "version: 2.0.0"),
        ("      - {id: q3, text: Third, type: yesno}\n", "      - {id: q3a, text: Third A, type: yesno}\n"
         "      - {id: q3b, text: Third B, type: yesno}\n"),
        ("      - {id: n, text: Count, type: number, min: 0, max: 10}\n", ""),
        ("{id: q2, text: Second,", "{id: q12, text: Both,"),
        ("      - {id: q1, text: First, type: single, options: [{value: a, label: Alpha, score: 1}, "
         "{value: b, label: Beta, score: 2}]}\n", ""),
        ("rules:\n  - {id: r, when: \"q1 == 'a'\"", "migrations:\n  - from: 1.0.0\n    to: 2.0.0\n    questions:\n"
         "      q3a: {split_from: q3}\n      q3b: {split_from: q3}\n      q12: {merged_from: [q1, q2], take: max}\n"
         "    removed: [{id: n, reason: Gone}]\nrules:\n  - {id: r, when: \"q12 == 'low'\""),
    )  # fmt: skip
    got = {(c.id, c.change, c.field, c.migrated) for c in diff(fw(BASE), fw(parted)).changes if c.kind == "question"}
    assert got >= {
        ("q3a", "added", "split from q3", True),
        ("q3b", "added", "split from q3", True),
        ("q3", "removed", "split into q3a, q3b", True),
        ("q12", "added", "merged from q1, q2", True),
        ("q1", "removed", "merged into q12", True),
        ("q2", "removed", "merged into q12", True),
    }


REPEATED = """\
id: t
version: 1.0.0
title: T
sections:
  - id: groups
    title: Groups
    repeat: {label: group}
    questions:
      - {id: threat, text: Threat, type: scale, scale: lvl}
      - {id: harm, text: Harm, type: scale, scale: lvl}
scales:
  lvl:
    options:
      - {value: low, label: Low, score: 1}
      - {value: high, label: High, score: 3}
heatmaps:
  - {id: h, title: Threat by harm, section: groups, x: harm, y: threat}
"""


def test_a_repeatable_section_renamed_and_a_heat_map_changed():
    new = edited(
        ("version: 1.0.0", "version: 2.0.0"),
        ("id: groups\n", "id: actors\n"),
        ("section: groups, x: harm, y: threat", "section: actors, x: threat, y: harm"),
        ("title: Threat by harm", "title: Harm by threat"),
        (
            "heatmaps:",
            "migrations:\n  - {from: 1.0.0, to: 2.0.0, sections: {actors: {renamed_from: groups}}}\nheatmaps:",
        ),
        text=REPEATED,
    )
    got = [(c.kind, c.id, c.change, c.field, c.old, c.new, c.bump) for c in diff(fw(REPEATED), fw(new)).changes]
    assert ("section", "actors", "renamed", "", "groups", "actors", "major") in got
    assert not any(c[0] == "question" for c in got)  # threat and harm stay in their (renamed) section
    assert ("heatmap", "h", "changed", "x", "harm", "threat", "minor") in got
    assert ("heatmap", "h", "changed", "title", "Threat by harm", "Harm by threat", "patch") in got
    answers, _ = answers_from_text(
        "format: assess-answers/1\nframework: {id: t, version: 1.0.0}\nmetadata: {title: A, marking: M}\n"
        "entities:\n  groups:\n    - {id: g1, name: G, answers: {threat: {value: high}}}\n",
        "a.yaml",
    )
    touched = {(c.kind, c.id) for c in affecting(diff(fw(REPEATED), fw(new)), answers)}
    assert ("section", "actors") in touched


def test_values_remapped_on_a_shared_scale_are_a_migrated_change_of_the_question():
    new = edited(
        ("version: 1.0.0", "version: 2.0.0"),
        ("{value: high, label: High, score: 3}", "{value: severe, label: Severe, score: 3}"),
        ("rules:", "migrations:\n  - {from: 1.0.0, to: 2.0.0, questions: {q2: {values: [{from: high, to: severe}]}}}\n"
         "rules:"),
    )  # fmt: skip
    got = [(c.kind, c.id, c.change, c.field, c.old, c.new, c.migrated) for c in diff(fw(BASE), fw(new)).changes]
    assert ("question", "q2", "changed", "values", "high", "severe", True) in got
    assert ("option", "lvl/high", "removed", "", "High", "", False) in got  # the scale itself lost the value


def test_versions_that_are_not_semantic_are_compared_as_text_and_said_so():
    # the schema asks frameworks for x.y.z (E107); a Diff made by a tool may still carry other versions
    d = Diff("t", "2026-06", "t", "2026-09")
    assert (
        to_text(d)
        == "t 2026-06 → 2026-09: declared major, required none (versions not x.y.z: compared as text)\nno changes\n"
    )


RENAMING = """\
id: t
version: 1.0.0
title: T
scales:
  lvl:
    options:
      - {value: low, label: Low, score: 1}
      - {value: high, label: High, score: 3}
sections:
  - id: groups
    title: Groups
    repeat: {label: group, rank_by: groups}
    table:
      columns: [{id: threat, header: Threat}, {id: groups, header: Score}]
    questions:
      - {id: threat, text: Threat, type: scale, scale: lvl}
      - {id: harm, text: Harm, type: scale, scale: lvl, show_if: "threat == 'high'"}
  - id: other
    title: Other
    questions:
      - {id: note, text: Note, type: yesno}
derived:
  - {id: d, title: D, expr: "groups + 1"}
rules:
  - {id: r, scope: groups, section: groups, when: "groups >= 2 and threat == 'high'", priority: high, finding: F,
     action: A, reference: R, addressee: jmac}
heatmaps:
  - {id: h, title: Threat by harm, section: groups, x: harm, y: threat}
"""

RENAMED = (
    ("version: 1.0.0", "version: 2.0.0"),
    ("rules:", "migrations:\n  - {from: 1.0.0, to: 2.0.0, sections: {actors: {renamed_from: groups}}, "
     "questions: {danger: {renamed_from: threat}}}\nrules:"),
    ("- id: groups", "- id: actors"),
    ("rank_by: groups", "rank_by: actors"),
    ("{id: threat, header: Threat}, {id: groups,", "{id: danger, header: Threat}, {id: actors,"),
    ("{id: threat, text: Threat", "{id: danger, text: Threat"),
    ('show_if: "threat == ', 'show_if: "danger  ==  '),  # the spacing of a condition is not a change either
    ("groups + 1", "actors + 1"),
    ("scope: groups, section: groups, when: \"groups >= 2 and threat", "scope: actors, section: actors, when: "
     "\"actors >= 2 and danger"),
    ("section: groups, x: harm, y: threat", "section: actors, x: harm, y: danger"),
)  # fmt: skip


def test_what_differs_only_by_the_declared_renames_is_not_a_change():
    d = diff(fw(RENAMING), fw(edited(*RENAMED, text=RENAMING)))
    assert [(c.kind, c.id, c.change) for c in d.changes] == [
        ("section", "actors", "renamed"),
        ("question", "danger", "renamed"),
        ("migration", "1.0.0 → 2.0.0", "added"),
    ]
    assert "groups" not in to_text(d).replace("renamed from groups", "")
    # a real change beside a rename is still one
    changed = edited(*RENAMED, ("actors >= 2", "actors >= 3"), ("x: harm, y: danger", "x: danger, y: harm"),
                     text=RENAMING)  # fmt: skip
    got = {
        (c.kind, c.id, c.field, c.old, c.new) for c in diff(fw(RENAMING), fw(changed)).changes if c.kind != "section"
    }
    assert ("rule", "r", "when", "groups >= 2 and threat == 'high'", "actors >= 3 and danger == 'high'") in got
    assert ("heatmap", "h", "x", "harm", "danger") in got and ("heatmap", "h", "y", "threat", "harm") in got
    assert not any(c[0] == "rule" and c[2] in ("scope", "section") for c in got)
    # without the declaration, the same edit is a removal, an addition and every reference changed
    undeclared = edited(*RENAMED[2:], ("version: 1.0.0", "version: 2.0.0"), text=RENAMING)
    fields = {(c.kind, c.field) for c in diff(fw(RENAMING), fw(undeclared)).changes if c.change == "changed"}
    assert {("rule", "scope"), ("rule", "when"), ("heatmap", "section"), ("derived", "expr")} <= fields


def test_options_reordered_are_a_text_change_of_their_scale_or_question():
    scale = edited(("      - {value: low, label: Low, score: 1}\n      - {value: high, label: High, score: 3}\n",
                    "      - {value: high, label: High, score: 3}\n      - {value: low, label: Low, score: 1}\n"))  # fmt: skip
    (c,) = diff(fw(BASE), fw(scale)).changes
    assert (c.kind, c.id, c.change, c.field, c.old, c.new, c.effect, c.bump) == (
        "scale", "lvl", "changed", "options reordered", "low, high", "high, low", "text", "patch"
    )  # fmt: skip
    assert "~ lvl  options reordered: low, high → high, low — text only" in to_text(diff(fw(BASE), fw(scale)))
    question = edited(("[{value: a, label: Alpha, score: 1}, {value: b, label: Beta, score: 2}]",
                       "[{value: b, label: Beta, score: 2}, {value: a, label: Alpha, score: 1}]"))  # fmt: skip
    (c,) = diff(fw(BASE), fw(question)).changes
    assert (c.kind, c.id, c.field, c.where, c.bump) == ("question", "q1", "options reordered", "s", "patch")
    added = edited(("{value: b, label: Beta, score: 2}]", "{value: b, label: Beta, score: 2}, {value: c, score: 3}]"))
    assert [c.field for c in diff(fw(BASE), fw(added)).changes] == [""]  # an option added is not a reorder


def test_a_migration_entry_that_moves_no_answer_or_only_changes_its_to_is_text_only():
    empty = edited(("version: 1.0.0", "version: 1.0.1"), ("text: Third", "text: The third"),
                   ("rules:", "migrations:\n  - {from: 1.0.0, to: 1.0.1}\nrules:"))  # fmt: skip
    d = diff(fw(BASE), fw(empty))
    assert [(c.kind, c.field, c.effect, c.bump) for c in d.changes] == [
        ("question", "text", "text", "patch"), ("migration", "moves no answers", "text", "patch")
    ]  # fmt: skip
    assert d.required() == "patch" and check(d)[0]
    step = "migrations:\n  - {from: 1.0.0, to: 2.0.0, questions: {q3b: {renamed_from: q3}}}\nrules:"
    v2 = edited(("version: 1.0.0", "version: 2.0.0"), ("{id: q3,", "{id: q3b,"), ("rules:", step))
    v201 = edited(("version: 2.0.0", "version: 2.0.1"), ("to: 2.0.0", "to: 2.0.1"), text=v2)
    (c,) = diff(fw(v2), fw(v201)).changes
    assert (c.kind, c.id, c.field, c.old, c.new, c.bump) == ("migration", "1.0.0 → 2.0.1", "to", "2.0.0", "2.0.1",
                                                             "patch")  # fmt: skip
    moved = edited(("{q3b: {renamed_from: q3}}", "{q3b: {renamed_from: q3}, q1: {values: [{from: a, to: b}]}}"),
                   text=v201)  # fmt: skip
    assert [(c.kind, c.change, c.bump) for c in diff(fw(v2), fw(moved)).changes] == [("migration", "changed", "minor")]


def test_an_answers_file_or_a_result_given_as_a_framework_is_one_coded_line(tmp_path, capsys):
    old = write(tmp_path, "old.yaml", BASE)
    answers = write(tmp_path, "a.answers.yaml", ANSWERS)
    assert main(["diff", old, answers]) == 2
    err = capsys.readouterr().err
    fix = "give two framework files (or PATH@REV) to compare"
    assert err == f"{answers}: {MESSAGES['E608'].format(fix=fix)} [E608]\n"
    result = write(tmp_path, "result.json", '{\n  "format": "assess-result/1",\n  "framework": {"id": "t"}\n}\n')
    assert main(["diff", result, old, "--check-version"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "[E609]" in err and "a result that 'assess score' wrote, not a framework" in err


def test_a_text_only_patch_of_mission_risk_passes_the_version_check(tmp_path, capsys):
    from assess.paths import FRAMEWORKS

    text = (FRAMEWORKS / "mission-risk.yaml").read_text(encoding="utf-8")
    assert text.count("\nversion: 2.0.1\n") == 1
    question = 'text: "Scope of the review: tasking, offices and functions covered, period"'
    assert text.count(question) == 1
    patched = text.replace("\nversion: 2.0.1\n", "\nversion: 2.0.2\n").replace(question, question[:-1] + ' (dates)"')
    new = write(tmp_path, "mission-risk.yaml", patched)
    assert main(["diff", str(FRAMEWORKS / "mission-risk.yaml"), new, "--check-version"]) == 0, capsys.readouterr()
    out, err = capsys.readouterr()
    assert out.startswith("mission-risk 2.0.1 → 2.0.2: declared patch, required patch\n")
    assert "text only" in out and "version check passed: patch bump declared, patch required" in err


def test_a_scale_s_values_remapped_by_a_migration_are_migrated_changes_of_its_options():
    new = edited(
        ("version: 1.0.0", "version: 2.0.0"),
        ("{value: high, label: High, score: 3}", "{value: severe, label: High, score: 3}"),
        ("rules:", "migrations:\n  - {from: 1.0.0, to: 2.0.0, scales: {lvl: {values: [{from: high, to: severe}]}}}\n"
         "rules:"),
    )  # fmt: skip
    got = [(c.kind, c.id, c.change, c.field, c.old, c.new, c.migrated) for c in diff(fw(BASE), fw(new)).changes]
    assert got[0] == ("option", "lvl/high", "changed", "value", "high", "severe", True)
    assert not any(c[2] in ("added", "removed") for c in got if c[0] == "option")
    assert got[1][:3] == ("migration", "1.0.0 → 2.0.0", "added") and len(got) == 2


def test_a_question_copied_from_one_still_there_is_added_not_renamed():
    copied = edited(
        ("version: 1.0.0", "version: 1.1.0"),
        ("      - {id: q3, text: Third, type: yesno}\n", "      - {id: q3, text: Third, type: yesno}\n"
         "      - {id: q3again, text: Third again, type: yesno}\n      - {id: q4, text: Fourth, type: yesno}\n"),
        ("rules:\n  - {id: r, when: \"q1 == 'a'\"", "migrations:\n  - from: 1.0.0\n    to: 1.1.0\n    questions:\n"
         "      q3again: {renamed_from: q3}\n      q4: {merged_from: [q1, q3]}\nrules:\n  - {id: r, when: \"q1 == 'a'\""),
    )  # fmt: skip
    d = diff(fw(BASE), fw(copied))
    got = [(c.id, c.change, c.field, c.old, c.bump, c.migrated) for c in d.changes if c.kind == "question"]
    assert got == [
        ("q3again", "added", "its answers copied from q3", "q3", "minor", True),
        ("q4", "added", "its answers copied from q1, q3", "q1, q3", "minor", True),
    ]  # q3 and q1 are compared with themselves: unchanged, and the rule on q1 is not read as on a renamed id
    assert d.required() == "minor" and check(d)[0]
    assert "+ q3again  added: its answers copied from q3 — allows new answers (migrated)" in to_text(d)
    answers, _ = answers_from_text(ANSWERS, "a.yaml")  # answered q3: both copies touch it
    assert {c.id for c in affecting(d, answers) if c.kind == "question"} == {"q3again", "q4"}
