"""Provides the app's language: a session opened in the assessment's language, key descriptions and Textual's own
words in the interface language, and the nouns a framework names its blocks with, counted in its language."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from ..i18n import N_, domain, language, primary, set_language
from ..pipeline import open_for_editing
from ..session import Session

_, ngettext, pgettext = domain("app")

TEXTUAL_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    N_("palette"),
    N_("Open the command palette"),
    N_("Search for commands…"),
    N_("Select"),
    N_("Toggle"),
    N_("Expand or collapse all"),
    N_("Cursor Up"),
    N_("Cursor Down"),
    N_("Cursor to parent"),
    N_("Cursor to next ancestor"),
    N_("Cursor to previous sibling"),
    N_("Cursor to next sibling"),
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Copy selected text"),
)
"""Textual's own words the app shows (its system commands in the palette, its keys in the help and footer), in the
catalogue so that they are said in the interface language too."""

MODEL_WORDS = (
    N_("carried forward — review"),
    N_("Not started"),
    N_("In progress"),
    N_("Done"),
    N_("Dropped"),
    N_("no doubt about the source"),
    N_("mostly reliable"),
    N_("mostly unreliable"),
    N_("cannot be assessed"),
    N_("known to be true without reservation"),
    N_("known personally to the source"),
    N_("not known personally, corroborated"),
    N_("not known personally, not corroborated"),
    N_("completely reliable"),
    N_("usually reliable"),
    N_("fairly reliable"),
    N_("not usually reliable"),
    N_("unreliable"),
    N_("reliability cannot be judged"),
    N_("confirmed by other sources"),
    N_("probably true"),
    N_("possibly true"),
    N_("doubtful"),
    N_("improbable"),
    N_("truth cannot be judged"),
)
"""The model's labels the app shows (CARRIED_LABEL, FOLLOW_UP_LABELS, GRADE_MEANINGS), in the catalogue likewise."""

PRIORITY_WORDS = {"critical": N_("Critical"), "high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
"""A recommended action's priority as the app names it (the file and the rules keep the id)."""


def priority(value: str) -> str:
    """A priority in the interface language: 'high' -> 'High' ('Élevée' in French); an unknown one capitalized."""
    return word(PRIORITY_WORDS[value]) if value in PRIORITY_WORDS else value.capitalize()


def word(text: str) -> str:
    """A text of the catalogue (a key's description, a label held in a table) in the interface language; '' stays ''
    (gettext would give the catalogue's header for it)."""
    return _(text) if text else text


def description(binding: Binding) -> str:
    """What a key does, as the footer and the help say it, in the interface language; one of a numbered run
    ('Confidence 3') through the run's entry ('Confidence {n}')."""
    text = binding.description
    numbered = re.fullmatch(r"(.*\D)(\d+)", text)
    if numbered:
        run = numbered[1] + "{n}"
        found = word(run)
        if found != run:
            return found.format(n=numbered[2])
    return word(text)


def grouped(n: int) -> str:
    """A count with its thousands grouped as the interface language writes them ('5,000'; '5 000' in French)."""
    lang = language()
    return f"{n:,}" if lang.startswith("en") else shown(str(n))


def shown(text: str) -> str:
    """A number as assess formats it ('6.40', '-1234.5') written as the interface language does ('6,40' in French);
    digits kept, only separators changed; any other text as it is."""
    lang = language()
    if lang.startswith("en") or not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        return text
    from ..l10n import number

    return number(text, lang)


LANGUAGE_WARNINGS = ("W041", "W042")
"""The framework's warnings the app shows on opening: texts without a translation to the assessment's language,
or a framework without that language (its texts shown in their own)."""


def open_session(path: str | Path, framework: str | None = None, read_only: bool = False, lang: str | None = None):
    """Open an answers file as Session.open does, with its framework's texts in the assessment's language (lang: the
    --lang given; else the user's setting, the language the file records, the locale), and the app's words in it."""
    opened = open_for_editing(path, framework, lang=lang)
    session = Session(opened.framework, opened.answers, Path(path), read_only=read_only)
    # texts shown in another language than the assessment's (W041, W042) are said, with what else opened anyway
    said = [w for w in opened.framework_warnings if w.code in LANGUAGE_WARNINGS]
    session.warnings = [*said, *opened.warnings]
    set_language(opened.language)
    return session


LINKS = {"en": ("or", "and"), "fr": ("ou", "et")}
"""The words that join two nouns of one block label ('group or network'), each noun counted, by language."""
FRENCH_STOP = re.compile(r"(de|du|des|d'.*|d’.*|à|au|aux|en|pour|sur|par|contre|entre|avec|sans)", re.IGNORECASE)
"""A French word after which a block label's words are no longer counted ('acteur de la menace')."""


def plural(label: str, n: int, lang: str | None = None) -> str:
    """The label of n blocks in the language of the framework's texts (default: the interface's): 'risk' for one,
    else 'risks' ('entity' → 'entities'; 'groupe armé' → 'groupes armés', 'réseau' → 'réseaux'; each noun of
    'group or network' counted)."""
    lang = (lang or language()).split("-")[0]
    if n == 1:
        return label
    parts = label.split(" ")
    if lang == "fr":
        out = []
        counting = True
        for i, w in enumerate(parts):
            if w.lower() in LINKS["fr"]:
                counting = True
                out.append(w)
                continue
            if FRENCH_STOP.fullmatch(w) or (i and w.lower() in ("le", "la", "les", "l'", "l’")):
                counting = False
            out.append(_french_plural(w) if counting else w)
        return " ".join(out)
    links = LINKS.get(lang, LINKS["en"])
    ends = [i for i, w in enumerate(parts) if i + 1 < len(parts) and parts[i + 1] in links]
    for i in [*ends, len(parts) - 1]:
        parts[i] = _english_plural(parts[i])
    return " ".join(parts)


def _english_plural(word_: str) -> str:
    low = word_.lower()
    if not low or not low[-1].isalpha():
        return word_
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return word_[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word_ + "es"
    return word_ + "s"


def _french_plural(word_: str) -> str:
    low = word_.lower()
    if not low or not low[-1].isalpha() or low.endswith(("s", "x", "z")):
        return word_
    if low.endswith("al") and low not in ("bal", "carnaval", "festival", "récital", "régal", "chacal"):
        return word_[:-2] + "aux"
    if low.endswith(("eau", "au", "eu")) and low not in ("pneu", "bleu"):
        return word_ + "x"
    return word_ + "s"


def elide(text: str) -> str:
    """French elision of 'de' before a vowel in a sentence built around a name: 'de acteurs' → 'd’acteurs' (other
    languages unchanged; an aspirated h is left alone, as the words around a name cannot tell it)."""
    if language().split("-")[0] != "fr":
        return text
    return re.sub(r"\b([dD])e (?=[aeiouyâàéèêëîïôûAEIOUYÂÀÉÈÊÎÔÛ])", lambda m: m[1] + "’", text)


def punct(mark: str) -> str:
    """A colon or semicolon (or ! ?) joining two texts the app builds, with the space the interface language puts
    before it: 'A: text' in English, 'A\u00a0: texte' in French (a no-break space before ':', a narrow one before
    ';', '!' and '?'); the ordinary space after it."""
    if primary(language()) != "fr":
        return mark + " "
    return ("\u00a0" if mark == ":" else "\u202f") + mark + " "


FEMININE_ENDINGS = (
    "tion",
    "sion",
    "xion",
    "té",
    "ure",
    "ance",
    "ence",
    "ette",
    "elle",
    "esse",
    "euse",
    "trice",
    "ie",
    "ise",
    "ade",
    "ude",
    "onne",
    "ille",
    "ée",
    "ité",
)
"""The endings of French nouns that are mostly feminine (organisation, entité, personne, entreprise…)."""
FEMININE_WORDS = {
    "zone",
    "menace",
    "milice",
    "police",
    "bande",
    "cellule",
    "force",
    "source",
    "région",
    "province",
    "affaire",
    "ville",
    "route",
    "mine",
    "faction",
    "structure",
    "filière",
    "autorité",
    "partie",
}
MASCULINE_WORDS = {
    "comité",
    "côté",
    "traité",
    "député",
    "silence",
    "génie",
    "incendie",
    "musée",
    "lycée",
    "trophée",
    "parapluie",
    "pâté",
    "été",
}
"""French nouns a block may be named with whose gender their ending does not tell."""


def feminine(label: str) -> bool:
    """Whether a French block label is feminine, by its first word ('entité', 'organisation criminelle'); a guess
    from its ending where it is not a word known here, masculine when nothing says otherwise ('acteur', 'risque')."""
    head = label.split(" ")[0].lower() if label else ""
    if head in MASCULINE_WORDS:
        return False
    return head in FEMININE_WORDS or head.endswith(FEMININE_ENDINGS)


AGREED = (("un autre ", "une autre "), ("le premier ", "la première "), ("Un autre ", "Une autre "))
"""The French words before a block label that agree with a feminine one."""


def agree(text: str, label: str) -> str:
    """A French sentence about a block agreed with the gender of its label: 'un autre', 'le premier' become
    'une autre', 'la première' before a feminine one ('Ajouter une autre entité'); other languages unchanged."""
    if primary(language()) != "fr" or not feminine(label):
        return text
    for masculine, feminine_ in AGREED:
        text = text.replace(masculine + label, feminine_ + label)
    return text
