"""Tests of headquarters across framework versions (issue 17): assessments on two versions of a framework, the
older one's answers migrated by the newer one's declared migrations, compared question by question; and each
mission's follow-up of the last period's actions in compare's text, CSV and Word summary."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from docx import Document
from pgserver import BACKENDS, new_address

from assess.answers import dumps, new_answers
from assess.cli import main
from assess.collect.collect import collect
from assess.collect.compare import CSV_COLUMNS, compare, to_csv
from assess.collect.migrations import SCHEMA_VERSION
from assess.collect.store import Store
from assess.collect.summary import build_context
from assess.loader import load_framework
from assess.model import Answer, Entity, FollowUp
from assess.report import render_report
from assess.scoring import score

OLD = """\
id: hqt
version: 1.1.0
title: "HQ test: versions compared"
scales:
  lvl:
    options:
      - {value: none, score: 0, label: None}
      - {value: partial, score: 1, label: Partial}
      - {value: full, score: 2, label: Full}
sections:
  - id: s
    title: Controls
    questions:
      - {id: vendor_checks, text: Are vendors checked?, type: scale, scale: lvl}
      - {id: fuel, text: Is fuel controlled?, type: yesno}
      - {id: old_q, text: An old question?, type: yesno}
  - id: risk_register
    title: Risks
    repeat: {label: risk}
    questions:
      - {id: likelihood, text: How likely?, type: yesno}
"""

NEW = """\
id: hqt
version: 2.0.0
title: "HQ test: versions compared"
scales:
  lvl:
    options:
      - {value: none, score: 0, label: None}
      - {value: ad_hoc, score: 1, label: Ad hoc}
      - {value: full, score: 2, label: Full}
sections:
  - id: s
    title: Controls
    questions:
      - {id: vendor_screening, text: Are vendors screened?, type: scale, scale: lvl}
      - {id: fuel, text: Is fuel controlled?, type: yesno}
      - {id: lease, text: Is the lease at risk?, type: yesno}
  - id: risks
    title: Risks
    repeat: {label: risk}
    questions:
      - {id: likelihood, text: How likely?, type: yesno}
migrations:
  - from: 1.1.0
    to: 2.0.0
    note: Vendor checks become vendor screening.
    questions:
      vendor_screening:
        renamed_from: vendor_checks
        values: [{from: partial, to: ad_hoc}]
    sections:
      risks: {renamed_from: risk_register}
    removed:
      - {id: old_q, reason: Folded into vendor screening}
"""

NO_MIGRATION = NEW.split("migrations:")[0]


def _write(folder: Path, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return load_framework(path)[0]


def _answers(fw, fw_file: str, mission: str, period: str, updated: str, values: dict, follow_up=()):
    meta = {"title": f"{mission} {period}", "mission": mission, "area": "North", "period": period, "analyst": "A"}
    a = new_answers(fw, meta, fw_file)
    a.metadata.update(created=updated, updated=updated)
    for qid, v in values.items():
        a.answers[qid] = Answer(value=v)
    a.follow_up = list(follow_up)
    return a


def _follow_up(*statuses: str) -> list[FollowUp]:
    return [FollowUp(f"r{i}", f"Action {i}", period="2026-H2", status=s) for i, s in enumerate(statuses)]


@pytest.fixture(scope="module")
def versions_files(tmp_path_factory):
    """UNOLD answered version 1.1.0 (2026-H2, a report: old_dir/unold.docx), UNNEW version 2.0.0 (2027-H1, an
    answers file following up 9 actions: new_dir/unnew.answers.yaml)."""
    root = tmp_path_factory.mktemp("hqv")
    old_dir, new_dir = root / "old", root / "new"
    old_dir.mkdir()
    new_dir.mkdir()
    fw_old = _write(old_dir, "hqt-1.1.0.yaml", OLD)
    fw_new = _write(new_dir, "hqt-2.0.0.yaml", NEW)
    old = _answers(
        fw_old,
        "hqt-1.1.0.yaml",
        "UN Old Mission (UNOLD)",
        "2026-H2",
        "2026-12-01T09:00:00Z",
        {"vendor_checks": "partial", "fuel": "yes", "old_q": "no"},
    )
    old.entities["risk_register"] = [Entity("r1", "Fuel theft", {"likelihood": Answer(value="yes")})]
    render_report(score(fw_old, old), old_dir / "unold.docx")
    plan = _follow_up("done", "done", "done", "done", "in_progress", "in_progress", "dropped", "not_started", "")
    plan[-1].status = "not_started"
    new = _answers(
        fw_new,
        "hqt-2.0.0.yaml",
        "UN New Mission (UNNEW)",
        "2027-H1",
        "2027-03-01T09:00:00Z",
        {"vendor_screening": "full", "fuel": "no", "lease": "yes"},
        plan,
    )
    (new_dir / "unnew.answers.yaml").write_text(dumps(new), encoding="utf-8")
    return {"root": root, "old": old, "new": new, "old_dir": old_dir, "new_dir": new_dir}


@pytest.fixture(scope="module", params=BACKENDS)
def two_versions(versions_files, request, tmp_path_factory):
    """versions_files and a store with both collected (its address: 'store'), once per backend."""
    store = new_address(request, request.param, tmp_path_factory.mktemp("hqv-store"))
    with Store(store) as s:
        files = [versions_files["old_dir"] / "unold.docx", versions_files["new_dir"] / "unnew.answers.yaml"]
        result = collect(files, s, jobs=1)
        assert (result.collected, result.rejected) == (2, []), result.summary()
    return {**versions_files, "store": store}


# ---------------------------------------------------------------------------- follow-up


def test_follow_up_counts_per_mission_in_the_comparison(two_versions):
    with Store(two_versions["store"]) as store:
        c = compare(store)
    assert [(x.label, x.counts.text) for x in c.follow_up] == [
        ("UNNEW", "Actions of the last period: 4 of 9 done (2 in progress, 1 dropped)")
    ]
    (line,) = c.follow_up
    assert (line.counts.not_started, line.assessment.period) == (2, "2027-H1")


def test_follow_up_in_the_csv_last_columns_and_nothing_for_a_mission_without(two_versions):
    with Store(two_versions["store"]) as store:
        c = compare(store)
    rows = list(csv.DictReader(io.StringIO(to_csv(c, bom=False))))
    assert CSV_COLUMNS[-5:] == (
        "follow_up_total",
        "follow_up_done",
        "follow_up_in_progress",
        "follow_up_dropped",
        "follow_up_not_started",
    )
    by_mission = {r["mission"]: [r[k] for k in CSV_COLUMNS[-5:]] for r in rows}
    assert by_mission["UN New Mission (UNNEW)"] == ["9", "4", "2", "1", "2"]
    assert by_mission["UN Old Mission (UNOLD)"] == ["", "", "", "", ""]


def test_compare_prints_each_missions_follow_up_and_the_summary_shows_it(two_versions, tmp_path, capsys):
    out = tmp_path / "summary.docx"
    code = main(["compare", "--store", str(two_versions["store"]), "-o", str(out), "--csv", str(tmp_path / "s.csv")])
    printed = capsys.readouterr()
    assert code == 0
    text = printed.out + printed.err
    assert "UNNEW (HQ test, 2027-H1): Actions of the last period: 4 of 9 done (2 in progress, 1 dropped)" in text
    assert not [line for line in text.splitlines() if "UNOLD" in line and "Actions of the last period" in line]
    doc = Document(str(out))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Actions of the last period, followed up" in body
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    (table,) = [t for t in tables if t[0][:3] == ["Mission", "Framework, period", "Actions of the last period"]]
    assert table[1:] == [["UNNEW", "HQ test, 2027-H1", "4 of 9 done (2 in progress, 1 dropped)", "4", "2", "1", "2"]]


def test_a_summary_without_follow_up_has_no_follow_up_section(two_versions, tmp_path):
    from assess.collect.summary import render_summary  # noqa: F401  (the command renders it)

    out = tmp_path / "summary.docx"
    code = main(["compare", "--store", str(two_versions["store"]), "--mission", "UNOLD", "-o", str(out)])
    assert code == 0
    body = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Actions of the last period" not in body


# ---------------------------------------------------------------------------- the store


def test_a_schema_1_store_is_migrated_and_collecting_again_adds_the_answers_files(versions_files, store_address):
    """A store written before issue 17 (schema 1) opens migrated; its revisions lack their answers files until
    collected again, which adds them and changes nothing else."""
    store = store_address
    with Store(store) as s:
        collect([versions_files["new_dir"] / "unnew.answers.yaml"], s, jobs=1)
        with s.transaction() as c:  # back to schema 1: what steps 2 to 4 add taken away
            c.execute("DROP TABLE answer_files")
            c.execute("ALTER TABLE frameworks DROP COLUMN path")
            c.execute("ALTER TABLE assessments DROP COLUMN language")  # schema 3 (issue 18)
            c.execute("DROP TABLE mission_keys")  # schema 4 (issue 19)
            c.execute("ALTER TABLE assessments DROP COLUMN signed_by")
            c.execute("ALTER TABLE assessments DROP COLUMN file_sha256")
            c.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with Store(store) as s:
        assert s.rows("SELECT value FROM meta WHERE key = 'schema_version'") == [{"value": str(SCHEMA_VERSION)}]
        assert compare(s).follow_up == []
        result = collect([versions_files["new_dir"] / "unnew.answers.yaml"], s, jobs=1)
        assert (result.unchanged, result.collected) == (1, 0)
        assert s.counts()["revisions"] == 1
        assert [x.counts.done for x in compare(s).follow_up] == [4]


# ---------------------------------------------------------------------------- across versions


def test_the_renamed_questions_answers_are_compared_side_by_side_on_the_newest_version(two_versions):
    with Store(two_versions["store"]) as store:
        c = compare(store)
    (view,) = c.frameworks
    assert view.versions == ["1.1.0", "2.0.0"] and view.target == "2.0.0"
    assert view.labels == ["UNNEW", "UNOLD"]
    (row,) = view.mapped
    # UNOLD answered vendor_checks 'partial' on 1.1.0: migrated, it reads 'Ad hoc' beside UNNEW's 'Full'
    assert (row.id, row.title, row.cells) == ("vendor_screening", "Are vendors screened?", ["Full", "Ad hoc"])
    assert row.how == "renamed from vendor_checks, values remapped (1.1.0)"
    assert view.mapped_labels == ["UNNEW", "UNOLD"]
    # what maps is compared (coverage counts it); what could not map is not
    assert view.changed == ["lease", "old_q"]
    assert c.warnings == []


def test_the_note_names_what_mapped_what_could_not_and_that_scores_stay_as_computed(two_versions):
    with Store(two_versions["store"]) as store:
        c = compare(store)
    (note,) = c.notes
    assert note.startswith("HQ test: versions compared (hqt): assessments on versions 1.1.0, 2.0.0 are compared on")
    assert "by the migrations version 2.0.0 declares, on 1 more their answers map to: " in note
    assert "vendor_screening ← vendor_checks (renamed, values remapped, 1.1.0)" in note
    assert "Could not be mapped (answers kept aside, not compared): old_q (1.1.0: Folded into vendor screening)" in note
    assert "scores stay as each report's own version computed them" in note
    assert "Added in version 2.0.0, so not compared: lease." in note and "Changed:" not in note  # issue 17 review


def test_the_word_summary_shows_the_mapped_answers_side_by_side(two_versions, tmp_path):
    out = tmp_path / "summary.docx"
    assert main(["compare", "--store", str(two_versions["store"]), "-o", str(out)]) == 0
    doc = Document(str(out))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Questions compared across versions" in body
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    (table,) = [t for t in tables if t[0][0] == "Question"]
    assert table[0] == ["Question", "How it maps", "UNNEW", "UNOLD"]
    assert table[1] == [
        "Are vendors screened? (vendor_screening)",
        "renamed from vendor_checks, values remapped (1.1.0)",
        "Full",
        "Ad hoc",
    ]


def test_without_a_declared_migration_versions_compare_on_unchanged_questions_and_say_so(
    versions_files, store_address, tmp_path
):
    """The newest version's file without its migrations block: today's behaviour, a note and W504 say so."""
    folder = tmp_path / "nomig"
    folder.mkdir()
    fw = _write(folder, "hqt-2.0.0.yaml", NO_MIGRATION)
    other = _answers(
        fw, "hqt-2.0.0.yaml", "UN Third Mission (UNTHIRD)", "2027-H1", "2027-03-02T09:00:00Z", {"fuel": "no"}
    )
    (folder / "unthird.answers.yaml").write_text(dumps(other), encoding="utf-8")
    with Store(store_address) as store:
        result = collect([versions_files["old_dir"] / "unold.docx", folder / "unthird.answers.yaml"], store, jobs=1)
        assert result.rejected == []
        c = compare(store)
    (view,) = c.frameworks
    assert view.mapped == [] and view.target == ""
    assert sorted(view.changed) == ["lease", "old_q", "vendor_checks", "vendor_screening"]
    (note,) = c.notes
    assert "are compared only on the 2 questions that did not change between them" in note
    assert (
        "No migration is declared from version 1.1.0 to 2.0.0, so its questions that changed are not compared." in note
    )
    assert [w.code for w in c.warnings] == ["W504"]


def test_one_missions_answers_before_and_after_the_bundled_mission_risk_change_stand_side_by_side(store_address):
    """The bundled example (mission-risk 2.0.0, 2026-H2) and its previous period (1.1.0, 2026-H1, whose framework
    assess ships in frameworks/previous/): whistleblower_channels, renamed reporting_channels, is compared."""
    from assess.answers import load_answers

    examples = Path(__file__).resolve().parent.parent / "frameworks" / "examples"
    last = examples / "previous-period" / "mission-risk.2026-H1.answers.yaml"
    with Store(store_address) as store:
        result = collect([examples / "mission-risk.answers.yaml", last], store, jobs=1)
        assert (result.collected, result.rejected) == (2, [])
        c = compare(store, framework="mission-risk")
    (view,) = c.frameworks
    assert view.versions == ["1.1.0", "2.0.1"] and view.target == "2.0.1"
    assert view.mapped_labels == ["UNMIRT · 2026-H1", "UNMIRT · 2026-H2"]
    rows = {m.id: m for m in view.mapped}
    channels = rows["reporting_channels"]
    assert channels.how == "renamed from whistleblower_channels (1.1.0)"
    fw, _ = load_framework(examples.parent / "mission-risk.yaml")
    label = {o.value: o.label for o in fw.questions["reporting_channels"].options}
    before = load_answers(last)[0].answers["whistleblower_channels"].value
    after = load_answers(examples / "mission-risk.answers.yaml")[0].answers["reporting_channels"].value
    assert channels.cells == [label[before], label[after]]
    (note,) = c.notes
    assert "reporting_channels ← whistleblower_channels (renamed, 1.1.0)" in note
    assert "Could not be mapped (answers kept aside, not compared): open_investigations (1.1.0: " in note


MERGED = (
    NEW.replace(
        "      - {id: fuel, text: Is fuel controlled?, type: yesno}\n",
        "      - {id: supplies, text: Are supplies controlled?, type: yesno}\n",
    )
    .replace(
        "    removed:\n      - {id: old_q, reason: Folded into vendor screening}\n",
        "",
    )
    .replace(
        "        values: [{from: partial, to: ad_hoc}]\n",
        "        values: [{from: partial, to: ad_hoc}]\n      supplies: {merged_from: [fuel, old_q]}\n",
    )
)


def test_answers_a_migration_cannot_move_are_left_out_with_a_warning(versions_files, store_address, tmp_path):
    """2.0.0 merges fuel and old_q with no rule to choose: UNOLD answered them differently (yes, no), so its
    answers cannot be migrated; W506 says so, its cells show nothing, and the rest is still compared."""
    folder = tmp_path / "merged"
    folder.mkdir()
    fw = _write(folder, "hqt-2.0.0.yaml", MERGED)
    other = _answers(fw, "hqt-2.0.0.yaml", "UN Third Mission (UNTHIRD)", "2027-H1", "2027-03-02T09:00:00Z", {})
    other.answers["supplies"] = Answer(value="yes")
    (folder / "unthird.answers.yaml").write_text(dumps(other), encoding="utf-8")
    with Store(store_address) as store:
        result = collect([versions_files["old_dir"] / "unold.docx", folder / "unthird.answers.yaml"], store, jobs=1)
        assert result.rejected == []
        c = compare(store)
    (view,) = c.frameworks
    assert [w.code for w in c.warnings] == ["W506"]
    assert "UN Old Mission (UNOLD), 2026-H2" in c.warnings[0].message
    assert {m.id: (m.how, m.cells) for m in view.mapped} == {
        "vendor_screening": ("renamed from vendor_checks, values remapped (1.1.0)", ["—", "—"]),
        "supplies": ("merged from fuel, old_q (1.1.0)", ["—", "Yes"]),
    }


def test_without_the_newest_versions_file_versions_compare_on_unchanged_questions(
    versions_files, store_address, tmp_path
):
    """The newest version's framework file gone from where it was collected (and not bundled): W505."""
    folder = tmp_path / "gone"
    folder.mkdir()
    for name in ("hqt-2.0.0.yaml", "unnew.answers.yaml"):
        (folder / name).write_bytes((versions_files["new_dir"] / name).read_bytes())
    with Store(store_address) as store:
        collect([versions_files["old_dir"] / "unold.docx", folder / "unnew.answers.yaml"], store, jobs=1)
        (folder / "hqt-2.0.0.yaml").unlink()
        c = compare(store)
    (view,) = c.frameworks
    assert view.mapped == [] and "vendor_screening" in view.changed
    assert [w.code for w in c.warnings] == ["W505"]
    assert "The framework file of version 2.0.0 is not at hand" in c.notes[0]


# ---------------------------------------------------------------------------- the mission-risk examples as reports


@pytest.fixture(scope="module")
def mission_risk_reports(tmp_path_factory) -> list[Path]:
    """The 2026-H1 example reported on mission-risk 1.1.0, the 2026-H2 example and the twelve Selvara files
    (current versions) reported as a user runs it."""
    tmp_path = tmp_path_factory.mktemp("mission-risk-reports")
    root = Path(__file__).resolve().parents[1]
    examples = root / "frameworks" / "examples"
    (tmp_path / "selvara").mkdir()
    made = [
        ["report", str(examples / "previous-period" / "mission-risk.2026-H1.answers.yaml"), "--framework",
         str(root / "frameworks" / "previous" / "mission-risk-1.1.0-5b08e034.yaml"), "-o", str(tmp_path / "mr-h1.docx")],
        ["report", str(examples / "mission-risk.answers.yaml"), "-o", str(tmp_path / "mr-h2.docx")],
    ]  # fmt: skip
    for path in sorted((examples / "selvara").glob("*.answers.yaml")):
        name = path.name.replace(".answers.yaml", ".docx")
        made.append(["report", str(path), "-o", str(tmp_path / "selvara" / name)])
    for args in made:
        assert main(args) == 0, args
    return [tmp_path / "mr-h1.docx", tmp_path / "mr-h2.docx", *sorted((tmp_path / "selvara").glob("*.docx"))]


def test_one_1_1_0_report_keeps_every_missions_mission_risk_headline_and_trend(
    mission_risk_reports, store_address, tmp_path, capsys
):
    """Issue 17 review: mission_risk_reports collected and compared as a user runs them. 1.1.0 -> 2.0.0 changes no
    score (its changelog: 'No score changes'), so both missions keep the framework's headline, its change and
    comparable scores; the note reads cleanly, calls the added question added, and counts no answer of an older
    assessment as one of the latest."""
    store = store_address
    assert main(["collect", *map(str, mission_risk_reports), "--store", str(store)]) == 0
    capsys.readouterr()
    out, out_csv = tmp_path / "sum.docx", tmp_path / "sum.csv"
    assert main(["compare", "--store", str(store), "-o", str(out), "--csv", str(out_csv)]) == 0
    printed = capsys.readouterr()
    (note,) = [line for line in printed.err.splitlines() if "(mission-risk)" in line]
    assert "versions 1.1.0, 2.0.1 are compared on the 48 questions that did not change between them (questions and " \
        "their options compared) and, by the migrations" in note  # fmt: skip
    assert "((" not in note and "))" not in note
    assert "Added in version 2.0.1, so not compared: ownership_disclosure." in note
    assert "Changed:" not in note and "could not move" not in note and "Scores not compared" not in note
    glance = {row[0]: row[1:4] for row in Document(str(out)).tables[0].rows[1:] for row in [[c.text for c in row.cells]]
              if "Mission risk" in row[1]}  # fmt: skip
    headline = "Mission risk management: do not become part of…: Overall exposure"
    assert glance == {
        "UNMIRT, 2026-H2": [headline, "1.76 High", "▲ 0.08 worse"],
        "MINUSEL, 2026-H2": [headline, "1.34 Moderate", "▼ 0.68 better"],  # as without the 1.1.0 report
    }
    with open(out_csv, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["framework"] == "mission-risk"]
    assert len(rows) == 36 and {r["comparable"] for r in rows} == {"yes"}
    with Store(store) as s:
        c = compare(s)
    (view,) = [v for v in c.frameworks if v.id == "mission-risk"]
    assert view.headline[0] == ("overall_exposure", "Overall exposure") and view.declared
    assert [t.change for t in view.trends] == [
        "Overall exposure: ▼ 0.68 better from 2026-H1 to 2026-H2",
        "Overall exposure: ▲ 0.08 worse from 2026-H1 to 2026-H2",
    ]


def test_a_score_a_version_changed_is_not_compared_across_versions_but_each_version_keeps_its_trend(
    versions_files, store_address
):
    """hqt 2.0.0 adds a scored question to Controls (lease): Controls does not compare between 1.1.0 and 2.0.0, yet
    UNNEW's two assessments on 2.0.0 keep Controls as headline and trend, and their CSV rows say comparable."""
    fw = load_framework(versions_files["new_dir"] / "hqt-2.0.0.yaml")[0]
    later = _answers(fw, "hqt-2.0.0.yaml", "UN New Mission (UNNEW)", "2027-H2", "2027-09-01T09:00:00Z",
                     {"vendor_screening": "full", "fuel": "yes", "lease": "yes"})  # fmt: skip
    (versions_files["new_dir"] / "unnew-h2.answers.yaml").write_text(dumps(later), encoding="utf-8")
    with Store(store_address) as store:
        files = [versions_files["old_dir"] / "unold.docx", versions_files["new_dir"] / "unnew.answers.yaml"]
        result = collect([*files, versions_files["new_dir"] / "unnew-h2.answers.yaml"], store, jobs=1)
        assert (result.collected, result.rejected) == (3, [])
        c = compare(store)
    (view,) = c.frameworks
    assert [t for _, t in view.not_compared] == ["Controls", "Risks"]
    # the latest assessments are on 1.1.0 and 2.0.0: no score is set side by side, the headline stays
    assert view.headline[0] == ("s", "Controls") and view.scores == []
    unnew = next(t for t in view.trends if t.label == "UNNEW")
    assert unnew.change.startswith("Controls: ") and "from 2027-H1 to 2027-H2" in unnew.change
    row = next(g for g in c.glance if g.label == "UNNEW")
    assert row.headline[0][1] is not None and row.change not in ("", "not comparable")
    rows = list(csv.DictReader(io.StringIO(to_csv(c, bom=False))))
    controls = {(r["mission"][-6:-1], r["period"]): r["comparable"] for r in rows if r["score"] == "s"}
    assert controls == {("UNOLD", "2026-H2"): "no", ("UNNEW", "2027-H1"): "yes", ("UNNEW", "2027-H2"): "yes"}


# ---------------------------------------------------------------------------- a rescored option, a patch, an addition

V1 = """\
id: hqr
version: 1.0.0
title: HQ rescore test
scales:
  lvl:
    options:
      - {value: none, score: 0, label: None}
      - {value: ad_hoc, score: 2, label: Ad hoc}
      - {value: full, score: 3, label: Full}
sections:
  - id: s
    title: Controls
    questions:
      - {id: a, text: Are controls in place?, type: scale, scale: lvl}
      - {id: b0, text: Is fuel controlled?, type: yesno}
      - {id: c, text: Is the lease safe?, type: yesno}
"""
V2 = (
    V1.replace("1.0.0", "2.0.0")
    .replace("{id: b0,", "{id: b,")
    .replace("      - {id: c,", "      - {id: extra, text: Anything to add?, type: text}\n      - {id: c,")
    + "migrations:\n  - {from: 1.0.0, to: 2.0.0, note: A text question added., questions: {b: {renamed_from: b0}}}\n"
)
V201 = V2.replace("version: 2.0.0", "version: 2.0.1").replace("Anything to add?", "Anything more to add?")
V3 = (
    V201.replace("version: 2.0.1", "version: 3.0.0")
    .replace("score: 2, label: Ad hoc", "score: 2.5, label: Ad hoc")
    .replace(
        "{id: c, text: Is the lease safe?, type: yesno}", "{id: c, text: Is the lease safe?, type: scale, scale: lvl}"
    )
    + "  - {from: 2.0.0, to: 2.0.1, note: Wording only.}\n  - {from: 2.0.1, to: 3.0.0, note: Ad hoc scores 2.5.}\n"
)


@pytest.fixture(scope="module", params=BACKENDS)
def four_versions(request, tmp_path_factory):
    """UNMX on hqr 1.0.0 (2026-H1), 2.0.0 (2026-H2: renames b0 to b, adds 'extra'), 2.0.1 (2027-H1: a wording patch)
    and 3.0.0 (2027-H2: rescores 'ad_hoc' 2 -> 2.5, makes 'c' a scale), collected and compared (on each backend)."""
    root = tmp_path_factory.mktemp("hqr")
    files = []
    for n, (text, version, period) in enumerate(
        [(V1, "1.0.0", "2026-H1"), (V2, "2.0.0", "2026-H2"), (V201, "2.0.1", "2027-H1"), (V3, "3.0.0", "2027-H2")]
    ):
        (root / version).mkdir()
        fw = _write(root / version, f"hqr-{version}.yaml", text)
        values = {"a": "ad_hoc", "b" if n else "b0": "yes", "c": "full" if n == 3 else "yes"} | (
            {"extra": "x"} if n else {}
        )
        a = _answers(
            fw, f"hqr-{version}.yaml", "UN Mix (UNMX)", period, f"202{6 + n // 2}-0{1 + n}-01T09:00:00Z", values
        )
        files.append(root / version / "unmx.answers.yaml")
        files[-1].write_text(dumps(a), encoding="utf-8")
    with Store(new_address(request, request.param, root)) as store:
        assert collect(files, store, jobs=1).rejected == []
        return compare(store)


def test_a_rescored_option_stops_the_scores_not_the_answers_and_only_answers_kept_aside_are_named_once(four_versions):
    """Second review of issue 17 (C): answers to 'a' (its option rescored) move as they are, so 'a' is compared,
    not 'could not be mapped'; 'c', whose answers migrating keeps aside, is named once for its three versions."""
    (view,) = four_versions.frameworks
    assert "compared on the 1 questions that did not change between them (questions and their options compared) " \
        "and, by the migrations version 3.0.0 declares, on 1 more their answers map to: b ← b0 (renamed, 1.0.0)" \
        in view.note  # fmt: skip
    assert "Could not be mapped (answers kept aside, not compared): c (1.0.0, 2.0.0, 2.0.1: changed, and " \
        "migrating keeps its answers aside (no migration declares how they move))." in view.note  # fmt: skip
    assert view.note.count("c (") == 1 and "a (" not in view.note
    assert "a" not in view.changed and "c" in view.changed
    assert [t for _, t in view.not_compared] == ["Controls"]  # the rescore stops the score


def test_a_question_added_in_an_intermediate_version_is_added_not_changed(four_versions):
    """Second review of issue 17 (E): 'extra', added in 2.0.0 and the same since, is 'added in 2.0.0' and compared
    among the versions that have it (so counted in coverage), not 'Changed'."""
    (view,) = four_versions.frameworks
    assert "Added in version 2.0.0, compared from that version on: extra." in view.note
    assert "Changed:" not in view.note and "extra" not in view.changed
    (coverage,) = four_versions.coverage
    assert coverage.questions == 3  # a, b and extra on 3.0.0 ('c' could not be mapped)


def test_the_trend_keeps_the_comparable_series_and_breaks_where_the_score_stops_comparing(four_versions):
    """Second review of issue 17 (D): 1.0.0, 2.0.0 and 2.0.1 compute Controls alike, 3.0.0 otherwise: the trend
    shows the three periods, then a break saying why, then 2027-H2; the change and the at-a-glance row follow only
    the last comparable run."""
    (trend,) = build_context(four_versions)["trends"][0]["rows"]
    assert trend["path"] == (
        "2026-H1 1.33 → 2026-H2 1.33 → 2027-H1 1.33 ‖ version 3.0.0 changed how it is computed ‖ 2027-H2 2.17"
    )
    (view,) = four_versions.frameworks
    (t,) = view.trends
    assert [a.period for a, cells in t.points if "s" in cells] == ["2026-H1", "2026-H2", "2027-H1", "2027-H2"]
    assert t.change == "" and four_versions.glance[0].change == "not comparable"
