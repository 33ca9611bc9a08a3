"""`flask i18n extract | check | compile`, run on a small project of its own in a temp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.web.i18n_cli import PROJECT_ROOT, i18n_cli, read_catalog, write_catalog


def _translations(catalogue_path: Path) -> dict:
    """The msgid → msgstr pairs of a catalogue, without the header."""
    return {m.id: m.string for m in read_catalog(catalogue_path) if m.id}


@pytest.fixture
def project(tmp_path) -> Path:
    """A project with the portal's babel.cfg, one Python module and one template."""
    (tmp_path / "babel.cfg").write_text((PROJECT_ROOT / "babel.cfg").read_text())
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "things.py").write_text(
        "from flask_babel import gettext as _, lazy_gettext as _l\n"
        "LABEL = _l('Postcode')\n"
        "def greet(name):\n"
        "    return _('Hello %(name)s', name=name)\n"
    )
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>{{ _('Request received') }}</p>\n")
    return tmp_path


@pytest.fixture
def nl_po(project) -> Path:
    """Where the Dutch catalogue of the temp project lives."""
    return project / "translations" / "nl" / "LC_MESSAGES" / "messages.po"


@pytest.fixture
def en_po(project) -> Path:
    """Where the English catalogue of the temp project lives."""
    return project / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def _run(runner, *args):
    return runner.invoke(i18n_cli, list(args), catch_exceptions=False)


def test_extract_writes_the_template_and_a_catalogue_per_language(runner, project, nl_po, en_po):
    result = _run(runner, "extract", "--root", str(project))

    assert result.exit_code == 0, result.output
    pot = project / "translations" / "messages.pot"
    assert set(_translations(pot)) == {"Postcode", "Hello %(name)s", "Request received"}
    assert _translations(nl_po) == {"Postcode": "", "Hello %(name)s": "", "Request received": ""}
    # English is the language of the msgids: its catalogue fills itself.
    assert _translations(en_po) == {
        "Postcode": "Postcode",
        "Hello %(name)s": "Hello %(name)s",
        "Request received": "Request received",
    }


def test_extract_output_is_stable(runner, project, nl_po):
    _run(runner, "extract", "--root", str(project))
    first = {p: p.read_bytes() for p in (project / "translations").rglob("*.po*")}

    result = _run(runner, "extract", "--root", str(project))

    assert {p: p.read_bytes() for p in first} == first
    assert "already up to date" in result.output
    pot_text = (project / "translations" / "messages.pot").read_text()
    for volatile in ("POT-Creation-Date", "PO-Revision-Date", "Generated-By", "#: "):
        assert volatile not in pot_text


def test_extract_keeps_translations_and_drops_removed_messages(runner, project, nl_po):
    _run(runner, "extract", "--root", str(project))
    catalog = read_catalog(nl_po, "nl")
    catalog.get("Postcode").string = "Postcode"
    catalog.get("Request received").string = "Aanvraag ontvangen"
    catalog.get("Hello %(name)s").string = "Hallo %(name)s"
    write_catalog(nl_po, catalog)
    (project / "templates" / "page.html").write_text("<p>{{ _('Thank you') }}</p>\n")

    _run(runner, "extract", "--root", str(project))

    assert _translations(nl_po) == {
        "Postcode": "Postcode",
        "Hello %(name)s": "Hallo %(name)s",
        "Thank you": "",
    }


def test_check_fails_on_untranslated_dutch_and_passes_when_complete(runner, project, nl_po):
    _run(runner, "extract", "--root", str(project))

    failing = runner.invoke(i18n_cli, ["check", "--root", str(project)])

    assert failing.exit_code == 1
    assert "nl: untranslated 'Postcode'" in failing.output

    catalog = read_catalog(nl_po, "nl")
    for message, text in [("Postcode", "Postcode"), ("Hello %(name)s", "Hallo %(name)s")]:
        catalog.get(message).string = text
    catalog.get("Request received").string = "Aanvraag ontvangen"
    write_catalog(nl_po, catalog)

    passing = runner.invoke(i18n_cli, ["check", "--root", str(project)])
    assert passing.exit_code == 0, passing.output


def test_check_fails_when_code_has_a_message_the_template_lacks(runner, project):
    _run(runner, "extract", "--root", str(project))
    (project / "templates" / "other.html").write_text("{{ _('New message') }}\n")

    result = runner.invoke(i18n_cli, ["check", "--root", str(project)])

    assert result.exit_code == 1
    assert "messages.pot lacks 'New message'" in result.output


def test_check_fails_when_a_translation_loses_its_placeholder(runner, project, nl_po):
    _run(runner, "extract", "--root", str(project))
    catalog = read_catalog(nl_po, "nl")
    for message in catalog:
        if message.id:
            message.string = "Hallo" if message.id == "Hello %(name)s" else "x"
    write_catalog(nl_po, catalog)

    result = runner.invoke(i18n_cli, ["check", "--root", str(project)])

    assert result.exit_code == 1
    assert "'Hello %(name)s'" in result.output


def test_a_template_with_a_syntax_error_fails_the_extraction(runner, project):
    (project / "templates" / "broken.html").write_text("{{ _('Unclosed' }}\n")

    result = runner.invoke(i18n_cli, ["extract", "--root", str(project)])

    assert result.exit_code != 0


def test_compile_writes_a_mo_for_every_catalogue(runner, project):
    _run(runner, "extract", "--root", str(project))

    result = _run(runner, "compile", "--root", str(project))

    assert result.exit_code == 0
    compiled = sorted(p.relative_to(project) for p in project.rglob("*.mo"))
    assert compiled == [
        Path("translations/en/LC_MESSAGES/messages.mo"),
        Path("translations/nl/LC_MESSAGES/messages.mo"),
    ]
