"""Headquarters reads the Selvara case: the twelve MINUSEL files (six frameworks, 2026-H1 and 2026-H2) collected with
the six other worked examples as the second missions, by `assess collect` and `assess compare` as a user runs them;
what the summary and its CSV say about MINUSEL's two periods and the missions beside it."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
from fractions import Fraction

import pytest
from docx import Document
from pgserver import BACKENDS, new_address

from assess.cli import main
from assess.schema import is_valid
from assess.yamlsafe import load_file

from conftest import ROOT

EXAMPLES = ROOT / "frameworks" / "examples"
SELVARA = EXAMPLES / "selvara"
FRAMEWORKS = (
    "crime-politics-nexus", "goci-profile", "mission-readiness", "mission-risk", "oc-threat", "sanctions-coherence",
)  # fmt: skip
PERIODS = ("2026-H1", "2026-H2")
AREA = "Republic of Selvara (fictional): Haute-Koumba and Dabou regions"
OTHERS = {"MINUSKES", "MINUVEL", "UNIMVA", "UNISMAR", "UNISMIN", "UNMIRT"}  # the six examples' missions


def _cli(*args: str) -> tuple[int, str]:
    """Run the assess command line in this process, as a user types it; its exit code and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


@pytest.fixture(scope="module", params=BACKENDS)
def hq(request, tmp_path_factory) -> dict:
    """An inbox as headquarters receives it: the six examples and a folder of the twelve Selvara files, collected into
    a store (SQLite, then PostgreSQL) and compared into summary.docx and summary.csv."""
    root = tmp_path_factory.mktemp("selvara-hq")
    inbox = root / "inbox"
    (inbox / "selvara").mkdir(parents=True)
    for path in sorted(EXAMPLES.glob("*.answers.yaml")):
        shutil.copy(path, inbox / path.name)
    for path in sorted(SELVARA.glob("*.answers.yaml")):
        shutil.copy(path, inbox / "selvara" / path.name)
    store = new_address(request, request.param, root)
    collected = _cli("collect", str(inbox), "--store", str(store), "--jobs", "1")
    compared = _cli(
        "compare", "--store", str(store), "-o", str(root / "summary.docx"), "--csv", str(root / "summary.csv")
    )
    with open(root / "summary.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in Document(root / "summary.docx").tables]
    return {"collected": collected, "compared": compared, "csv": rows, "tables": tables}


def _score(rows: list[dict], framework: str, period: str, score: str) -> dict:
    (row,) = [r for r in rows if r["mission"] == "MINUSEL" and r["framework"] == framework and r["period"] == period
              and r["score"] == score]  # fmt: skip
    return row


def _exact(row: dict) -> Fraction:
    return Fraction(row["exact"].lstrip("'"))  # a fraction a spreadsheet would read as a date is written '29/6


def test_the_case_is_twelve_files_one_per_framework_and_period():
    names = sorted(p.name for p in SELVARA.glob("*.answers.yaml"))
    assert names == sorted(f"{f}.{p}.answers.yaml" for f in FRAMEWORKS for p in PERIODS)
    for path in SELVARA.glob("*.answers.yaml"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# WORKED EXAMPLE - ENTIRELY FICTIONAL."), path.name
        assert "(FICTIONAL EXAMPLE)" in text and "mission: MINUSEL\n" in text, path.name
        assert is_valid(load_file(path).data, "answers.schema.json"), path.name


def test_collect_takes_all_eighteen_files_and_compare_writes_both_outputs(hq):
    code, said = hq["collected"]
    assert code == 0 and said.startswith("collected 18, unchanged 0, superseded 0, rejected 0"), said
    code, said = hq["compared"]
    assert code == 0 and "18 assessment(s), 7 mission(s), 6 framework(s)" in said, said


def test_minusel_is_in_the_csv_with_both_periods_for_every_framework(hq):
    minusel = [r for r in hq["csv"] if r["mission"] == "MINUSEL"]
    assert {(r["framework"], r["period"]) for r in minusel} == {(f, p) for f in FRAMEWORKS for p in PERIODS}
    assert {r["area"] for r in minusel} == {AREA}
    others = {r["mission"] for r in hq["csv"]} - {"MINUSEL"}  # the examples name their missions in full
    assert len(others) == 6 and {a for a in OTHERS for m in others if f"({a})" in m} == OTHERS
    # every 2026-H2 assessment is complete: none a draft
    assert {r["framework"] for r in minusel if r["period"] == "2026-H2" and r["complete"] == "yes"} == set(FRAMEWORKS)


def test_exposure_falls_once_the_fuel_vendor_is_screened_and_the_brigade_vetted(hq):
    rows = hq["csv"]
    before, after = (_score(rows, "mission-risk", p, "overall_exposure") for p in PERIODS)
    assert (before["display"], before["rating"]) == ("2.02", "High")
    assert (after["display"], after["rating"]) == ("1.34", "Moderate")
    contracting = [_score(rows, "mission-risk", p, "contracting")["display"] for p in PERIODS]
    capacity = [_score(rows, "mission-risk", p, "capacity_building")["display"] for p in PERIODS]
    assert contracting == ["2.57", "1.57"] and capacity == ["2.50", "1.40"]
    # the register's gravest risk: the fuel contract and the unvetted Brigade (4 x 4) in H1, retaliation (3 x 5) in H2
    assert [_score(rows, "mission-risk", p, "risk_register")["display"] for p in PERIODS] == ["16.00", "15.00"]


def test_criminal_markets_rise_by_the_arms_and_cocaine_half_points(hq):
    rows = hq["csv"]
    before, after = (_score(rows, "goci-profile", p, "criminal_markets") for p in PERIODS)
    # arms trafficking 7.5 -> 8 and cocaine 6 -> 6.5, the other thirteen markets unchanged: (0.5 + 0.5) / 15
    assert _exact(after) - _exact(before) == Fraction(1, 15)
    assert [_score(rows, "goci-profile", p, "criminality")["display"] for p in PERIODS] == ["6.17", "6.20"]
    assert [_score(rows, "mission-readiness", p, "readiness")["display"] for p in PERIODS] == ["0.37", "0.47"]


def test_the_glance_table_gives_minusel_a_row_per_framework_with_its_change(hq):
    (glance,) = [
        t for t in hq["tables"] if t[0][:4] == ["Mission, period", "Framework: headline", "Headline score", "Change"]
    ]
    minusel = {r[1].split(":")[0]: r for r in glance[1:] if r[0] == "MINUSEL, 2026-H2"}
    assert len(minusel) == 6 and all(r[8] == "" for r in minusel.values())  # six frameworks, no draft
    assert minusel["Mission risk management"][2:4] == ["1.34 Moderate", "▼ 0.68 better"]
    assert minusel["Mission response readiness on organized crime"][2:4] == ["0.47 Limited", "▲ 0.10 better"]
    assert minusel["Organized crime index profile"][3] == "Criminality: ▲ 0.03 worse; Resilience: ▲ 0.08 better"
    assert all(r[3] != "first period" for r in minusel.values())  # every framework compares two periods
    others = {r[0].split(",")[0]: r[3] for r in glance[1:] if not r[0].startswith("MINUSEL")}
    assert set(others) == OTHERS and set(others.values()) == {"first period"}


def test_the_trends_put_each_minusel_headline_beside_the_other_mission(hq):
    trends = [t for t in hq["tables"] if t[0][0] == "Mission" and t[0][1].startswith("Periods and ")]
    assert len(trends) == 7  # six frameworks, the index profile on its two axes
    for table in trends:
        missions = [r[0] for r in table[1:]]
        assert missions[0] == "MINUSEL" and len(missions) == 2 and missions[1] in OTHERS, table
        assert table[1][1].startswith("2026-H1 ") and " → 2026-H2 " in table[1][1], table
        assert table[2][2] == "one period"
    exposure = next(t for t in trends if t[0][1] == "Periods and Overall exposure")
    assert exposure[1] == [
        "MINUSEL", "2026-H1 2.02 → 2026-H2 1.34", "Overall exposure: ▼ 0.68 better from 2026-H1 to 2026-H2",
    ]  # fmt: skip
    assert exposure[2][:2] == ["UNMIRT", "2026-H2 1.76"]


def test_the_annex_lists_the_twelve_minusel_assessments(hq):
    (annex,) = [t for t in hq["tables"] if t[0][:3] == ["Mission", "Period", "Framework"]]
    minusel = sorted((r[2].split()[0], r[1]) for r in annex[1:] if r[0] == "MINUSEL")  # "mission-risk 1.1.0"
    assert minusel == sorted((f, p) for f in FRAMEWORKS for p in PERIODS)
