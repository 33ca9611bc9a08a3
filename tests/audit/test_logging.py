"""The application log masks personal data, whatever a message or traceback carries."""

from __future__ import annotations

import io
import logging

import pytest
from flask import Flask

from portal.audit.logging import LOG_FORMAT, PersonalDataFilter, configure_logging
from portal.audit.redact import redact


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
        assert [type(f) for f in handler.filters] == [PersonalDataFilter]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
