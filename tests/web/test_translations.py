"""The committed catalogues: complete, current, and true to their placeholders.

When one of these fails after you added or changed a message, run

    flask --app wsgi i18n extract

then translate the empty and fuzzy messages in translations/nl/LC_MESSAGES/messages.po
(English fills itself) and remove the fuzzy flags you checked.
"""

from __future__ import annotations

import pytest

from portal.web.i18n_cli import (
    PROJECT_ROOT,
    TEMPLATE_NAME,
    TRANSLATIONS,
    catalogue_path,
    extract_template,
    placeholder_mismatch,
    read_catalog,
)

TRANSLATIONS_DIR = PROJECT_ROOT / TRANSLATIONS
LOCALES = ["nl", "en"]


def _ids(catalog) -> set:
    """The msgids of a catalogue, without the header."""
    return {message.id for message in catalog if message.id}


@pytest.fixture(scope="module")
def committed_template():
    """The committed messages.pot."""
    return read_catalog(TRANSLATIONS_DIR / TEMPLATE_NAME)


@pytest.fixture(scope="module", params=LOCALES)
def catalogue(request):
    """A committed catalogue, with its locale."""
    return request.param, read_catalog(catalogue_path(TRANSLATIONS_DIR, request.param))


def test_the_portal_supports_exactly_the_catalogued_languages(app):
    assert sorted(app.config["SUPPORTED_LOCALES"]) == sorted(LOCALES)


def test_template_holds_every_message_of_the_code_and_templates(committed_template):
    fresh = _ids(extract_template(PROJECT_ROOT))
    committed = _ids(committed_template)

    missing = sorted(map(str, fresh - committed))
    stale = sorted(map(str, committed - fresh))
    assert (missing, stale) == ([], []), "stale messages.pot: run `flask --app wsgi i18n extract`"


def test_catalogue_holds_exactly_the_messages_of_the_template(committed_template, catalogue):
    locale, catalog = catalogue

    missing = sorted(map(str, _ids(committed_template) - _ids(catalog)))
    extra = sorted(map(str, _ids(catalog) - _ids(committed_template)))
    assert (locale, missing, extra) == (locale, [], [])


def test_every_message_is_translated(catalogue):
    locale, catalog = catalogue

    untranslated = [
        str(message.id)
        for message in catalog
        if message.id
        and not all(message.string if isinstance(message.string, tuple) else [message.string])
    ]
    assert (locale, untranslated) == (locale, [])


def test_no_translation_is_left_fuzzy(catalogue):
    locale, catalog = catalogue

    fuzzy = [str(message.id) for message in catalog if message.id and message.fuzzy]
    assert (locale, fuzzy) == (locale, [])


def test_translations_keep_the_placeholders_of_their_message(catalogue):
    locale, catalog = catalogue

    errors = [(str(message.id), str(error)) for message, errs in catalog.check() for error in errs]
    mismatched = [str(m.id) for m in catalog if m.id and placeholder_mismatch(m)]
    assert (locale, errors, mismatched) == (locale, [], [])
