"""`flask i18n …`: extract the messages to translate, merge them into the catalogues, compile.

Messages are written in English in code and templates. `translations/messages.pot` is the
template, `translations/<lang>/LC_MESSAGES/messages.po` the catalogues. The output is kept
free of dates, tool versions and line numbers, so that running `extract` twice, or on
another machine, changes nothing, and a test can tell when the template is stale.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from flask import current_app
from flask.cli import with_appcontext

from portal.paths import PROJECT_ROOT
from portal.web.i18n import compile_catalogues

MAPPING_FILE = "babel.cfg"
TRANSLATIONS = "translations"
TEMPLATE_NAME = "messages.pot"
# The language the msgids are written in: its catalogue is the identity, filled in by
# `extract` itself, so that nobody has to copy English text by hand.
SOURCE_LOCALE = "en"
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}
COMMENT_TAGS = ("Translators:",)
HEADER_COMMENT = (
    "# Opnameloket: messages shown to residents and staff.\n"
    "# Written in English in the code; update with `flask --app wsgi i18n extract`."
)
# Header fields that change with every run, machine or tool version, or only hold
# placeholders: left out so that the files only change when a message changes.
PLACEHOLDER = re.compile(r"%\((\w+)\)")
VOLATILE_HEADERS = re.compile(
    rb'^"(POT-Creation-Date|PO-Revision-Date|Generated-By|Report-Msgid-Bugs-To|'
    rb'Last-Translator): [^"]*\\n"\n',
    re.MULTILINE,
)


def extract_template(root: Path = PROJECT_ROOT) -> Catalog:
    """Collect every translatable message in the files babel.cfg names, as a template."""
    with (root / MAPPING_FILE).open(encoding="utf-8") as mapping_file:
        method_map, options_map = parse_mapping_cfg(mapping_file, MAPPING_FILE)
    template = Catalog(project="Opnameloket", version="1", charset="utf-8", fuzzy=False)
    template.header_comment = HEADER_COMMENT
    template.language_team = "Opnameloket"
    extracted = extract_from_dir(
        root,
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in extracted:
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def catalogue_path(translations_dir: Path, locale: str) -> Path:
    """Return where the catalogue of `locale` lives."""
    return translations_dir / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po or .pot file."""
    with path.open("rb") as po_file:
        return read_po(po_file, locale=locale)


def write_catalog(path: Path, catalog: Catalog) -> bool:
    """Write a catalogue without volatile header fields; return True when the file changed."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=88, no_location=True, ignore_obsolete=True)
    content = VOLATILE_HEADERS.sub(b"", buffer.getvalue())
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def fill_source_language(catalog: Catalog) -> None:
    """Make every untranslated or fuzzy message of the source-language catalogue its own text.

    A deliberate translation that differs from the msgid (for example a corrected typo
    while the msgid stays) is kept.
    """
    for message in catalog:
        if not message.id or (message.string and not message.fuzzy):
            continue
        message.string = message.id
        message.flags.discard("fuzzy")
        message.previous_id = []


def merge_catalogue(template: Catalog, path: Path, locale: str) -> Catalog:
    """Bring the catalogue of `locale` in line with the template (new one if missing)."""
    if path.exists():
        catalog = read_catalog(path, locale)
    else:
        catalog = Catalog(locale=locale, project="Opnameloket", version="1", fuzzy=False)
    catalog.header_comment = HEADER_COMMENT
    catalog.language_team = "Opnameloket"
    catalog.update(template, update_header_comment=False)
    catalog.fuzzy = False
    if locale == SOURCE_LOCALE:
        fill_source_language(catalog)
    return catalog


def extract(root: Path, locales: list[str]) -> list[Path]:
    """Write messages.pot and merge it into each locale's catalogue; return changed files."""
    translations_dir = root / TRANSLATIONS
    template = extract_template(root)
    changed = []
    pot_path = translations_dir / TEMPLATE_NAME
    if write_catalog(pot_path, template):
        changed.append(pot_path)
    for locale in locales:
        path = catalogue_path(translations_dir, locale)
        if write_catalog(path, merge_catalogue(template, path, locale)):
            changed.append(path)
    return changed


def placeholder_mismatch(message) -> bool:
    """True when a translation names other %(placeholders)s than its message.

    Babel's own check lets a translation drop every placeholder; here a Dutch text that
    leaves out the reference number or the phone number counts as wrong.
    """
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
    found = [set(PLACEHOLDER.findall(s)) for s in strings if s]
    if isinstance(message.id, tuple):
        # A plural's singular form may say "one" instead of %(count)s.
        return any(not names <= wanted for names in found)
    return any(names != wanted for names in found)


def catalogue_problems(root: Path, locales: list[str]) -> list[str]:
    """List what is wrong with the committed catalogues; empty when all is well."""
    translations_dir = root / TRANSLATIONS
    fresh = {m.id for m in extract_template(root) if m.id}
    committed = {m.id for m in read_catalog(translations_dir / TEMPLATE_NAME) if m.id}
    problems = []
    for msgid in sorted(map(str, fresh - committed)):
        problems.append(f"messages.pot lacks {msgid!r}: run `flask --app wsgi i18n extract`")
    for msgid in sorted(map(str, committed - fresh)):
        problems.append(f"messages.pot still has {msgid!r}: run `flask --app wsgi i18n extract`")
    for locale in locales:
        path = catalogue_path(translations_dir, locale)
        if not path.exists():
            problems.append(f"{locale}: no catalogue at {path}")
            continue
        catalog = read_catalog(path, locale)
        ids = {m.id for m in catalog if m.id}
        if ids != committed:
            problems.append(f"{locale}: catalogue differs from messages.pot: run extract")
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(strings):
                problems.append(f"{locale}: untranslated {message.id!r}")
            elif message.fuzzy:
                problems.append(f"{locale}: fuzzy (check and remove the flag) {message.id!r}")
            if placeholder_mismatch(message):
                problems.append(f"{locale}: placeholders differ in {message.id!r}")
        for message, errors in catalog.check():
            for error in errors:
                problems.append(f"{locale}: {message.id!r}: {error}")
    return problems


@click.group("i18n")
def i18n_cli() -> None:
    """Extract, check and compile the translations (Dutch and English)."""


def _root_option(command):
    """Add --root, the project folder to work on (tests point it at a copy)."""
    return click.option(
        "--root",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=PROJECT_ROOT,
        show_default=False,
        help="Project folder (default: this checkout).",
    )(command)


@i18n_cli.command("extract")
@_root_option
@with_appcontext
def extract_command(root: Path) -> None:
    """Update messages.pot from the code and templates, and merge it into every catalogue."""
    changed = extract(root, list(current_app.config["SUPPORTED_LOCALES"]))
    for path in changed:
        click.echo(f"Updated {path.relative_to(root)}")
    if not changed:
        click.echo("Catalogues already up to date.")
    click.echo("Now translate the empty and fuzzy messages in the Dutch catalogue.")


@i18n_cli.command("check")
@_root_option
@with_appcontext
def check_command(root: Path) -> None:
    """Fail when the template is stale or a message is untranslated, fuzzy or malformed."""
    problems = catalogue_problems(root, list(current_app.config["SUPPORTED_LOCALES"]))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) in the translations.")
    click.echo("Translations complete.")


@i18n_cli.command("compile")
@_root_option
@with_appcontext
def compile_command(root: Path) -> None:
    """Compile every catalogue to .mo (the portal also does this itself when it starts)."""
    translations_dir = root / TRANSLATIONS
    for mo_path in translations_dir.glob("*/LC_MESSAGES/messages.mo"):
        # Compile all, not only the stale ones: this command is the explicit "redo".
        mo_path.unlink()
    for path in compile_catalogues(translations_dir):
        click.echo(f"Compiled {path.relative_to(root)}")
