"""A resident may take their time: a form left open for hours still submits."""

from __future__ import annotations

import time

import itsdangerous.timed

from tests.intake.conftest import csrf_token


def test_form_opened_three_hours_ago_still_submits(client, register, monkeypatch):
    three_hours_ago = time.time() - 3 * 3600
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: three_hours_ago)
    page = client.get("/aanvraag/gevaar")
    token = csrf_token(page.text)
    monkeypatch.undo()

    response = client.post("/aanvraag/gevaar", data={"csrf_token": token,
                                                     "acute_danger": "no"})

    assert response.status_code == 302


def test_a_post_without_token_is_refused_with_a_page_that_explains(client, register):
    response = client.post("/aanvraag/adres", data={"postcode": "9937AB", "huisnummer": "10"})

    assert response.status_code == 400
    assert 'lang="nl"' in response.text
