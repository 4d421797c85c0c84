"""Every string of ours is in French: each French catalogue (ours, and the hand-kept one that
corrects Oscar's translations) translates every msgid, none is fuzzy, the placeholders
match, and the compiled .mo says what the .po says (someone edited the .po and forgot
`make messages`, or the reverse). The pages themselves are crawled in test_french_pages.py."""

import re
from pathlib import Path

import oscar
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

# Ours (makemessages keeps it), and the corrections of Oscar's own French (by hand; see
# README, "Translations").
FRENCH_CATALOGUES = [path / "fr" / "LC_MESSAGES" / "django.po" for path in settings.LOCALE_PATHS]


def catalogue(po_path):
    with open(po_path, "rb") as po:
        return read_po(po, locale="fr", domain="django")


def _strings(message) -> tuple:
    string = message.string
    return tuple(string) if isinstance(string, list | tuple) else (string,)


def translations_of(messages) -> dict:
    """{(context, msgid): msgstr} of translated messages; plurals give one key per form."""
    found = {}
    for message in messages:
        if not message.id or message.fuzzy or not all(_strings(message)):
            continue
        ids = tuple(message.id) if isinstance(message.id, list | tuple) else (message.id,)
        found[(message.context, ids)] = _strings(message)
    return found


def untranslated(messages) -> list[str]:
    problems = []
    for message in messages:
        if not message.id:
            continue  # the header
        strings = _strings(message)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r} (line {message.lineno})")
        elif not all(strings):
            problems.append(f"no French: {message.id!r} (line {message.lineno})")
    return problems


def test_both_french_catalogues_are_read():
    assert len(FRENCH_CATALOGUES) == 2, "LOCALE_PATHS: ours, then the corrections of Oscar's"
    for path in FRENCH_CATALOGUES:
        assert path.exists(), path


@pytest.mark.parametrize("po_path", FRENCH_CATALOGUES, ids=lambda path: path.parts[-4])
def test_every_msgid_has_its_french(po_path):
    messages = catalogue(po_path)
    assert len(messages) > 0
    problems = untranslated(messages)
    assert not problems, f"{po_path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("po_path", FRENCH_CATALOGUES, ids=lambda path: path.parts[-4])
def test_placeholders_match(po_path):
    """A msgstr that drops or renames a %(name)s breaks the page that shows it."""
    problems = [
        f"{message.id!r} (line {message.lineno}): {'; '.join(map(str, errors))}"
        for message, errors in catalogue(po_path).check()
    ]
    assert not problems, f"{po_path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("po_path", FRENCH_CATALOGUES, ids=lambda path: path.parts[-4])
def test_the_compiled_catalogue_is_up_to_date(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
    with open(mo_path, "rb") as mo:
        compiled = translations_of(read_mo(mo))
    written = translations_of(catalogue(po_path))
    keys = written.keys() | compiled.keys()
    stale = sorted(repr(key[1]) for key in keys if written.get(key) != compiled.get(key))
    assert not stale, f"{mo_path} differs from its .po (run `make messages`):\n" + "\n".join(
        stale[:20]
    )


def test_corrections_of_oscar_are_not_ours():
    """A msgid our code uses lives in our catalogue (makemessages keeps it there); the
    corrections catalogue holds only Oscar's msgids that our code does not use. In both, the
    first of LOCALE_PATHS would win and the other be dead text."""
    ours, oscars = (translations_of(catalogue(path)) for path in FRENCH_CATALOGUES)
    both = sorted(repr(key[1]) for key in ours.keys() & oscars.keys())
    assert not both, "in both catalogues (keep it in ours only):\n" + "\n".join(both)


# Typos of Oscar's French that readers met (issue 18); corrected in locale_oscar/fr.
OSCAR_TYPOS = [
    "réference", "Contenus de la commande", "Historique commande", "Carnet d'adresse",
    "Coûts moyens de commande", "évèvement", "disponible(s)",
]  # fmt: skip
TYPOS_RE = re.compile("|".join(rf"{re.escape(typo)}(?![\w-])" for typo in OSCAR_TYPOS))
# French puts a space before a colon: "Prix : 9,50 €", not "Prix: 9,50 €".
GLUED_COLON = re.compile(r"[^\W\d_]:(\s|$)")


def test_what_the_site_says_for_oscar_s_msgids_has_none_of_its_typos():
    """Every msgid of Oscar's French catalogue, as the site translates it (our catalogues
    first): none of the typos, no colon glued to its word."""
    oscar_po = Path(oscar.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    problems = []
    with translation.override("fr"):
        for message in catalogue(oscar_po):
            if not message.id or message.fuzzy:
                continue
            if message.pluralizable:
                said = [
                    translation.npgettext(message.context, *message.id[:2], n)
                    if message.context
                    else translation.ngettext(*message.id[:2], n)
                    for n in (1, 2)
                ]
            elif message.context:
                said = [translation.pgettext(message.context, message.id)]
            else:
                said = [translation.gettext(message.id)]
            problems += [
                f"{message.id!r}: {text!r}"
                for text in said
                if TYPOS_RE.search(text) or GLUED_COLON.search(text)
            ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po_path", FRENCH_CATALOGUES, ids=lambda path: path.parts[-4])
def test_french_puts_a_space_before_a_colon(po_path):
    problems = [
        f"{message.id!r}: {text!r} (line {message.lineno})"
        for message in catalogue(po_path)
        if message.id
        for text in _strings(message)
        if GLUED_COLON.search(text)
    ]
    assert not problems, f"{po_path}:\n" + "\n".join(problems)


def test_every_translated_template_is_read_by_makemessages():
    """makemessages reads .html, .txt and .py files only: a {% trans %} in another template
    (an .svg) never reaches the catalogues, and the page shows English."""
    base = settings.BASE_DIR
    unread = [
        str(path.relative_to(base))
        for folder in [base / "templates", *base.glob("*/templates")]
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix not in (".html", ".txt", ".py")
        and re.search(r"{%\s*(trans|translate|blocktrans|blocktranslate)\b", path.read_text())
    ]
    assert not unread, "translated strings makemessages does not read:\n" + "\n".join(unread)
