"""The application log: plain text or JSON lines, no request bodies or query strings, data masked.

Who did what to which request belongs in the audit trail, not in the log. The log says
what the software did; the filter here masks what slips through anyway (an address in an
exception message, a status-link token in a request line) — defence in depth.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from flask import Flask
from flask.logging import default_handler

from portal.audit.redact import redact
from portal.web.request_id import current_request_id

# Logger name and message only: no request data. A record that wants a request's identity
# logs its reference or id, never its contents.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_TRACEBACKS = logging.Formatter()


class PersonalDataFilter(logging.Filter):
    """Mask email and IP addresses, phone numbers, postcodes and query strings in a record.

    Changes the record itself, so every handler after this one sees the masked text too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's message, traceback and stack with masked text; keep it."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = f"{record.msg!s} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            # Exception messages carry values (SQL parameters, form input); format the
            # traceback now, so the formatter uses the masked text instead of its own.
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RequestIdFilter(logging.Filter):
    """Put the id of the request being handled on the record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Set record.request_id; keep the record."""
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, request_id.

    The message and traceback are the ones PersonalDataFilter has already masked.
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON; newlines inside it are escaped by json."""
        line = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            line["request_id"] = request_id
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(self.formatException(record.exc_info))
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False)


FORMATTERS = {
    "text": lambda: logging.Formatter(LOG_FORMAT),
    "json": JsonFormatter,
}


class _StderrHandler(logging.StreamHandler):
    """Write to whatever sys.stderr is at the time: servers and test runners replace it."""

    @property
    def stream(self):
        """The current standard error."""
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(app: Flask) -> logging.Handler:
    """Send the portal's log to stderr, as text (LOG_FORMAT) or JSON lines, masked.

    app.config["LOG_FORMAT"] chooses "text" (the default) or "json"; either way every
    record passes PersonalDataFilter, then RequestIdFilter (the JSON line's request_id).

    Installs one handler on the root logger, so the portal's modules, SQLAlchemy and
    Werkzeug (whose request lines carry query strings) all pass the filter; calling it again
    (a second app in one process) replaces the handler instead of doubling every line.
    A deployment that adds handlers of its own should give them PersonalDataFilter too.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _StderrHandler):
            root.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(FORMATTERS[app.config.get("LOG_FORMAT", "text")]())
    handler.addFilter(PersonalDataFilter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    # Libraries that narrate every step at INFO drown the portal's own lines.
    for chatty in ("alembic", "weasyprint", "fontTools", "mail.log"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    # Flask's own handler would print app.logger's records a second time, unfiltered.
    app.logger.removeHandler(default_handler)
    return handler
