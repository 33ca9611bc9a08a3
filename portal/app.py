"""The application factory: settings → extensions → subscribers → blueprints → CLI."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import audit, events, extensions, metrics, outbox, service, wiring
from portal.accounts import install as accounts
from portal.accounts.access import public
from portal.audit.cli import audit_cli
from portal.audit.logging import configure_logging
from portal.capacity import cluster_views, forecast_views, ledger_views
from portal.capacity.cli import capacity_cli
from portal.capacity.cluster_cli import clusters_cli, results_cli
from portal.config import load_settings
from portal.demo import demo_cli
from portal.figures import staff_views as staff_figures_views
from portal.figures import views as figures_views
from portal.intake import (
    after_views,  # noqa: F401  (routes on the intake blueprint)
    desk_views,
    programme_views,
    status_views,
)
from portal.intake import templating as intake_templating
from portal.intake import views as intake_views
from portal.letters.cli import letters_cli
from portal.outbox.backlog import backlog as outbox_backlog
from portal.outbox.cli import outbox_cli
from portal.paths import STATIC_FILES, TEMPLATES, TRANSLATIONS
from portal.privacy import statement as privacy_statement
from portal.register import verdict
from portal.register.areas import province_municipalities
from portal.register.cli import register_cli
from portal.requests.answers import MAX_FILE_BYTES
from portal.triage import post_views
from portal.triage import views as triage_views
from portal.triage.cli import import_command as register_import_command
from portal.web import health, i18n, request_id
from portal.web.cli import db_cli
from portal.web.i18n_cli import i18n_cli
from portal.web.security import init_security
from portal.web.static import init_static
from portal.web.views import bp as web_bp

# One answer with its file and the form around it.
MAX_BODY_BYTES = MAX_FILE_BYTES + 256 * 1024


def create_app(overrides: dict | None = None) -> Flask:
    """Build the portal: settings → extensions → blueprints → CLI commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC_FILES),
    )
    environ = None
    if overrides and "environ" in overrides:
        environ = overrides["environ"]
    settings = load_settings(Path(app.instance_path), environ)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        PORTAL_SETTINGS=settings,
        PORTAL_ENV=settings.environment,
        DATABASE_URL=settings.database_url,
        EMERGENCY_NUMBER=settings.emergency_number,
        DESK_PHONE=settings.desk_phone,
        LOG_LEVEL=settings.log_level,
        LOG_FORMAT=settings.log_format,
        CLUSTER_MAX_HOMES=settings.cluster_max_homes,
        RETENTION_MONTHS=settings.retention_months,
        SENT_MAIL_RETENTION_DAYS=settings.sent_mail_retention_days,
        LETTER_RETENTION_MONTHS=settings.letter_retention_months,
        PUBLIC_BASE_URL=settings.public_base_url,
        # The whole province unless SERVED_MUNICIPALITIES narrows it.
        SERVED_MUNICIPALITIES=settings.served_municipalities or province_municipalities(),
        TESTING=settings.environment == "test",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        # A resident may take their time on one page: the CSRF token lives as long as the
        # signed session, not a fixed hour.
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS),
        SUPPORTED_LOCALES=("nl", "en"),
        # The largest thing anyone sends is an answer with one 10 MB file: Werkzeug refuses
        # a larger body with 413 before it parses (or spools) any of it.
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
    )
    if overrides:
        app.config.update({k: v for k, v in overrides.items() if k != "environ"})

    configure_logging(app)
    request_id.init_app(app)
    metrics.init_app(app)  # before the subscribers: they count submissions
    facts = service.ServiceFacts(public_base_url=app.config["PUBLIC_BASE_URL"],
                                 emergency_number=app.config["EMERGENCY_NUMBER"],
                                 desk_phone=app.config["DESK_PHONE"])
    app.extensions[service.EXTENSION] = facts
    # Every session of this app carries its subscribers and its audit key, so domain code
    # gets them from the session it is handed (see portal.events, portal.audit.trail).
    app.extensions[extensions.Database.SESSION_INFO] = {
        events.INFO_KEY: wiring.subscribers(app, facts),
        audit.CLIENT_KEY_INFO: audit.client_key(app.config["SECRET_KEY"]),
        verdict.SERVED_INFO: app.config["SERVED_MUNICIPALITIES"],
    }
    extensions.db.init_app(app)
    extensions.csrf.init_app(app)
    i18n.init_app(app)
    outbox.init_app(app)
    accounts.init_app(app)

    for blueprint in (web_bp, intake_views.bp, status_views.bp, desk_views.bp,
                      triage_views.bp, ledger_views.bp, cluster_views.bp, forecast_views.bp,
                      programme_views.bp, post_views.bp, figures_views.bp,
                      staff_figures_views.bp):
        app.register_blueprint(blueprint)
    health.init_app(app, backlog=outbox_backlog)
    for endpoint in health.ENDPOINTS:
        public(app.view_functions[endpoint])  # probes: no login, in the access table
    intake_templating.init_app(app)
    privacy_statement.init_app(app)
    for command in (db_cli, register_cli, demo_cli, i18n_cli, outbox_cli, audit_cli,
                    capacity_cli, clusters_cli, results_cli, letters_cli):
        app.cli.add_command(command)
    register_cli.add_command(register_import_command)
    init_security(app)
    init_static(app)  # WhiteNoise answers /static/… before Flask (and its headers) see it
    if settings.trusted_proxies:
        # Behind n proxies, the n-th X-Forwarded-For from the right is the client: rate
        # limits and the audit trail then see the resident, not the proxy.
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    return app
