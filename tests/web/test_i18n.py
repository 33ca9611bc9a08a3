"""Language selection and the catalogues the portal compiles for itself at start."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from babel.support import Translations
from flask import Flask

from portal.web import i18n
from portal.web.i18n_cli import PROJECT_ROOT

DUTCH_PO = PROJECT_ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.po"


@pytest.fixture
def source(tmp_path) -> Path:
    """A translations folder holding a copy of the committed Dutch catalogue, not compiled."""
    folder = tmp_path / "translations"
    (folder / "nl" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(DUTCH_PO, folder / "nl" / "LC_MESSAGES" / "messages.po")
    return folder


def _dutch(folder: Path, text: str) -> str:
    return Translations.load(str(folder), ["nl"]).gettext(text)


def test_missing_catalogue_is_compiled(source):
    written = i18n.compile_catalogues(source)

    assert written == [source / "nl" / "LC_MESSAGES" / "messages.mo"]
    assert _dutch(source, "Skip to main content") == "Direct naar de inhoud"


def test_up_to_date_catalogue_is_left_alone(source):
    i18n.compile_catalogues(source)

    assert i18n.compile_catalogues(source) == []


def test_catalogue_is_compiled_again_when_the_po_is_newer(source):
    [mo] = i18n.compile_catalogues(source)
    po = source / "nl" / "LC_MESSAGES" / "messages.po"
    later = mo.stat().st_mtime + 10
    os.utime(po, (later, later))

    assert i18n.compile_catalogues(source) == [mo]


def test_read_only_translations_folder_falls_back_to_the_instance_folder(
    source, tmp_path, monkeypatch
):
    real_mkstemp = tempfile.mkstemp

    def mkstemp_refusing_source(*args, dir=None, **kwargs):
        if dir is not None and Path(dir).is_relative_to(source):
            raise PermissionError(13, "Read-only file system", str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(i18n.tempfile, "mkstemp", mkstemp_refusing_source)
    app = Flask("fallback", instance_path=str(tmp_path / "instance"))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(source)

    i18n._prepare_catalogues(app)

    fallback = tmp_path / "instance" / "translations"
    assert app.config["BABEL_TRANSLATION_DIRECTORIES"] == str(fallback)
    assert _dutch(fallback, "Skip to main content") == "Direct naar de inhoud"


def test_portal_has_compiled_catalogues_after_start(app):
    folder = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])

    assert sorted(p.parent.parent.name for p in folder.glob("*/LC_MESSAGES/messages.mo")) == [
        "en",
        "nl",
    ]


def test_outside_a_request_the_language_is_dutch(app):
    with app.app_context():
        assert i18n.select_locale() == "nl"
