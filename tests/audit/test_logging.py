"""The application log masks personal data, whatever a message or traceback carries."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from flask import Flask

from portal.app import create_app
from portal.audit.logging import (
    LOG_FORMAT,
    JsonFormatter,
    PersonalDataFilter,
    RequestIdFilter,
    configure_logging,
)
from portal.audit.redact import redact
from portal.config import ConfigurationError, load_settings


@pytest.fixture
def captured():
    """A logger whose output, filtered and formatted, lands in a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("tests.audit.captured")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


def test_the_filter_masks_an_email_address_and_a_phone_number(captured):
    logger, stream = captured

    logger.info("mail to %s failed, call %s", "jan.de.vries@example.nl", "06-12345678")

    assert stream.getvalue() == "mail to [email] failed, call [phone]\n"


def test_the_filter_masks_exception_text(captured):
    logger, stream = captured

    try:
        raise ValueError("duplicate contact 050 123 4567 at 9712AB 12")
    except ValueError:
        logger.exception("insert failed")

    last_line = stream.getvalue().splitlines()[-1]

    assert last_line == "ValueError: duplicate contact [phone] at [postcode]"


def test_the_filter_masks_the_query_string_of_a_request_line(captured):
    logger, stream = captured

    logger.info('%s - - "GET /status?token=s3cret HTTP/1.1" 200', "192.0.2.1")

    assert stream.getvalue() == '[ip] - - "GET /status?[query] HTTP/1.1" 200\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+31 6 1234 5678", "[phone]"),
        ("0031612345678", "[phone]"),
        ("9712 AB 12-a, Groningen", "[postcode], Groningen"),
        ("9712ab", "[postcode]"),
        ("retry in 1000 ms", "retry in 1000 ms"),
        ("request 1234567890123 at 12:30:45.123", "request 1234567890123 at 12:30:45.123"),
        ("took 0.123456789 s", "took 0.123456789 s"),
        ("from 2001:db8::1", "from [ip]"),
    ],
)
def test_redact_masks_personal_data_and_leaves_other_numbers(text, expected):
    assert redact(text) == expected


def test_configure_logging_installs_one_filtered_handler_however_often_it_is_called():
    root = logging.getLogger()
    level = root.level
    app = Flask("logging_test")
    try:
        configure_logging(app)
        handler = configure_logging(app)
        ours = [h for h in root.handlers if type(h) is type(handler)]

        assert ours == [handler]
        assert handler.formatter._fmt == LOG_FORMAT
        assert [type(f) for f in handler.filters] == [PersonalDataFilter, RequestIdFilter]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture
def json_app(app, test_environ):
    """A portal logging JSON lines, with a page that logs personal data; text again after."""
    json_app = create_app({"environ": {**test_environ, "LOG_FORMAT": "json"}})

    @json_app.get("/_log-something")
    def log_something():
        logging.getLogger("portal.test").warning("mail to %s failed", "jan@example.nl")
        return "ok"

    yield json_app
    configure_logging(app)


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_lines_parse_and_carry_the_request_id_of_their_request(json_app, capsys):
    client = json_app.test_client()

    response = client.get("/_log-something", headers={"X-Request-ID": "lb-7f3a.91_x"})

    assert response.headers["X-Request-ID"] == "lb-7f3a.91_x"
    lines = [line for line in _json_lines(capsys.readouterr().err)
             if line["logger"] == "portal.test"]
    assert len(lines) == 1
    line = lines[0]
    assert line["level"] == "WARNING"
    assert line["message"] == "mail to [email] failed"
    assert line["request_id"] == "lb-7f3a.91_x"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])


def test_each_request_without_an_id_gets_a_new_one(json_app, capsys):
    client = json_app.test_client()

    first = client.get("/_log-something").headers["X-Request-ID"]
    second = client.get("/_log-something").headers["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second
    ids = [line["request_id"] for line in _json_lines(capsys.readouterr().err)
           if line["logger"] == "portal.test"]
    assert ids == [first, second]


@pytest.mark.parametrize("hostile", ["abc\nforged log line", "a" * 500, "id with spaces",
                                     "<script>", ""])
def test_a_hostile_request_id_is_replaced(json_app, capsys, hostile):
    client = json_app.test_client()

    response = client.get("/_log-something", environ_base={"HTTP_X_REQUEST_ID": hostile})

    given = response.headers["X-Request-ID"]
    assert given != hostile
    assert re.fullmatch(r"[0-9a-f]{32}", given)
    lines = _json_lines(capsys.readouterr().err)
    assert [line["request_id"] for line in lines if line["logger"] == "portal.test"] == [given]


def test_json_masks_personal_data_in_a_traceback_outside_a_request():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PersonalDataFilter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tests.audit.json")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("duplicate contact 050 123 4567 at 9712AB 12")
        except ValueError:
            logger.error("insert for %s failed", "jan@example.nl", exc_info=True)
    finally:
        logger.removeHandler(handler)

    (line,) = _json_lines(stream.getvalue())
    assert line["message"] == "insert for [email] failed"
    assert line["logger"] == "tests.audit.json"
    assert "request_id" not in line
    assert line["exception"].endswith("ValueError: duplicate contact [phone] at [postcode]")


def test_log_format_must_be_text_or_json(tmp_path):
    assert load_settings(tmp_path, {}).log_format == "text"
    assert load_settings(tmp_path, {"LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(ConfigurationError, match="LOG_FORMAT"):
        load_settings(tmp_path, {"LOG_FORMAT": "xml"})
