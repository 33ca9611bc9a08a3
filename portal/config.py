"""Settings from the environment, validated once at start."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ENVIRONMENTS = ("development", "production", "test")


class ConfigurationError(RuntimeError):
    """The portal cannot start with these settings; the message says why."""


@dataclass(frozen=True)
class Settings:
    """Everything the portal reads from its environment, after validation."""

    environment: str
    database_url: str
    secret_key: str
    debug: bool
    emergency_number: str
    instance_path: Path
    extra: dict = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        """True when running as the production service."""
        return self.environment == "production"


def _secret_key(environment: str, instance_path: Path, environ: dict) -> str:
    """Return SECRET_KEY, or outside production a key generated once and kept per instance."""
    key = environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if environment == "production":
        raise ConfigurationError(
            "SECRET_KEY is not set. In production the portal needs a long random secret "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    # Sessions and CSRF tokens must survive a restart of a development server, so the
    # generated key is written once to the instance folder rather than made per process.
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_settings(instance_path: Path, environ: dict | None = None) -> Settings:
    """Read and validate the settings; raise ConfigurationError with the reason when unsafe."""
    environ = dict(os.environ if environ is None else environ)
    environment = environ.get("PORTAL_ENV", "development").strip().lower()
    if environment not in ENVIRONMENTS:
        raise ConfigurationError(
            f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}."
        )
    default_db = f"sqlite:///{instance_path / 'opnameloket.sqlite'}"
    database_url = environ.get("DATABASE_URL", "").strip() or default_db
    debug = environ.get("FLASK_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")
    problems = []
    if environment == "production":
        if not environ.get("SECRET_KEY", "").strip():
            problems.append("SECRET_KEY is not set")
        if debug:
            problems.append("debug mode is on (unset FLASK_DEBUG)")
        if database_url.startswith("sqlite"):
            problems.append("the database is SQLite (set DATABASE_URL to PostgreSQL)")
    if problems:
        raise ConfigurationError(
            "The portal refuses to start in production: " + "; ".join(problems) + "."
        )
    return Settings(
        environment=environment,
        database_url=normalise_database_url(database_url),
        secret_key=_secret_key(environment, instance_path, environ),
        debug=debug,
        emergency_number=environ.get("EMERGENCY_NUMBER", "").strip() or "112",
        instance_path=instance_path,
    )


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
