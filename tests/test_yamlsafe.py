"""Tests that unsafe or malformed YAML is refused with a located message, quickly, and safe YAML is read exactly."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest

from assess.errors import MESSAGES, AssessError, problem
from assess.yamlsafe import MAX_DEPTH, load_file, parse


def refused(text, name="f.yaml") -> str:
    with pytest.raises(AssessError) as info:
        parse(text, name)
    assert len(info.value.problems) == 1
    return str(info.value.problems[0])


def test_yes_no_on_off_stay_text_and_only_true_false_are_booleans():
    data = parse("a: yes\nb: no\nc: on\nd: off\ne: true\nf: False\ng: [Yes, NO]\n").data
    assert data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": True, "f": False, "g": ["Yes", "NO"]}


def test_numbers_are_exact_and_dates_stay_text():
    data = parse("a: 0.1\nb: 7\nc: 6.50\nd: 2026-11-21\ne: 1_000\nf: '3'\ng: ~\n").data
    assert data == {
        "a": Decimal("0.1"),
        "b": 7,
        "c": Decimal("6.50"),
        "d": "2026-11-21",
        "e": 1000,
        "f": "3",
        "g": None,
    }


def test_positions_of_values_and_keys_are_one_based():
    loc = parse("top:\n  - id: x\n    text: hello\n")
    assert loc.values[("top", 0, "text")] == (3, 11)
    assert loc.keys[("top", 0, "text")] == (3, 5)


def test_alias_bomb_fails_in_milliseconds():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    msg = refused("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 0.05
    assert msg == str(problem("bomb.yaml", (1, 4), "E008", name="a"))


def test_duplicate_key_names_both_lines():
    assert refused("id: a\ntitle: x\nid: b\n") == str(problem("f.yaml", (3, 1), "E009", key="id", first=1))


def test_syntax_error_is_located():
    msg = refused("a:\n  - b\n c: d\n")
    # the middle of the message is the YAML library's own words, not ours to assert
    before, after = MESSAGES["E007"].split("{problem}")
    assert msg.startswith(f"f.yaml:3:2: {before}")
    assert msg.endswith(f"{after} [E007]")


@pytest.mark.parametrize(
    "text, place",
    [
        ("[" * 500 + "]" * 500, "1:65"),
        ("".join("  " * i + "a:\n" for i in range(400)) + "  " * 400 + "x\n", "65:129"),
    ],
    ids=["flow", "block"],
)
def test_nesting_past_our_limit_is_refused_with_our_message(text, place):
    # 500 levels: below PyYAML's own limit (about 1,000 in 6.0.4), so our check is the one that answers
    line, col = map(int, place.split(":"))
    assert refused(text) == str(problem("f.yaml", (line, col), "E006", limit=MAX_DEPTH))


def test_absurd_nesting_is_refused_quickly_located_and_coded():
    # at this depth the YAML library may answer before our check does: whoever answers, the user gets a located,
    # coded message at once, never a crash (the wording of the library's own message is not ours to assert)
    depth = 200_000
    start = time.perf_counter()
    msg = refused("[" * depth + "]" * depth)
    assert time.perf_counter() - start < 1
    assert re.fullmatch(r"f\.yaml:1:\d+: .+ \[E\d{3}\]", msg), msg


def test_python_tags_are_refused():
    assert refused("a: !!python/object/apply:os.system ['echo hi']\n") == str(
        problem("f.yaml", (1, 4), "E011", tag="tag:yaml.org,2002:python/object/apply:os.system")
    )


def test_non_finite_numbers_are_refused():
    assert refused("a: .nan\n") == str(problem("f.yaml", (1, 4), "E013", text=".nan"))


def test_several_documents_are_refused():
    assert refused("a: 1\n---\nb: 2\n") == str(problem("f.yaml", (2, 1), "E014"))


def test_complex_keys_are_refused():
    assert refused("? [a, b]\n: 1\n") == str(problem("f.yaml", (1, 3), "E012", found="a list"))


@pytest.mark.parametrize(
    "content, code",
    [(b"", "E002"), (b"# only a comment\n\n", "E002"), (b"id: x\n\x00\x01binary", "E004")],
)
def test_empty_and_binary_files(tmp_path, content, code):
    p = tmp_path / "f.yaml"
    p.write_bytes(content)
    with pytest.raises(AssessError) as info:
        load_file(p)
    assert str(info.value) == str(problem(str(p), None, code))


def test_non_utf8_names_the_byte_and_its_place(tmp_path):
    p = tmp_path / "latin1.yaml"
    p.write_bytes("id: x\ntitle: Côte\n".encode("latin-1"))
    with pytest.raises(AssessError) as info:
        load_file(p)
    assert str(info.value) == str(problem(str(p), (2, 9), "E003", reason="byte 0xf4 at line 2, column 9"))


def test_oversize_file_is_refused_before_reading(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(AssessError) as info:
        load_file(p, limit=1000)
    assert str(info.value) == str(problem(str(p), None, "E005", size=2004, limit=1000))


def test_missing_file(tmp_path):
    p = tmp_path / "nope.yaml"
    with pytest.raises(AssessError) as info:
        load_file(p)
    assert str(info.value) == str(problem(str(p), None, "E001", reason="No such file or directory"))


def test_utf8_bom_and_non_latin_text_are_read():
    assert parse("\ufefftitle: تقييم الجريمة المنظمة — Côte\n").data == {"title": "تقييم الجريمة المنظمة — Côte"}
