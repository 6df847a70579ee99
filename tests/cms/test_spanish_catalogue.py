"""The Spanish catalogue: complete, plurals that change with the number, the tú register."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from courses.templatetags.formats import hours_text

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"

# Imperatives and pronouns of the usted register; the catalogue speaks to the reader as tú.
USTED = re.compile(
    r"\b(usted|ustedes|Marque|Indique|Escriba|Haga|Pulse|Elija|Introduzca|Seleccione|"
    r"Descargue|Inténtelo|Vuelva a intentarlo)\b"
)


@pytest.fixture(scope="module")
def entries():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def test_every_entry_is_translated_and_none_is_fuzzy(entries):
    missing = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert missing == [] and fuzzy == []


def test_plural_forms_differ(entries):
    same = [
        e.msgid
        for e in entries
        if e.msgid_plural and e.msgstr_plural.get(0) == e.msgstr_plural.get(1)
    ]
    assert same == []


def test_placeholders_are_kept(entries):
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w+\}")

    def names(text):
        return sorted(set(placeholder.findall(text)))

    wrong = []
    for e in entries:
        if e.msgid_plural:
            # The singular keeps what the English singular has and may drop the count
            # ("cada mes"); the plural keeps every placeholder of the English plural.
            singular, plural = e.msgstr_plural.get(0, ""), e.msgstr_plural.get(1, "")
            if not set(names(e.msgid)) <= set(names(singular)) <= set(names(e.msgid_plural)):
                wrong.append((e.msgid, singular))
            if names(plural) != names(e.msgid_plural):
                wrong.append((e.msgid_plural, plural))
        elif names(e.msgstr) != names(e.msgid):
            wrong.append((e.msgid, e.msgstr))
    assert wrong == []


def test_tu_register(entries):
    usted = [
        (e.msgid, text)
        for e in entries
        for text in [e.msgstr, *e.msgstr_plural.values()]
        if USTED.search(text)
    ]
    assert usted == []


@pytest.mark.parametrize(
    ("value", "expected"), [(1, "1 hora"), (2, "2 horas"), ("1.5", "1,5 horas")]
)
def test_hours_read_right_in_spanish(value, expected):
    with translation.override("es"):
        assert hours_text(value) == expected
        sentence = gettext("About %(hours)s of work, over as many visits as you need.")
        assert sentence % {"hours": hours_text(value)} == (
            f"Aproximadamente {expected} de trabajo, en tantas sesiones como necesites."
        )


def test_counted_strings_use_the_singular_for_one():
    with translation.override("es"):
        assert (
            ngettext("%(done)s of %(total)s row", "%(done)s of %(total)s rows", 1)
            % {
                "done": 1,
                "total": 1,
            }
            == "1 de 1 fila"
        )
        assert ngettext(
            "The link works for %(minutes)s minute; reload the page for a fresh one.",
            "The link works for %(minutes)s minutes; reload the page for a fresh one.",
            1,
        ).startswith("El enlace funciona durante %(minutes)s minuto;")
        assert (
            ngettext(
                "Cannot draw %(n)d question from a pool of %(pool)d.",
                "Cannot draw %(n)d questions from a pool of %(pool)d.",
                5,
            )
            % {"n": 5, "pool": 3}
            == "No se pueden extraer 5 preguntas de un banco de 3."
        )
