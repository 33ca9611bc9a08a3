"""A small register for intake tests: one home of each kind the form must handle."""

from __future__ import annotations

import re

import pytest

from tests.factories import address_row, building_id, import_rows, programme_row

NEVER_INSPECTED = ("9937AB", 10)
INSPECTED_BEFORE = ("9937AB", 12)
IN_P50 = ("9937AB", 14)
FLAT = ("9937AB", 20)


@pytest.fixture
def register(session, tmp_path):
    """Homes at Hoofdstraat 10 (never inspected), 12 (inspected 2017), 14 (P50), 20 (flat)."""
    rows = [
        address_row(10, huisnummer=10),
        address_row(12, huisnummer=12),
        address_row(14, huisnummer=14),
        address_row(20, huisnummer=20, huisnummertoevoeging="1"),
        address_row(21, huisnummer=20, huisnummertoevoeging="2", pand_id=building_id(20)),
        address_row(22, huisnummer=20, huisletter="A", pand_id=building_id(20)),
    ]
    programme = [
        programme_row(12, opname_datum="2017-11-21", advies="versterken"),
        programme_row(14, risicoprofiel="P50"),
    ]
    import_rows(session, tmp_path / "register", rows, programme)


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')
_SUBMISSION = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token in a page."""
    match = _CSRF.search(html)
    assert match, "no csrf token on the page"
    return match.group(1) or match.group(2)


def submission_key(html: str) -> str:
    """The submission key on the check page."""
    match = _SUBMISSION.search(html)
    assert match, "no submission key on the page"
    return match.group(1)


def post(client, url: str, data: dict, **kwargs):
    """GET url for its CSRF token, then POST data to it."""
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data}, **kwargs)
