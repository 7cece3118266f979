"""Tests which mission a key signs for (issue 19, review): only the mission headquarters files the report under — the
same name, or the acronym list and compare show it as (the first in brackets) — never another acronym a name lists,
so one mission's key cannot publish assessments headquarters shows as another's; both 'assess report --sign' and
'assess collect' apply the rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assess.cli import main
from assess.collect.compare import short_mission
from assess.collect.store import Store
from assess.collect.trust import mission_matches
from assess.errors import problem
from assess.keyfiles import now, write_key_pair
from assess.report.payload import digest_of, embed, load_signed_payload, read_payload, strip
from assess.signing import new_key, sign

LAKESIDE = Path(__file__).parent / "fixtures" / "lakeside.yaml"
TWO = "UN Stabilization Mission in Kessaria (MINUSKES, MINUSEL)"
EXAMPLE = "UN Stabilization Mission in Kessaria (MINUSKES) (fictional)"


@pytest.mark.parametrize(
    ("key_mission", "mission"),
    [
        ("MINUSKES", TWO),  # the acronym it is shown as
        ("minuskes", TWO),  # case
        (" MINUSKES ", TWO),  # spacing
        ("un  stabilization mission in KESSARIA (MINUSKES, MINUSEL)", TWO),  # the full name, case and spacing
        ("MINUSKES", EXAMPLE),  # the bundled example: '(fictional)' is no acronym
        ("UN Stabilization Mission in Kessaria (MINUSKES)", EXAMPLE),  # a key named in full stands for its acronym
        ("MINUSKES", "MINUSKES"),
        ("UN Mission in Testland", "un mission in testland"),
    ],
)
def test_a_key_signs_for_the_mission_its_report_is_filed_under(key_mission, mission):
    assert mission_matches(key_mission, mission)
    assert short_mission(mission).casefold() == short_mission(key_mission).strip().casefold()


@pytest.mark.parametrize(
    ("key_mission", "mission"),
    [
        ("MINUSEL", TWO),  # a second acronym: HQ shows the report as MINUSKES's
        ("UN Mission in Eldoria (MINUSEL)", TWO),
        ("MINUSEL", "UN Mission (MINUSKES/MINUSEL)"),
        ("UNMIRT", "Mission des Nations Unies au Rt (MINURT, UNMIRT en anglais)"),
        ("MINUSKES", "UN Stabilization Mission in Kessaria"),  # no acronym given: only the name itself
        ("UN Stabilization Mission in Kessaria", EXAMPLE),
        ("MINUSKES", "MINUSKES-2"),
        ("", ""),
    ],
)
def test_a_key_never_signs_for_another_acronym_a_name_lists(key_mission, mission):
    assert not mission_matches(key_mission, mission)
    assert short_mission(mission) != short_mission(key_mission) or not mission.strip()


def answers(tmp_path: Path, mission: str) -> Path:
    """A small assessment (the lakeside fixture) naming mission."""
    from assess.pipeline import start_assessment

    path = tmp_path / "imp.answers.yaml"
    start_assessment(LAKESIDE, path, {"title": "Lake check", "mission": mission, "marking": "UN RESTRICTED"})
    return path


def key_file(folder: Path, mission: str) -> Path:
    """A key of mission as 'assess key new' writes it (MISSION.key, and the .pub beside it)."""
    return write_key_pair(new_key(mission, now()), folder / mission, None)[0]


def test_report_sign_refuses_a_key_of_the_second_acronym_and_writes_nothing(tmp_path, capsys):
    path = answers(tmp_path, TWO)
    out = tmp_path / "imp.docx"
    code = main(["report", str(path), "-o", str(out), "--sign", str(key_file(tmp_path, "MINUSEL"))])
    assert code == 1
    assert capsys.readouterr().err.strip() == str(problem(str(path), None, "E545", key_mission="MINUSEL", mission=TWO))
    assert not out.exists()
    # the mission it is shown as signs it
    assert main(["report", str(path), "-o", str(out), "--sign", str(key_file(tmp_path, "MINUSKES"))]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("signed by MINUSKES with key SHA256:")


def test_collect_refuses_a_report_signed_by_the_second_acronyms_key(store_address, tmp_path, capsys):
    keys = tmp_path / "keys"
    minuskes, minusel = new_key("MINUSKES", now()), new_key("MINUSEL", now())
    made = {}
    for key in (minuskes, minusel):  # headquarters trusts both missions' keys
        made[key.mission], pub = write_key_pair(key, keys / key.mission, None)
        assert main(["key", "trust", str(pub), "--store", str(store_address)]) == 0
    # MINUSKES's signed report of an assessment naming both acronyms, and the same payload signed by MINUSEL's key
    # (as a MINUSEL desk that skipped report's own check would make it)
    genuine = tmp_path / "genuine.docx"
    shutil.copyfile(LAKESIDE, tmp_path / "lakeside.yaml")  # its framework beside it, as collect recomputes with it
    assert main(["report", str(answers(tmp_path, TWO)), "-o", str(genuine), "--sign", str(made["MINUSKES"])]) == 0
    payload = read_payload(genuine)
    forged = tmp_path / "imp.docx"
    strip(genuine, forged)
    embed(forged, payload, sign(minusel, digest_of(payload)))
    assert load_signed_payload(forged)[2] is not None  # the signature itself verifies: only trust can refuse it
    capsys.readouterr()

    code = main(["collect", str(forged), "--store", str(store_address), "--require-signature"])
    out, err = capsys.readouterr()
    assert code == 1 and "rejected 1" in out
    fp = minusel.public.fingerprint
    assert err.splitlines() == [
        str(problem(str(forged), None, "E550", mission=TWO, fingerprint=fp, key_mission="MINUSEL"))
    ]
    with Store(store_address) as s:
        assert s.rows("SELECT assessment_id FROM assessments") == []

    # the report signed by the mission it is shown as is collected, and listed as MINUSKES's, signed by MINUSKES
    assert main(["collect", str(genuine), "--store", str(store_address), "--require-signature"]) == 0
    capsys.readouterr()
    assert main(["list", "--store", str(store_address), "--mission", "MINUSKES"]) == 0
    line = capsys.readouterr().out.strip()
    assert "  MINUSKES  " in line and line.endswith(f", signed MINUSKES · {minuskes.public.fingerprint[:19]})")
