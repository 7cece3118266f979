"""Tests that framework validation reports every problem at its line:col with a fix, and accepts valid frameworks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assess.errors import MESSAGES, WARNINGS
from assess.schema import schema
from assess.vocabulary import AGGREGATES, GRADING_SYSTEMS, PRIORITIES

from conftest import ROOT, fw, problems, run_cli

HEAD = """\
id: t
version: 1.0.0
title: T
"""


def expect(pos: str, code: str, file: str = "fw.yaml", **fields) -> str:
    """A problem as validate reports it in a file at line:col `pos` (none: '' ), formatted from the message table."""
    where = f"{file}:{pos}" if pos else file
    if code.startswith("W"):
        return f"{where}: warning: {WARNINGS[code].format(**fields)} [{code}]"
    return f"{where}: {MESSAGES[code].format(**fields)} [{code}]"


HINTS = schema("framework.schema.json")
"""The schema, whose hints the pattern messages (E107) carry."""


def test_minimal_framework_is_valid():
    f = fw(HEAD + "sections:\n  - id: s\n    title: S\n    questions:\n      - {id: q, text: Q?, type: yesno}\n")
    assert f.questions["q"].options[1].value == "yes"
    assert f.hash.startswith("sha256:") and len(f.hash) == 71


def test_missing_and_unknown_keys_with_suggestion():
    out = problems("""\
        id: t
        version: 1.0.0
        sections:
          - id: s
            title: S
            questions:
              - id: q
                text: Q?
                typ: yesno
        """)
    assert out == [
        expect("1:1", "E101", key="title", hint=""),
        expect("7:9", "E101", key="type", hint=" to sections[0].questions[0]"),
        expect("9:9", "E102", key="typ", hint="; did you mean 'type'?"),
    ]


def test_wrong_types_enums_and_patterns():
    out = problems(
        HEAD
        + """\
precision: two
grading: nato
sections:
  - id: 9lives
    title: S
    aggregate: average
    questions:
      - {id: q, text: Q?, type: yesno, weight: -1}
"""
    )
    assert out == [
        expect("4:12", "E103", where="precision", expected="a whole number", found="the text 'two'"),
        expect("5:10", "E104", where="grading", value="nato", allowed=", ".join(GRADING_SYSTEMS)),
        expect("7:9", "E107", where="sections[0].id", value="9lives", pattern_hint=HINTS["$defs"]["ident"]["x-hint"]),
        expect("9:16", "E104", where="sections[0].aggregate", value="average", allowed=", ".join(AGGREGATES)),
        expect("11:48", "E105", where="sections[0].questions[0].weight", value=-1, limit=0),
    ]


def test_bad_version_says_how_to_write_one():
    out = problems("id: t\nversion: '1.0'\ntitle: T\nsections: [{id: s, title: S, questions: []}]\n")
    hint = HINTS["properties"]["version"]["x-hint"]
    assert out == [expect("2:10", "E107", where="version", value="1.0", pattern_hint=hint)]


def test_yes_written_as_option_value_stays_text():
    f = fw(
        HEAD
        + """\
sections:
  - id: s
    title: S
    questions:
      - id: q
        text: Q?
        type: single
        options: [{value: yes, score: 1}, {value: no, score: 0}, {value: on, score: 2}]
"""
    )
    assert [o.value for o in f.questions["q"].options] == ["yes", "no", "on"]


BASE = (
    HEAD
    + """\
scales:
  lvl:
    options:
      - {value: low, score: 1}
      - {value: high, score: 3}
ratings:
  r:
    bands:
      - {min: 1, max: 2, label: Low}
      - {min: 2, max: 3, label: High}
sections:
  - id: s
    title: S
    rating: r
    questions:
      - {id: q1, text: Q1, type: scale, scale: lvl}
      - {id: q2, text: Q2, type: scale, scale: lvl, show_if: "q1 == 'high'"}
"""
)


def test_base_is_valid():
    assert problems(BASE) == []


def test_cross_reference_problems_are_all_reported_in_one_run():
    # schema problems stop before cross-references: fix the priority and look again
    out = problems(
        BASE
        + """\
      - {id: q1, text: Again, type: scale, scale: lvls}
      - {id: q3, text: Q3, type: scale, scale: lvl, show_if: "q9 == 'high'"}
      - {id: q4, text: Q4, type: scale, scale: lvl, show_if: "q1 =="}
      - {id: q5, text: Q5, type: scale, scale: lvl, show_if: "s > 1"}
derived:
  - {id: d1, title: D1, expr: "d2 + 1"}
  - {id: d2, title: D2, expr: "mean(d1, s)"}
"""
    )
    assert out == [
        expect("21:14", "E201", id="q1", first=19),
        expect(
            "21:51",
            "E202",
            scale="lvls",
            known="yesno, yesno_unknown, confidence, icd203, phia, analytic_confidence, trajectory, lvl",
        ),
        expect(
            "22:62",
            "E204",
            where="sections[0].questions[3].show_if",
            name="q9",
            hint="; name a question, section or derived score",
        ),
        expect(
            "23:62",
            "E203",
            where="sections[0].questions[4].show_if",
            reason="unexpected 'end of the expression'",
        ),
        expect("24:62", "E210", where="sections[0].questions[5].show_if", name="s", kind="section"),
        expect("26:31", "E207", cycle="d1 -> d2 -> d1"),
    ]


def test_schema_problem_in_rule_priority():
    out = problems(
        BASE
        + """\
rules:
  - {id: r1, when: "q1 == 'high'", priority: urgent, finding: F, action: A, reference: R}
"""
    )
    assert out == [expect("22:46", "E104", where="rules[0].priority", value="urgent", allowed=", ".join(PRIORITIES))]


def test_rating_bands_out_of_order_with_gap_and_not_covering():
    out = problems(
        HEAD
        + """\
ratings:
  r:
    bands:
      - {min: 0, max: 4, label: Low}
      - {min: 5, max: 7, label: Mid}
      - {min: 7, max: 9, label: High}
scales:
  ten: {range: {min: 1, max: 10, step: 0.5}}
sections:
  - id: s
    title: S
    rating: r
    questions:
      - {id: q, text: Q, type: scale, scale: ten}
"""
    )
    assert out == [
        expect(
            "8:15",
            "E205",
            where="ratings.r.bands[1]",
            detail="a gap between 'Low' (max 4) and 'Mid' (min 5); make each band's min equal the previous band's max",
        ),
        expect("15:13", "E206", where="sections[0].rating", lo=0, hi=9, smin=1, smax=10),
    ]


def test_show_if_cycle():
    out = problems(
        HEAD
        + """\
sections:
  - id: s
    title: S
    questions:
      - {id: a, text: A, type: yesno, show_if: "b == 'yes'"}
      - {id: b, text: B, type: yesno, show_if: "a == 'yes'"}
"""
    )
    assert out == [expect("8:48", "E211", cycle="a -> b -> a")]


def test_weights_that_make_no_sense():
    out = problems(
        HEAD
        + """\
sections:
  - id: s
    title: S
    aggregate: weighted_mean
    questions:
      - {id: a, text: A, type: yesno, weight: 0}
      - {id: b, text: B, type: yesno, weight: 0}
  - id: t
    title: T
    questions:
      - {id: c, text: C, type: yesno, weight: 3}
"""
    )
    assert out == [
        expect("7:16", "E227", where="sections[0]"),
        expect("14:47", "W004", where="sections[1].questions[0]", aggregate="mean"),
    ]


def test_weight_in_a_plain_mean_is_a_warning():
    out = problems(
        HEAD
        + """\
sections:
  - id: t
    title: T
    questions:
      - {id: c, text: C, type: yesno, weight: 3}
"""
    )
    assert out == [expect("8:47", "W004", where="sections[0].questions[0]", aggregate="mean")]


def test_mixed_ranges_warn_unless_normalized():
    text = (
        HEAD
        + """\
scales:
  ten: {range: {min: 1, max: 10, step: 1}}
sections:
  - id: t
    title: T
    questions:
      - {id: a, text: A, type: yesno}
      - {id: b, text: B, type: scale, scale: ten}
"""
    )
    assert problems(text) == [expect("7:5", "W003", where="sections[0]", ranges="0..1, 1..10")]
    assert problems(text.replace("    title: T\n", "    title: T\n    normalize: true\n")) == []


def test_repeatable_sections_checks():
    out = problems(
        HEAD
        + """\
sections:
  - id: groups
    title: Groups
    repeat: {label: group, rank_by: nothing_here, min: 3, max: 2}
    questions:
      - {id: v, text: V, type: yesno}
    sections:
      - id: inner
        title: Inner
        repeat: {label: sub}
        questions:
          - {id: w, text: W, type: yesno}
  - id: other
    title: Other
    questions:
      - {id: x, text: X, type: yesno, show_if: "v == 'yes'"}
rules:
  - {id: r1, when: "v == 'yes'", priority: high, finding: F, action: A, reference: R, addressee: jmac}
  - {id: r2, when: "x == 'yes'", scope: other, priority: high, finding: F, action: A, reference: R, addressee: jmac}
"""
    )
    assert out == [
        expect("7:37", "E213", where="sections[0].repeat", name="nothing_here"),
        expect("7:64", "E226", where="sections[0].repeat", max=2, min=3),
        expect("13:9", "E225", where="sections[0].sections[0]", within="groups"),
        expect("19:48", "E212", where="sections[1].questions[0].show_if", name="v", repeat="groups"),
        expect("21:20", "E212", where="rules[0].when", name="v", repeat="groups"),
        expect("22:41", "E238", where="rules[1].scope", scope="other"),
    ]


def test_question_type_requirements():
    out = problems(
        HEAD
        + """\
sections:
  - id: s
    title: S
    questions:
      - {id: a, text: A, type: single}
      - {id: b, text: B, type: number, scored: true, min: 0}
      - {id: c, text: C, type: text, scored: true}
      - {id: d, text: D, type: date, scale: yesno}
      - {id: e, text: E, type: scale}
      - {id: f, text: F, type: single, options: [{value: x}, {value: y}]}
"""
    )
    assert out == [
        expect("8:9", "E228", where="sections[0].questions[0]", qtype="single"),
        expect("9:48", "E234", where="sections[0].questions[1]"),
        expect("10:46", "E235", where="sections[0].questions[2]", qtype="text"),
        expect("11:38", "E230", where="sections[0].questions[3]", qtype="date", key="scale"),
        expect("12:9", "E101", key="scale", hint=" to sections[0].questions[4] (a scale question needs one)"),
        expect("13:9", "E215", where="sections[0].questions[5]", value="x"),
    ]


def test_reserved_names_cannot_be_ids():
    out = problems(
        HEAD + "sections:\n  - id: s\n    title: S\n    questions:\n      - {id: mean, text: M, type: yesno}\n"
    )
    assert out == [expect("8:14", "E220", where="sections[0].questions[0].id", name="mean")]


def test_cli_reports_all_files_and_exits_1(write):
    good = write("good.yaml", BASE)
    bad = write("bad.yaml", HEAD + "sections: []\n")
    worse = write("worse.yaml", "id: [unclosed\n")
    r = run_cli("validate", str(good), str(bad), str(worse))
    assert r.returncode == 1
    assert r.stdout == f"{good}: valid — t 1.0.0, 1 sections, 2 questions, 0 derived scores, 0 rules\n"
    assert r.stderr.splitlines() == [
        expect("4:11", "E108", file=str(bad), where="sections", limit=1),
        expect(
            "2:1",
            "E007",
            file=str(worse),
            problem="did not find expected ',' or ']' (while parsing a flow sequence)",
        ),
        "2 of 3 file(s) have problems",
    ]


def test_cli_valid_exits_0_with_one_line(write):
    r = run_cli("validate", str(write("ok.yaml", BASE)))
    assert r.returncode == 0 and r.stderr == "" and len(r.stdout.splitlines()) == 1


def test_a_checked_framework_is_loaded_from_the_cache_until_its_file_changes(tmp_path, monkeypatch):
    import shutil

    from assess import cache as framework_cache
    from assess import loader, yamlsafe
    from assess.errors import AssessError

    monkeypatch.delenv("ASSESS_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache = framework_cache.folder()
    assert cache is not None and cache.is_relative_to(tmp_path)
    cache.mkdir(parents=True)
    cache.chmod(0o775)  # as an older assess left it under a umask of 002: made private on the next write
    path = tmp_path / "oc-threat.yaml"
    shutil.copyfile(ROOT / "frameworks/oc-threat.yaml", path)
    first, warnings = loader.load_framework(path)
    assert len(list(cache.glob("*.pickle"))) == 1
    assert cache.stat().st_mode & 0o777 == 0o700

    def no_parse(*a, **k):
        raise AssertionError("parsed again")

    with monkeypatch.context() as m:
        m.setattr(yamlsafe, "parse", no_parse)
        again, again_warnings = loader.load_framework(path)
    assert again.hash == first.hash and again.questions.keys() == first.questions.keys()
    assert again_warnings == warnings

    # a changed file is checked afresh: here it is broken, and says so with its line
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("version: 2.0.0", "version: one", 1), encoding="utf-8")
    with pytest.raises(AssessError) as exc:
        loader.load_framework(path)
    assert "version" in str(exc.value.problems[0]) and exc.value.problems[0].line
    # a cache file others could have written is not trusted: the framework is parsed again
    path.write_text(text, encoding="utf-8")
    loader.load_framework(path)
    (cached,) = cache.glob("*.pickle")
    cached.chmod(0o666)
    with monkeypatch.context() as m, pytest.raises(AssertionError, match="parsed again"):
        m.setattr(yamlsafe, "parse", no_parse)
        loader.load_framework(path)
    # a damaged cache file is ignored
    for cached in cache.glob("*.pickle"):
        cached.write_bytes(b"not a pickle")
    assert loader.load_framework(path)[0].hash == first.hash


def test_the_cache_key_follows_every_source_file_of_the_package():
    from assess import cache as framework_cache

    digest = framework_cache.code_digest()
    assert len(digest) == 64
    source = Path(framework_cache.PACKAGE) / "checks" / "names.py"  # a module the loader reaches indirectly
    before = source.stat()
    try:
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
        framework_cache.code_digest.cache_clear()
        assert framework_cache.code_digest() != digest
    finally:
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
        framework_cache.code_digest.cache_clear()
    assert framework_cache.code_digest() == digest


def test_a_scored_number_question_missing_a_bound_beside_another_is_reported_not_a_crash():
    found = problems(
        """\
        id: x
        version: 1.0.0
        title: X
        sections:
          - id: s
            title: S
            questions:
              - {id: a, text: A, type: number, scored: true, max: 5}
              - {id: b, text: B, type: number, scored: true, min: 0, max: 3}
        """
    )
    assert found == [expect("8:48", "E234", where="sections[0].questions[0]")]


ONE_SECTION = HEAD + "sections:\n  - id: s\n    title: S\n    questions:\n"


@pytest.mark.parametrize(
    ("extra", "questions", "expected"),
    [
        (
            "scales:\n  ten: {range: {min: 5, max: 1, step: 1}}\n",
            "      - {id: q, text: Q, type: scale, scale: ten}\n",
            ("5:16", "E221", {"where": "scales.ten.range", "max": 1, "min": 5}),
        ),
        (
            "scales:\n  ten: {range: {min: 0, max: 5000, step: 1}}\n",
            "      - {id: q, text: Q, type: scale, scale: ten}\n",
            ("5:16", "E222", {"where": "scales.ten.range", "limit": 1000}),
        ),
        (
            "scales:\n  ten: {range: {min: 0, max: 1, step: 0.3}}\n",
            "      - {id: q, text: Q, type: scale, scale: ten}\n",
            ("5:39", "E223", {"where": "scales.ten.range.step", "step": "0.3", "min": 0, "max": 1}),
        ),
        (
            "scales:\n  ten: {range: {min: 0, max: 2, step: 1}, labels: {low: Low}}\n",
            "      - {id: q, text: Q, type: scale, scale: ten}\n",
            ("5:52", "E224", {"where": "scales.ten.labels", "key": "low"}),
        ),
        (
            "",
            "      - {id: q, text: Q, type: number, min: 3, max: 1}\n",
            ("8:53", "E221", {"where": "sections[0].questions[0]", "max": 1, "min": 3}),
        ),
        (
            "",
            "      - {id: q, text: Q, type: scale, scale: yesno, options: [{value: a}, {value: b}]}\n",
            ("8:53", "E229", {"where": "sections[0].questions[0]", "qtype": "scale"}),
        ),
        (
            "scales:\n  words: {options: [{value: a}, {value: b}]}\n",
            "      - {id: q, text: Q, type: scale, scale: words}\n",
            ("10:46", "E231", {"where": "sections[0].questions[0]"}),
        ),
        (
            "",
            "      - {id: q, text: Q, type: yesno, scale: confidence}\n",
            ("8:46", "E232", {"where": "sections[0].questions[0]"}),
        ),
        (
            "",
            "      - {id: q, text: Q, type: text, unit: km}\n",
            ("8:38", "E233", {"where": "sections[0].questions[0]", "key": "unit"}),
        ),
        (
            "",
            "      - {id: q, text: Q, type: yesno, max_choices: 2}\n",
            ("8:39", "E236", {"where": "sections[0].questions[0]", "key": "max_choices"}),
        ),
        (
            "",
            "      - {id: q, text: Q, type: yesno}\nderived:\n  - {id: d, title: D, expr: s, range: [1, 0]}\n",
            ("10:39", "E237", {"where": "derived[0].range"}),
        ),
        (
            "",
            "      - {id: q, text: Q, type: scale, scale: confidence}\n"
            "heatmaps:\n  - {id: h, title: H, section: s, x: q, y: nothing}\n",
            ("10:44", "E239", {"where": "heatmaps[0].y", "name": "nothing", "section": "s"}),
        ),
    ],
)
def test_each_cross_reference_check_has_its_own_code(extra, questions, expected):
    pos, code, fields = expected
    assert problems(HEAD + extra + ONE_SECTION[len(HEAD) :] + questions) == [expect(pos, code, **fields)]


def test_headline_names_a_score_outside_repeatable_sections():
    text = BASE.replace("sections:\n", "headline: [s]\nsections:\n")
    assert problems(text) == [] and fw(text).headline == ("s",)
    blocks = """\
  - id: g
    title: G
    repeat: {label: group}
    sections:
      - id: inner
        title: Inner
        questions:
          - {id: q9, text: Q9, type: scale, scale: lvl}
"""
    assert problems(BASE.replace("sections:\n", "headline: [g]\nsections:\n") + blocks) == []
    out = problems(BASE.replace("sections:\n", "headline: [ss, inner]\nsections:\n") + blocks)
    assert out == [
        expect("14:12", "E240", where="headline", name="ss", hint="; did you mean 's'?"),
        expect("14:16", "E240", where="headline", name="inner", hint=""),
    ]
    out = problems(BASE.replace("sections:\n", "headline: [q1]\nsections:\n"))
    assert out == [expect("14:12", "E240", where="headline", name="q1", hint="")]


def test_cutoff_names_a_date_question_outside_repeatable_sections():
    dated = BASE + "      - {id: asof, text: Cut-off, type: date}\n"
    text = dated.replace("sections:\n", "cutoff: asof\nsections:\n", 1)
    assert problems(text) == [] and fw(text).cutoff == "asof"
    out = problems(dated.replace("sections:\n", "cutoff: q1\nsections:\n", 1))
    assert out == [expect("14:9", "E243", where="cutoff", name="q1", hint="")]
    out = problems(dated.replace("sections:\n", "cutoff: asoff\nsections:\n", 1))
    assert out == [expect("14:9", "E243", where="cutoff", name="asoff", hint="; did you mean 'asof'?")]
    blocks = """\
  - id: g
    title: G
    repeat: {label: group}
    questions:
      - {id: seen, text: Seen, type: date}
"""
    out = problems(BASE.replace("sections:\n", "cutoff: seen\nsections:\n", 1) + blocks)
    assert out == [expect("14:9", "E243", where="cutoff", name="seen", hint="")]
