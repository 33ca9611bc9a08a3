"""The public pages: start page, statements, error pages, and what every page shares."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from portal.web.views import tel_href
from tests.web.html import elements, visible_text

PUBLIC_PAGES = ["/", "/toegankelijkheid", "/privacy", "/?lang=en", "/privacy?lang=en"]


def test_start_page_is_dutch_by_default(client):
    response = client.get("/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert elements(html, "html") == [{"lang": "nl"}]
    assert response.headers["Content-Language"] == "nl"
    assert "Vraag een opname van uw huis aan" in visible_text(html)


def test_start_page_sends_acute_danger_to_the_emergency_number_from_settings(
    app, client, monkeypatch
):
    monkeypatch.setitem(app.config, "EMERGENCY_NUMBER", "0800 - 123 45 67")

    html = client.get("/").get_data(as_text=True)

    assert (
        "Is er acuut gevaar, bijvoorbeeld een muur die kan instorten? "
        "Gebruik dit loket niet. Bel nu 0800 - 123 45 67." in visible_text(html)
    )
    phone_links = [a["href"] for a in elements(html, "a") if a["href"].startswith("tel:")]
    assert phone_links == ["tel:08001234567"]


def test_acute_danger_notice_comes_before_everything_else_on_the_start_page(client):
    html = client.get("/").get_data(as_text=True)

    main = html[html.index('<main id="main"') :]
    assert main.index("opnameloket-danger") < main.index("<h1")


def test_start_button_leads_to_the_request_form(client):
    html = client.get("/").get_data(as_text=True)

    links = elements(html, "a")
    buttons = [a["href"] for a in links if "utrecht-button-link" in a.get("class", "").split()]
    assert buttons == ["/aanvraag"]


def test_english_on_request(client):
    response = client.get("/?lang=en")

    html = response.get_data(as_text=True)
    assert elements(html, "html") == [{"lang": "en"}]
    assert "Request an inspection of your home" in visible_text(html)
    assert "Do not use this service. Call 112 now." in visible_text(html)


def test_language_choice_is_remembered_in_a_cookie(client):
    first = client.get("/?lang=en")
    later = client.get("/privacy")

    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith("taal=en;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    assert elements(later.get_data(as_text=True), "html") == [{"lang": "en"}]
    assert "Cookie" in later.headers["Vary"]


def test_switching_back_to_dutch_overrides_the_cookie(client):
    client.get("/?lang=en")

    response = client.get("/?lang=nl")
    later = client.get("/")

    assert response.headers["Set-Cookie"].startswith("taal=nl;")
    assert elements(later.get_data(as_text=True), "html") == [{"lang": "nl"}]


def test_unknown_language_falls_back_to_dutch_and_is_not_remembered(client):
    response = client.get("/?lang=fr")

    assert elements(response.get_data(as_text=True), "html") == [{"lang": "nl"}]
    assert "Set-Cookie" not in response.headers


def test_language_switch_is_a_plain_link_to_the_other_language(client):
    html = client.get("/privacy?page=2").get_data(as_text=True)

    switch = [a for a in elements(html, "a") if a.get("hreflang")]
    assert switch == [
        {
            "class": "opnameloket-lang-nav__link",
            "href": "/privacy?page=2&lang=en",
            "lang": "en",
            "hreflang": "en",
        }
    ]
    current = [s for s in elements(html, "span") if s.get("aria-current") == "true"]
    assert current == [
        {"class": "opnameloket-lang-nav__current", "lang": "nl", "aria-current": "true"}
    ]


def test_skip_link_is_the_first_link_and_reaches_main(client):
    html = client.get("/").get_data(as_text=True)

    first_link = elements(html, "a")[0]
    assert first_link["href"] == "#main"
    assert "Direct naar de inhoud" in visible_text(html)
    assert [m["id"] for m in elements(html, "main")] == ["main"]


def test_footer_links_reach_both_statements(client):
    html = client.get("/").get_data(as_text=True)
    footer = html[html.index("<footer") :]

    links = [a["href"] for a in elements(footer, "a")]
    pages = {href: client.get(href) for href in links}

    assert links == ["/toegankelijkheid", "/privacy", "/cijfers"]
    assert {href: r.status_code for href, r in pages.items()} == {
        "/toegankelijkheid": 200,
        "/privacy": 200,
        "/cijfers": 200,
    }


def test_accessibility_statement_names_the_standard_and_how_to_report(client):
    text = visible_text(client.get("/toegankelijkheid").get_data(as_text=True))

    assert "Toegankelijkheidsverklaring" in text
    assert "WCAG" in text and "2.1" in text and "AA" in text
    assert "Wat nog niet goed werkt" in text
    assert "Is iets voor u niet toegankelijk?" in text
    assert "Nationale ombudsman" in text


def test_privacy_statement_says_what_why_how_long_and_whom_to_ask(client):
    text = visible_text(client.get("/privacy").get_data(as_text=True))

    assert "Privacyverklaring" in text
    assert "burgerservicenummer (BSN) of uw geboortedatum" in text
    assert "wettelijke taak" in text
    # The periods come from configuration, in the table of every stored field.
    assert "24 maanden nadat uw aanvraag is afgerond" in text
    assert "84 maanden na de brief" in text
    assert "AVG" in text
    assert "privacyfunctionaris" in text
    assert "Autoriteit Persoonsgegevens" in text


def test_unknown_page_is_a_404_in_the_layout(client):
    response = client.get("/bestaat-niet")

    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in visible_text(html)
    assert elements(html, "a")[0]["href"] == "#main"


def test_failure_is_a_500_in_the_layout(app, client, monkeypatch):
    def broken():
        raise RuntimeError("the database is gone")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.view_functions, "web.privacy", broken)

    response = client.get("/privacy")

    assert response.status_code == 500
    assert "Sorry, er ging bij ons iets mis" in visible_text(response.get_data(as_text=True))
    assert "the database is gone" not in response.get_data(as_text=True)


def test_wrong_method_is_a_405_in_the_layout(client):
    response = client.post("/privacy")

    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 405
    assert "Deze pagina kan zo niet worden gebruikt" in text


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_sends_the_security_headers(client, path):
    headers = client.get(path).headers

    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/bestaat-niet"])
def test_pages_load_and_link_nothing_on_other_hosts(client, path):
    html = client.get(path).get_data(as_text=True)

    urls = [
        value
        for attrs in elements(html)
        for name, value in attrs.items()
        if name in ("src", "href", "action", "srcset", "poster", "data") and value
    ]
    elsewhere = [u for u in urls if urlsplit(u).netloc or urlsplit(u).scheme not in ("", "tel")]
    assert elsewhere == []


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_need_no_javascript_and_no_inline_style(client, path):
    html = client.get(path).get_data(as_text=True)

    assert elements(html, "script") == []
    assert elements(html, "style") == []
    assert [attrs for attrs in elements(html) if "style" in attrs] == []


def test_every_stylesheet_of_the_layout_is_served_by_the_portal(client):
    html = client.get("/").get_data(as_text=True)
    sheets = [link["href"] for link in elements(html, "link") if link.get("rel") == "stylesheet"]

    responses = {href: client.get(href) for href in sheets}

    # One stylesheet: the NL Design System rules the pages use and the portal's own.
    assert len(sheets) == 1 and sheets[0].startswith("/static/build/portal.")
    assert {href: (r.status_code, r.mimetype) for href, r in responses.items()} == {
        href: (200, "text/css") for href in sheets
    }
    assert b".utrecht-button" in responses[sheets[0]].data
    assert b".opnameloket-theme" in responses[sheets[0]].data
    for response in responses.values():
        response.close()


def test_built_css_comes_with_its_licence(client):
    response = client.get("/static/build/nlds-LICENSE.md")

    assert response.status_code == 200
    assert b"EUROPEAN UNION PUBLIC LICENCE v. 1.2" in response.data
    response.close()


def test_flashed_messages_show_in_the_layout(client):
    with client.session_transaction() as session:
        session["_flashes"] = [("error", "Uw aanvraag is niet verstuurd."), ("message", "Gelukt.")]

    html = client.get("/").get_data(as_text=True)

    alerts = [d for d in elements(html, "div") if "utrecht-alert" in d.get("class", "").split()]
    assert [(a["class"], a["role"]) for a in alerts] == [
        ("utrecht-alert utrecht-alert--error", "alert"),
        ("utrecht-alert utrecht-alert--info", "status"),
    ]
    assert "Uw aanvraag is niet verstuurd." in visible_text(html)


def test_page_title_names_the_page_and_the_service(client):
    html = client.get("/privacy").get_data(as_text=True)

    title = html[html.index("<title>") + 7 : html.index("</title>")]
    assert title == "Privacyverklaring – Opnameloket"


@pytest.mark.parametrize(
    ("number", "href"),
    [
        ("112", "tel:112"),
        ("0800 - 123 45 67", "tel:08001234567"),
        ("+31 50 123 4567", "tel:+31501234567"),
    ],
)
def test_phone_numbers_become_tel_links_without_spaces(number, href):
    assert tel_href(number) == href
