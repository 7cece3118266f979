"""Text as written: the line breaks of a YAML | block inside a paragraph become spaces, blank lines stay breaks."""

from __future__ import annotations

import re

import pytest
import yaml

from assess.pipeline import score_file
from assess.plan import plan
from assess.prose import isolated, paragraphs, unwrap

from conftest import ROOT

GOCI = yaml.safe_load((ROOT / "frameworks" / "goci-profile.yaml").read_text(encoding="utf-8"))
BUNDLED = sorted((ROOT / "frameworks").glob("*.yaml"))
EXAMPLES = ROOT / "frameworks" / "examples"


def texts(node) -> list[str]:
    """Every string of a framework written over more than one line."""
    if isinstance(node, dict):
        return [t for v in node.values() for t in texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in texts(v)]
    return [node] if isinstance(node, str) and "\n" in node.strip() else []


def test_a_rule_finding_written_as_a_block_is_one_line():
    finding = GOCI["rules"][0]["finding"]
    assert finding.count("\n") == 3  # as written: three lines and the block's last newline
    assert unwrap(finding) == (
        "Criminality is high (6 or more) while resilience is low (under 4): organized crime is widespread and "
        "the state and society have little capacity to resist it. It is likely to shape the conflict economy and "
        "the politics of the peace process."
    )


def test_blank_lines_stay_paragraph_breaks_and_list_items_stay_lines():
    found = paragraphs(GOCI["description"])
    assert len(found) == 7  # issue 16: the unknown paragraph rewritten; method and sources, the 2025 edition added
    assert found[0].startswith("Profiles organized crime in a mission area the way the **Global Organized Crime")
    assert "\n" not in found[0]
    assert found[2].split("\n") == [
        "- **Criminal markets** = mean of the market indicators; **criminal actors** = mean of the actor indicators.",
        "- **Criminality** = mean of those two means, computed from the unrounded means (markets and actors weigh "
        "the same, however many indicators each has).",
        "- **Resilience** = mean of the 12 resilience indicators. For resilience a *higher* score is *better*.",
        "- Figures are shown rounded half-up to two decimals.",
    ]
    assert unwrap(GOCI["description"]) == "\n\n".join(found)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("one line", "one line"),
        ("  padded line  \n", "padded line"),
        ("", ""),
        ("\n\n", ""),
        ("a\nb\n\n\nc", "a b\n\nc"),
        ("a\n  \t\nb", "a\n\nb"),
        ("a\r\nb\r\n\r\nc", "a b\n\nc"),
        (
            "Steps:\n1. first\n   goes on\n2) second\n* third\n+ fourth",
            "Steps:\n1. first goes on\n2) second\n* third\n+ fourth",
        ),
        ("scored 1 to\n10 in half points", "scored 1 to 10 in half points"),
        ("a -\nb", "a - b"),
        ("keeps  two  spaces\ninside", "keeps  two  spaces inside"),
    ],
)
def test_unwrap(written, expected):
    assert unwrap(written) == expected


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_text_unwraps_to_whole_paragraphs_and_list_lines(path):
    found = texts(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert found
    for text in found:
        flat = unwrap(text)
        assert unwrap(flat) == flat  # unwrapping twice changes nothing
        assert re.sub(r"\s+", "", flat) == re.sub(r"\s+", "", text)  # nothing but whitespace changes
        for single in re.finditer(r"(?<!\n)\n(?!\n)", flat):
            assert re.match(r"([-*+]|\d+[.)]) ", flat[single.end() :]), flat  # a single break only opens an item


def test_a_name_with_direction_controls_is_isolated_inside_assess_sentences():
    assert isolated("Front patriotique (FPNK)") == "Front patriotique (FPNK)"  # no controls: unchanged
    # an override (U+202E) would reverse every word after it; a stray isolate end (U+2069) would close the isolate
    assert isolated("abc\u202edef\u2069") == "\u2068abc\u202edef\u2069"
    assert isolated("\u2067x") == "\u2068x\u2069"


def test_the_plan_names_a_hostile_block_inside_an_isolate_and_the_scores_keep_it_as_written(tmp_path):
    text = (EXAMPLES / "oc-threat.answers.yaml").read_text(encoding="utf-8")
    name = "Front patriotique du Nord-Kessaria (FPNK) (fictional)"
    hostile = "FPNK \u202eevil\u202c"
    answers = tmp_path / "h.answers.yaml"
    answers.write_text(text.replace(name, hostile), encoding="utf-8")
    result = score_file(str(answers)).result
    fired = [x for x in result.recommendations if x.entity_name == hostile]
    # the result keeps the rule's text as scored (reports already collected are recomputed to the letter)
    assert fired and any(f"{hostile} is" in x.finding for x in fired)
    items = plan(result)
    alone = [i for i in items if i.blocks == (hostile,)]  # rules that fired for this block only
    assert alone and all(f"\u2068{hostile}\u2069" in i.finding + i.action for i in alone if hostile in i.finding)
    assert any(f"\u2068{hostile}\u2069 is" in i.finding for i in alone)
    assert any(f"\u2068{hostile}\u2069" in i.for_whom for i in items if hostile in i.blocks)
