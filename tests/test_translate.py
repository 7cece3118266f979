"""Tests of assess translate: a framework's texts exported as a PO file, a filled one imported into the translations
block (that block's lines only, atomically, never onto the framework unless asked), and the round trip."""

from __future__ import annotations

import io
import shutil

import pytest
from babel.messages.pofile import read_po, write_po

from assess.loader import load_framework

from conftest import ROOT, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "languages" / "riverside.yaml"

HEAD = "# A comment above, kept.\n"


@pytest.fixture
def framework(tmp_path):
    """A copy of the two-language fixture, with a comment at its head and one after its translations block."""
    path = tmp_path / "riverside.yaml"
    path.write_text(HEAD + FIXTURE.read_text(encoding="utf-8") + "# A comment at the end, kept.\n", encoding="utf-8")
    return path


def _export(path, *more: str, cwd=None) -> str:
    r = run_cli("translate", "export", str(path), *more, cwd=cwd)
    assert r.returncode == 0, r.stderr
    return r.stdout


def _fill(po: str, fill) -> str:
    """A PO file with each message's msgstr set by fill(message), written back by Babel as a PO editor would."""
    catalog = read_po(io.StringIO(po))
    for m in catalog:
        if m.id:
            m.string = fill(m)
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=False)
    return out.getvalue().decode("utf-8")


def test_export_writes_one_entry_per_text_with_its_place_its_line_and_its_translation(framework):
    po = _export(framework, "--lang", "fr")
    catalog = read_po(io.StringIO(po))
    assert str(catalog.locale) == "fr"
    entries = {m.context: m for m in catalog if m.id}
    assert len(entries) == 36
    text = framework.read_text(encoding="utf-8")
    boats = entries["questions.boats.text"]
    assert boats.id == "How many boats unload each week?"
    assert boats.string == "Combien de bateaux déchargent chaque semaine ?"
    line = text[: text.index("How many boats")].count("\n") + 1
    assert boats.locations == [("riverside.yaml", line)]  # outside the current folder: its name, never /tmp/...
    assert entries["questions.boats.guidance"].string == ""  # the one missing: to translate
    assert entries["ratings.threat.bands.2.label"].string == "Élevée"
    assert entries["scales.grade.labels.1"].id == "Negligible"
    assert "{entity}" not in po or "Keep each {name}" in po
    assert _export(framework, "--lang", "fr") == po  # the same bytes each time: nothing but the texts in it


def test_export_then_fill_then_import_then_export_gives_the_same_po(framework):
    before = framework.read_text(encoding="utf-8")
    tricky = 'Comptez « ici » :\n- le registre ;\n- "les quais" \\ {entity}.'
    filled = _fill(_export(framework, "--lang", "fr"), lambda m: m.string or tricky)
    po = framework.parent / "fr.po"
    po.write_text(filled, encoding="utf-8")
    r = run_cli("translate", "import", str(framework), str(po), "--in-place")
    assert r.returncode == 0, r.stderr
    assert r.stderr.endswith("36 translations imported (fr): 1 added, 35 unchanged\n"), r.stderr
    after = framework.read_text(encoding="utf-8")
    start = before.index("\ntranslations:\n")
    assert after[:start] == before[:start]  # every line above the block, byte for byte
    assert after.startswith(HEAD) and after.endswith("# A comment at the end, kept.\n")
    assert _export(framework, "--lang", "fr") == filled
    fw, warnings = load_framework(framework, "fr")
    assert fw.questions["boats"].guidance == tricky
    assert not [w for w in warnings if w.code == "W041"]
    # importing the same file again changes nothing
    r = run_cli("translate", "import", str(framework), str(po), "--in-place")
    assert r.returncode == 0 and framework.read_text(encoding="utf-8") == after
    assert r.stderr.endswith("36 translations imported (fr): 36 unchanged\n"), r.stderr


def test_import_changes_only_the_lines_of_its_language(framework):
    text = framework.read_text(encoding="utf-8")
    po = framework.parent / "fr.po"
    po.write_text(_fill(_export(framework, "--lang", "fr"), lambda m: m.string or "Comptez."), encoding="utf-8")
    out = framework.parent / "out.yaml"
    r = run_cli("translate", "import", str(framework), str(po), "-o", str(out))
    assert r.returncode == 0, r.stderr
    old, new = text.splitlines(), out.read_text(encoding="utf-8").splitlines()
    changed = [ln for ln in new if ln not in old]
    assert changed == [
        '      boats: {text: "Combien de bateaux déchargent chaque semaine ?", guidance: "Comptez.", unit: "bateaux"}'
    ]
    assert framework.read_text(encoding="utf-8") == text  # the framework given is left as it was


def test_stale_fuzzy_and_unknown_entries_are_not_imported(framework):
    po = _export(framework, "--lang", "fr")
    po = po.replace('msgstr "Contrôle du port fluvial (jeu d\'essai)"', 'msgstr "Nouveau titre"')
    po = po.replace('msgid "Riverside port check (test fixture)"', 'msgid "An old title"')
    po = po.replace('msgctxt "description"', '#, fuzzy\nmsgctxt "description"')
    po = po.replace('msgctxt "heatmaps.crew_map.title"', 'msgctxt "heatmaps.gone.title"')
    path = framework.parent / "fr.po"
    path.write_text(po, encoding="utf-8")
    out = framework.parent / "out.yaml"
    r = run_cli("translate", "import", str(framework), str(path), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert (
        "title: the PO entry translates 'An old title', but the framework now says 'Riverside port check (test "
        "fixture)'"
        in r.stderr
        and "[W043]" in r.stderr
    )
    assert "heatmaps.gone.title: the PO entry names no text of the framework" in r.stderr
    assert "1 fuzzy PO entries not imported" in r.stderr
    fw, _ = load_framework(out, "fr")
    assert fw.title == "Contrôle du port fluvial (jeu d'essai)"  # the translation it had, kept
    assert fw.heatmaps[0].title == "Équipages par emprise et par tort"


def test_import_never_writes_onto_the_framework_unless_in_place(framework):
    text = framework.read_text(encoding="utf-8")
    po = framework.parent / "fr.po"
    po.write_text(_export(framework, "--lang", "fr"), encoding="utf-8")
    r = run_cli("translate", "import", str(framework), str(po), "-o", str(framework))
    assert r.returncode == 2 and "[E907]" in r.stderr
    r = run_cli("translate", "import", str(framework), str(po))
    assert r.returncode == 0 and r.stdout.startswith(HEAD)  # standard output by default
    other = framework.parent / "taken.yaml"
    other.write_text("mine\n", encoding="utf-8")
    r = run_cli("translate", "import", str(framework), str(po), "-o", str(other))
    assert r.returncode == 2 and "[E908]" in r.stderr and other.read_text(encoding="utf-8") == "mine\n"
    r = run_cli("translate", "export", str(framework), "--lang", "fr", "-o", str(other))
    assert r.returncode == 2 and "[E908]" in r.stderr
    assert framework.read_text(encoding="utf-8") == text
    assert not [p.name for p in framework.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_first_translation_is_added_at_the_end_and_the_language_must_be_declared(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text(
        "id: plain\nversion: 1.0.0\ntitle: Plain  # no translation yet\nlanguages: [en, ar]\n"
        "sections:\n  - id: s\n    title: Section\n    questions:\n      - {id: q, text: Why?, type: text}\n",
        encoding="utf-8",
    )
    r = run_cli("translate", "export", str(path), "--lang", "fr")
    assert r.returncode == 2 and "[E905]" in r.stderr
    r = run_cli("translate", "export", str(path), "--lang", "en")
    assert r.returncode == 2 and "[E911]" in r.stderr
    arabic = {"title": "بسيط", "sections.s.title": "قسم", "questions.q.text": "لماذا؟"}
    po = tmp_path / "ar.po"
    po.write_text(_fill(_export(path), lambda m: arabic[m.context]), encoding="utf-8")  # the one other language
    before = path.read_text(encoding="utf-8")
    r = run_cli("translate", "import", str(path), str(po), "--in-place")
    assert r.returncode == 0, r.stderr
    after = path.read_text(encoding="utf-8")
    assert after == before + (
        'translations:\n  ar:\n    title: "بسيط"\n    sections:\n      s: {title: "قسم"}\n'
        '    questions:\n      q: {text: "لماذا؟"}\n'
    )
    assert load_framework(path, "ar")[0].questions["q"].text == "لماذا؟"


def test_a_po_file_for_another_language_or_not_a_po_file_is_refused(framework, tmp_path):
    po = tmp_path / "fr.po"
    po.write_text(_export(framework, "--lang", "fr"), encoding="utf-8")
    r = run_cli("translate", "import", str(framework), str(po), "--lang", "ar")
    assert r.returncode == 2 and "[E906]" in r.stderr
    bad = tmp_path / "bad.po"
    bad.write_text('msgid "x"\nmsgstr "y"\nthis is not a PO file\n', encoding="utf-8")
    r = run_cli("translate", "import", str(framework), str(bad))
    assert r.returncode == 2 and "[E904]" in r.stderr
    shutil.copy(framework, tmp_path / "copy.yaml")


def test_every_text_a_translator_can_type_reads_back_exactly_from_the_block_written():
    from assess import yamlsafe
    from assess.pofile import render

    texts = [
        "a\x7fb\x85c\u2028d\ufeffe",  # what YAML cannot hold as written is escaped
        "two\nlines\x80",
        " a leading space\nand a second line",
        "a\ttab",
        'quotes "q", a backslash \\ and {entity}',
        "one line\n",
        "Markdown:\n\n- **one**\n- two\n",
        "« Guillemets » : espaces insécables\u00a0; fines\u202f!",
        "لماذا؟ نص عربي",
        "yes",
    ]
    entries = [(("questions", f"q{i}", "text"), t) for i, t in enumerate(texts)]
    entries.append((("ratings", "r", "bands", "0.50", "label"), "Faible"))
    entries.append((("questions", "q0", "options", "no", "label"), "Non"))
    block = "translations:\n" + render("fr", entries, 2)
    read = yamlsafe.parse(block, "block.yaml").data["translations"]["fr"]
    assert [read["questions"][f"q{i}"]["text"] for i in range(len(texts))] == texts
    assert read["ratings"]["r"]["bands"]["0.50"]["label"] == "Faible"
    assert read["questions"]["q0"]["options"]["no"]["label"] == "Non"
    assert "        text: |\n          Markdown:\n\n          - **one**\n" in block  # several lines: a literal block


PLAIN = (
    "id: plain\nversion: 1.0.0\ntitle: Plain\nlanguages: [en, fr, ar]\n{translations}"
    "sections:\n  - id: s\n    title: Section\n    questions:\n      - {{id: q, text: Why?, type: text}}\n"
)


def test_a_block_in_the_middle_of_the_file_is_replaced_in_place_and_crlf_kept(tmp_path):
    middle = "translations:\n  fr:\n    title: Simple  # old\n  ar:\n    title: بسيط\n"
    path = tmp_path / "plain.yaml"
    path.write_bytes(PLAIN.format(translations=middle).replace("\n", "\r\n").encode("utf-8"))
    r = run_cli("translate", "export", str(path))
    assert r.returncode == 2 and "[E910]" in r.stderr  # two languages to translate into: which one?
    fill = {"title": "Simple", "sections.s.title": "Partie", "questions.q.text": "Pourquoi ?"}
    po = tmp_path / "fr.po"
    po.write_text(_fill(_export(path, "--lang", "fr"), lambda m: fill[m.context]), encoding="utf-8")
    r = run_cli("translate", "import", str(path), str(po), "--in-place")
    assert r.returncode == 0, r.stderr
    expected = PLAIN.format(
        translations='translations:\n  fr:\n    title: "Simple"\n    sections:\n      s: {title: "Partie"}\n'
        '    questions:\n      q: {text: "Pourquoi ?"}\n  ar:\n    title: بسيط\n'
    )
    assert path.read_bytes() == expected.replace("\n", "\r\n").encode("utf-8")


def test_a_translations_block_written_on_one_line_is_not_rewritten(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text(PLAIN.format(translations="translations: {fr: {title: Simple}}\n"), encoding="utf-8")
    po = tmp_path / "fr.po"
    po.write_text(_fill(_export(path, "--lang", "fr"), lambda m: m.string or "Partie"), encoding="utf-8")
    r = run_cli("translate", "import", str(path), str(po), "--in-place")
    assert r.returncode == 2 and "[E909]" in r.stderr and f"{path}:5:16:" in r.stderr  # at its language
    # a change of the one translation it has is made where it is written
    filled = _fill(_export(path, "--lang", "fr"), lambda m: "Très simple" if m.id == "Plain" else "")
    po.write_text(filled, encoding="utf-8")
    r = run_cli("translate", "import", str(path), str(po), "--in-place")
    assert r.returncode == 0, r.stderr
    assert path.read_text(encoding="utf-8") == PLAIN.format(translations='translations: {fr: {title: "Très simple"}}\n')


HAND_WRITTEN = """\
translations:
  fr:   # written by hand
    questions: {q: {text: 'Pourquoi ?'}}
    title: Simple  # the title
    sections:
      s: {title: Partie,
          description: "Une partie."}
"""


def test_an_import_that_changes_translations_changes_only_their_lines_of_a_hand_written_block(tmp_path):
    path = tmp_path / "plain.yaml"
    text = PLAIN.replace("title: Section\n", "title: Section\n    description: A part.\n")
    path.write_text(text.format(translations=HAND_WRITTEN), encoding="utf-8")
    changed = {"title": 'Simple, "vraiment"', "questions.q.text": "Pourquoi donc ?"}
    po = tmp_path / "fr.po"
    po.write_text(_fill(_export(path, "--lang", "fr"), lambda m: changed.get(m.context, m.string)), encoding="utf-8")
    r = run_cli("translate", "import", str(path), str(po), "--in-place")
    assert r.returncode == 0, r.stderr
    block = HAND_WRITTEN.replace("'Pourquoi ?'", '"Pourquoi donc ?"').replace("Simple ", '"Simple, \\"vraiment\\"" ')
    assert path.read_text(encoding="utf-8") == text.format(translations=block)  # layout and comments kept
    assert r.stderr.endswith("4 translations imported (fr): 2 changed, 2 unchanged\n"), r.stderr
    assert load_framework(path, "fr")[0].title == 'Simple, "vraiment"'
    r = run_cli("translate", "import", str(path), str(po), "--in-place")  # again: nothing to change
    assert r.returncode == 0 and path.read_text(encoding="utf-8") == text.format(translations=block)


def test_the_po_file_names_the_framework_as_given_or_relative_to_the_current_folder(framework):
    relative = _export("riverside.yaml", "--lang", "fr", cwd=framework.parent)
    assert "#: riverside.yaml:" in relative and str(framework.parent) not in relative
    bundled = _export("mission-risk", "--lang", "fr")  # in the current folder (the repository)
    assert "\n#: frameworks/mission-risk.yaml:13\n" in bundled and str(ROOT) not in bundled
    assert str(ROOT) not in _export(
        str(ROOT / "frameworks" / ".." / "frameworks" / "mission-risk.yaml"), "--lang", "fr"
    )


@pytest.mark.parametrize(
    ("context", "text", "code", "char"),
    [
        ("ratings.threat.bands.2.label", "Grave\x07\x1b[31mrouge", "E914", "U+0007"),
        ("ratings.threat.bands.2.label", "Très\ngrave", "E915", "U+000A"),
        ("scales.level.title", "Ni\tveau", "E914", "U+0009"),
        ("description", "Un texte\x85 de plusieurs lignes", "E914", "U+0085"),
    ],
)
def test_a_translation_with_a_control_character_or_a_line_break_in_a_label_is_refused(
    framework, context, text, code, char
):
    before = framework.read_text(encoding="utf-8")
    po = framework.parent / "fr.po"
    filled = _fill(_export(framework, "--lang", "fr"), lambda m: text if m.context == context else m.string)
    po.write_text(filled, encoding="utf-8")
    r = run_cli("translate", "import", str(framework), str(po), "--in-place")
    assert r.returncode == 2 and f"translations.fr.{context} holds a" in r.stderr and f"({char})" in r.stderr
    lines = po.read_text(encoding="utf-8").splitlines()
    at = lines.index(f'msgctxt "{context}"') + 2  # the entry's msgid
    assert f"fr.po:{at}:1: translations.fr.{context} holds a" in r.stderr, r.stderr
    assert r.stderr.rstrip().endswith(f"[{code}]") and framework.read_text(encoding="utf-8") == before


def test_a_description_may_run_over_lines_and_hold_a_tab():
    from assess.translations import unfit

    assert unfit(("rules", "r", "action"), "- un\n- deux\tet trois") is None
    assert unfit(("questions", "q", "text"), "Pourquoi\u2028donc ?") == ("E915", "U+2028")
    assert unfit(("questions", "q", "text"), "Pourquoi\x7f ?") == ("E914", "U+007F")


def test_import_counts_in_french_with_french_plurals(framework):
    import os
    import subprocess
    import sys

    po = framework.parent / "fr.po"
    filled = _fill(_export(framework, "--lang", "fr"), lambda m: "Nouveau titre" if m.context == "title" else m.string)
    po.write_text(filled, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), ASSESS_LANG="fr")
    cmd = [sys.executable, "-m", "assess", "translate", "import", str(framework), str(po), "--in-place"]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stderr.endswith("35 traductions importées (fr)\u00a0: 1 modifiée, 34 inchangées\n"), r.stderr
