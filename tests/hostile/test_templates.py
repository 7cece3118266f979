"""Hostile report and summary templates, written as an attacker would: nothing runs, nothing is read or written."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest

from assess.answers import load_answers
from assess.errors import MESSAGES, AssessError
from assess.loader import load_framework
from assess.report import Limits, render_report
from assess.scoring import score

from conftest import ROOT

RISK = ROOT / "frameworks" / "examples" / "mission-risk.answers.yaml"  # has a chart and a heat map
PERIOD = "  period: 2026-H2\n"


@pytest.fixture(scope="module")
def result():
    answers, _ = load_answers(RISK)
    fw, _ = load_framework(ROOT / "frameworks" / f"{answers.framework.id}.yaml")
    return score(fw, answers)


def template(folder: Path, *paragraphs: str, header: str = "") -> Path:
    d = docx.Document()
    for text in paragraphs:
        d.add_paragraph(text)
    if header:
        d.sections[0].header.paragraphs[0].text = header
    path = folder / "team.docx"
    d.save(path)
    return path


def test_pictures_are_placed_in_the_body_and_no_marker_is_left_anywhere(result, tmp_path):
    t = template(
        tmp_path, "{{ title }}", "{{ chart }}", "{% for h in heatmaps %}{{ h.image }}{% endfor %}", header="{{ chart }}"
    )
    out = tmp_path / "r.docx"
    render_report(result, out, t)
    d = docx.Document(str(out))
    assert len(d.inline_shapes) == 2  # the chart and the one heat map, in the body
    assert d.sections[0].header.paragraphs[0].text == ""  # a picture has no place in a header: its marker goes
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "ASSESSPICTURE" not in xml


ATTACKS = [
    "{{ chart.tpl }}",
    "{{ chart.tpl.save('PWNED.docx') }}",
    "{{ chart.tpl.render_xml_part('', none, {}) }}",
    "{{ chart.tpl.new_subdoc('/etc/hostname') }}",
    "{% for h in heatmaps %}{{ h.image.tpl.save('PWNED.docx') }}{% endfor %}",
    "{{ title.__class__.__mro__[1].__subclasses__() }}",
    "{{ title|attr('__class__') }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "{{ self.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ config.items() }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(title) }}",
    "{{ '{x.__class__}'.format_map({'x': title}) }}",
    "{% include '/etc/hostname' %}",
    "{% import '/etc/hostname' as x %}",
    "{% extends '/etc/hostname' %}",
    "{% for i in range(10**9) %}{{ i }}{% endfor %}",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_are_refused_and_nothing_is_written(result, tmp_path, monkeypatch, attack):
    monkeypatch.chdir(tmp_path)
    t = template(tmp_path, "{{ title }}", attack)
    out = tmp_path / "out" / "r.docx"
    out.parent.mkdir()
    with pytest.raises(AssessError) as info:
        render_report(result, out, t, limits=Limits(seconds=20))
    message = str(info.value)
    assert message.startswith("team.docx: template team.docx") and message.endswith("]"), message
    assert info.value.problems[0].code in {"E401", "E402", "E403", "E407"}, message
    assert "Traceback" not in message
    assert list(out.parent.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "team.docx"]  # no marker file, no saved copy
    assert not (ROOT / "PWNED").exists() and not (ROOT / "PWNED.docx").exists()


def test_the_same_attacks_through_a_summary_template(tmp_path, monkeypatch):
    from assess.collect.collect import collect
    from assess.collect.compare import compare
    from assess.collect.store import Store
    from assess.collect.summary import render_summary

    monkeypatch.chdir(tmp_path)
    text = RISK.read_text(encoding="utf-8")  # the same mission a period later: the summary then draws its chart
    earlier = tmp_path / "inbox" / "earlier.yaml"
    earlier.parent.mkdir()
    earlier.write_text(
        re.sub(r"(?m)^id: .*$", "id: 0b0e7c4e-1d2f-4a3b-8c5d-6e7f8a9b0c1d", text).replace(
            PERIOD, "  period: 2025-H2\n"
        ),
        encoding="utf-8",
    )
    with Store(tmp_path / "hq.sqlite") as store:
        collect([RISK, earlier], store)
        comparison = compare(store)
    good = tmp_path / "good.docx"
    render_summary(comparison, good, template(tmp_path, "{{ chart }}"))
    assert len(docx.Document(str(good)).inline_shapes) == 1  # the trend chart is there for a template to show
    good.unlink()
    t = template(tmp_path, "{{ chart.tpl.save('PWNED.docx') }}")
    with pytest.raises(AssessError) as info:
        render_summary(comparison, tmp_path / "summary.docx", t)
    assert info.value.problems[0].code in {"E402", "E407"}, str(info.value)
    assert not (tmp_path / "PWNED.docx").exists() and not (tmp_path / "summary.docx").exists()


def _kinds(value, path="context") -> set[str]:
    """Every kind of object reachable in a template context, named with where the first one of each kind is."""
    if isinstance(value, dict):
        out = set()
        for k, v in value.items():
            assert isinstance(k, str), f"{path}: key {k!r}"
            out |= _kinds(v, f"{path}.{k}")
        return out
    if isinstance(value, list | tuple):
        return set().union(*(_kinds(v, f"{path}[{i}]") for i, v in enumerate(value))) if value else set()
    return {type(value).__name__}


def test_a_template_context_holds_plain_data_only(result):
    from assess.report.context import build_context

    context, _ = build_context(result)
    assert _kinds(context) <= {"str", "int", "float", "bool", "NoneType", "Decimal"}


@pytest.mark.parametrize(
    "tag, reason",
    [
        ("{{ 1/0 }}", "ZeroDivisionError: "),  # after the kind of error, Python's own words (not asserted)
        ("{{ 1 + title }}", "TypeError: "),
        ("{{ title[99999] }}", "there is no item 99999"),
    ],
)
def test_a_tag_that_fails_is_named_as_a_tag_not_blamed_on_the_file(result, tmp_path, tag, reason):
    t = template(tmp_path, "{{ title }}", tag)
    out = tmp_path / "out" / "r.docx"
    out.parent.mkdir()
    with pytest.raises(AssessError) as info:
        render_report(result, out, t, limits=Limits(seconds=20))
    message = str(info.value)
    # the reason's rest is Python's own words for the failure: the message is checked around it
    before, after = MESSAGES["E420"].format(template="team.docx", reason="\0").split("\0")
    assert message.startswith(f"team.docx: {before}{reason}"), message
    assert message.endswith(f"{after} [E420]"), message
    assert list(out.parent.iterdir()) == []
