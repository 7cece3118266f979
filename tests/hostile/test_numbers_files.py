"""Hostile numbers and files, written as an attacker would: each is refused at once with a located, coded message.

A number like 1e999999999 once hung assess (its exact value is a billion-digit integer) and a 5,000-digit one
crashed it; a named pipe or /dev/zero given as a framework, an answers file or a template was waited on, or
read until memory ran out. The cases that hung are run as a user runs them, in a subprocess with a timeout."""

from __future__ import annotations

import os
import textwrap
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from assess.answers import dumps, load_answers
from assess.errors import AssessError, problem
from assess.loader import load_framework
from assess.yamlsafe import MAX_DIGITS, MAX_EXPONENT, load_file, parse

from conftest import answers, fw, problems, run_cli

QUICK = 15  # seconds: a refusal takes about one; a hang is stopped here and fails the test

FRAMEWORK = """\
    id: t
    version: 1.0.0
    title: T
    sections:
      - id: s
        title: S
        questions:
          - {id: q, text: How many?, type: number, scored: true, min: 0, max: 10}
    """

ANSWERS = """\
    format: assess-answers/1
    framework: {id: t, version: 1.0.0, path: t.yaml}
    metadata: {title: x}
    answers:
      q: {value: 5}
    """


def expect(file, pos, code, **fields) -> str:
    return str(problem(str(file), pos, code, **fields))


def put(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def refused_quickly(*args: str, message: str) -> None:
    """The command ends at once with exit 1 and the message, and no traceback."""
    r = run_cli(*args, timeout=QUICK)
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == 1, r.stderr
    assert message in r.stderr.splitlines(), r.stderr


def fifo(folder: Path, name: str) -> Path:
    p = folder / name
    os.mkfifo(p)
    return p


def dev_zero(folder: Path, name: str) -> Path:
    p = folder / name
    p.symlink_to("/dev/zero")
    return p


# ---------------------------------------------------------------------------- numbers


def test_a_huge_exponent_in_a_framework_range_is_refused_at_once_not_hung_on(tmp_path):
    f = put(tmp_path, "t.yaml", FRAMEWORK.replace("max: 10", "max: 1e999999999"))
    refused_quickly(
        "validate",
        str(f),
        message=expect(f, (8, 75), "E015", text="1e999999999", limit=MAX_EXPONENT),
    )


def test_a_huge_negative_exponent_in_an_option_score_is_refused_at_once(tmp_path):
    f = put(
        tmp_path,
        "t.yaml",
        FRAMEWORK.replace(
            "type: number, scored: true, min: 0, max: 10", "type: single, options: [{value: a, score: -1e-999999999}]"
        ),
    )
    refused_quickly("validate", str(f), message=expect(f, (8, 76), "E015", text="-1e-999999999", limit=MAX_EXPONENT))


def test_a_huge_exponent_in_a_quoted_scale_label_key_is_refused_at_once(tmp_path):
    f = put(
        tmp_path,
        "t.yaml",
        """\
        id: t
        version: 1.0.0
        title: T
        scales:
          three:
            range: {min: 1, max: 3, step: 1}
            labels:
              "1e-999999999": lowest
        sections:
          - id: s
            title: S
            questions:
              - {id: q, text: How bad?, type: scale, scale: three}
        """,
    )
    refused_quickly("validate", str(f), message=expect(f, (8, 7), "E015", text="1e-999999999", limit=MAX_EXPONENT))


@pytest.mark.parametrize("value, col", [("1e999999999", 14), ("-1E-999999999", 14)])
def test_a_huge_exponent_in_an_answer_value_is_refused_at_once(tmp_path, value, col):
    put(tmp_path, "t.yaml", FRAMEWORK)
    a = put(tmp_path, "a.yaml", ANSWERS.replace("value: 5", f"value: {value}"))
    refused_quickly("score", str(a), message=expect(a, (5, col), "E015", text=value, limit=MAX_EXPONENT))


def test_a_5000_digit_answer_is_refused_not_a_traceback(tmp_path):
    put(tmp_path, "t.yaml", FRAMEWORK)
    a = put(tmp_path, "a.yaml", ANSWERS.replace("value: 5", "value: " + "9" * 5000))
    refused_quickly(
        "score",
        str(a),
        message=expect(a, (5, 14), "E016", text="9" * 24 + "…", count=5000, limit=MAX_DIGITS),
    )


@pytest.mark.parametrize(
    "old, new",
    [
        ("min: 0", "min: -" + "1" * 5000),
        ("max: 10", "max: " + "1" * 5000),
        ("max: 10", "max: 10, weight: 0." + "1" * 5000),
    ],
    ids=["min", "max", "weight"],
)
def test_5000_digit_numbers_in_a_framework_are_refused_with_a_located_message(old, new):
    text = textwrap.dedent(FRAMEWORK.replace(old, new))
    number = new.split(": ")[-1]
    col = text.splitlines()[7].index(number) + 1
    count = sum(c.isdigit() for c in number)
    assert problems(text) == [
        expect("fw.yaml", (8, col), "E016", text=number[:24] + "…", count=count, limit=MAX_DIGITS)
    ]


def test_numbers_up_to_the_bound_are_read_exactly_and_one_past_it_is_refused():
    at = {
        "a": "1e100",
        "b": "-1E-100",
        "c": "9" * MAX_DIGITS,
        "d": "0." + "0" * (MAX_DIGITS - 2) + "1",
        "e": "1_000e+100",
    }
    data = parse("".join(f"{k}: {v}\n" for k, v in at.items())).data
    assert data == {
        "a": Decimal("1e100"),
        "b": Decimal("-1e-100"),
        "c": 10**MAX_DIGITS - 1,
        "d": Decimal(1).scaleb(-(MAX_DIGITS - 1)),
        "e": Decimal("1000e100"),
    }
    assert Fraction(data["b"]) == Fraction(-1, 10**100)
    f = fw(FRAMEWORK.replace("max: 10", "max: 1e100").replace("min: 0", "min: -" + "9" * MAX_DIGITS))
    assert f.questions["q"].max == 10**100
    past = [("1e101", "E015"), ("1e-101", "E015"), ("9" * (MAX_DIGITS + 1), "E016"), ("0." + "0" * MAX_DIGITS, "E016")]
    for text, code in past:
        with pytest.raises(AssessError) as info:
            parse(f"a: {text}\n", "f.yaml")
        assert [p.code for p in info.value.problems] == [code], text
        assert str(info.value).startswith("f.yaml:1:4: "), text


def test_an_exponent_too_long_to_convert_is_refused_not_a_traceback():
    with pytest.raises(AssessError) as info:
        parse("a: !!float 1e" + "9" * 5000 + "\n", "f.yaml")
    assert str(info.value) == expect("f.yaml", (1, 4), "E015", text="1e" + "9" * 22 + "…", limit=MAX_EXPONENT)


def test_a_credibility_grade_in_unusual_digits_is_written_back_as_text_not_crashed_on():
    # '²' passes str.isdigit() but int() refuses it; '6' is written back as the number 6
    a = answers(
        ANSWERS.replace("{value: 5}", "{value: 5, sources: [{ref: r1, credibility: '²'}, {ref: r2, credibility: '6'}]}")
    )
    text = dumps(a)
    lines = [line.strip() for line in text.splitlines()]
    assert 'credibility: "²"' in lines and "credibility: 6" in lines


# ---------------------------------------------------------------------------- files


def test_a_framework_pin_that_is_a_fifo_is_refused_not_waited_on(tmp_path):
    pipe = fifo(tmp_path, "t.yaml")
    a = put(tmp_path, "a.yaml", ANSWERS)
    refused_quickly("score", str(a), message=expect(pipe, None, "E017", kind="a named pipe (FIFO)"))


def test_an_answers_file_that_is_a_fifo_is_refused_not_waited_on(tmp_path):
    pipe = fifo(tmp_path, "a.yaml")
    refused_quickly("score", str(pipe), message=expect(pipe, None, "E017", kind="a named pipe (FIFO)"))


def test_a_framework_that_links_to_dev_zero_is_refused_not_read_until_memory_runs_out(tmp_path):
    zero = dev_zero(tmp_path, "t.yaml")
    refused_quickly(
        "validate",
        str(zero),
        message=expect(zero, None, "E017", kind="a character device (such as /dev/zero)"),
    )


@pytest.mark.parametrize("make", [fifo, dev_zero], ids=["fifo", "dev-zero"])
def test_a_report_template_that_is_a_fifo_or_dev_zero_is_refused(tmp_path, make):
    put(tmp_path, "t.yaml", FRAMEWORK)
    a = put(tmp_path, "a.yaml", ANSWERS.replace("{title: x}", "{title: x, marking: UN RESTRICTED}"))
    template = make(tmp_path, "team.docx")
    kind = "a named pipe (FIFO)" if make is fifo else "a character device (such as /dev/zero)"
    refused_quickly(
        "report",
        str(a),
        "-o",
        str(tmp_path / "r.docx"),
        "--template",
        str(template),
        message=expect(template, None, "E017", kind=kind),
    )
    assert not (tmp_path / "r.docx").exists()


def test_a_summary_template_that_is_a_fifo_is_refused(tmp_path):
    from assess.collect.summary import render_summary

    pipe = fifo(tmp_path, "summary.docx")
    with pytest.raises(AssessError) as info:
        render_summary(None, tmp_path / "s.docx", pipe)  # the template is checked before the comparison is used
    assert str(info.value) == expect(pipe, None, "E017", kind="a named pipe (FIFO)")


def test_an_oversize_template_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    import assess.report as report

    big = tmp_path / "big.docx"
    big.write_bytes(b"PK" + b"\0" * 2000)
    monkeypatch.setattr(report, "MAX_TEMPLATE_BYTES", 1000)
    with pytest.raises(AssessError) as info:
        report.render_report(None, tmp_path / "r.docx", big)
    assert str(info.value) == expect(big, None, "E019", size=2002, limit=1000)


def test_a_folder_or_a_link_to_one_is_refused_as_a_folder(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "link.yaml").symlink_to(tmp_path / "dir.yaml")
    for name in ("dir.yaml", "link.yaml"):
        with pytest.raises(AssessError) as info:
            load_framework(tmp_path / name)
        assert str(info.value) == expect(tmp_path / name, None, "E017", kind="a folder")
    with pytest.raises(AssessError) as info:
        load_answers(tmp_path / "link.yaml")
    assert info.value.problems[0].code == "E017"


def test_a_file_that_holds_more_than_its_size_says_is_read_only_to_the_limit():
    # files under /proc say they are 0 bytes long, as a file still being written to may say too little
    with pytest.raises(AssessError) as info:
        load_file("/proc/self/status", limit=10)
    assert str(info.value) == expect("/proc/self/status", None, "E018", limit=10)
