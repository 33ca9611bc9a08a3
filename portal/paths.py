"""Where the project's own files lie: templates, static files, migrations, translations."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT_ROOT / "templates"
STATIC_FILES = PROJECT_ROOT / "portal" / "static"
MIGRATIONS = PROJECT_ROOT / "migrations"
TRANSLATIONS = PROJECT_ROOT / "translations"
