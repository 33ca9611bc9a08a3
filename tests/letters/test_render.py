"""portal/letters/render.py: the receipt as tagged PDF in both languages, and the fetcher."""

from __future__ import annotations

import io
import socket
from datetime import datetime

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from portal.letters.render import (
    LETTER_TEMPLATES,
    STATIC_FILES,
    LetterURLFetcher,
    RefusedURL,
    format_letter_datetime,
    html_to_pdf,
    render_pdf,
)
from tests.letters.receipts import ADDRESS, POSTAL_ADDRESS, REFERENCE, receipt_context

MM_PER_CSS_PX = 25.4 / 96


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def receipts(app) -> dict[str, PdfReader]:
    """The same receipt rendered once in Dutch and once in English, sent by post."""
    with app.app_context():
        return {
            language: PdfReader(
                io.BytesIO(
                    render_pdf(
                        "letters/receipt.html",
                        receipt_context(postal_address=POSTAL_ADDRESS),
                        language=language,
                    )
                )
            )
            for language in ("nl", "en")
        }


def test_english_receipt_names_reference_address_type_and_time(receipts):
    text = _text(receipts["en"])

    assert REFERENCE in text
    assert ADDRESS in text
    assert "An inspection of your home" in text
    assert "27 November 2026, 14:05" in text


def test_dutch_receipt_names_reference_address_and_dutch_time(receipts):
    text = _text(receipts["nl"])

    assert REFERENCE in text
    assert ADDRESS in text
    assert "27 november 2026, 14:05" in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_receipt_is_tagged_pdf_ua_in_its_language(receipts, language):
    reader = receipts[language]
    catalog = reader.trailer["/Root"]

    assert catalog["/Lang"] == language
    assert catalog["/MarkInfo"] == {"/Marked": True}
    assert "/StructTreeRoot" in catalog
    assert catalog["/ViewerPreferences"] == {"/DisplayDocTitle": True}
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()


def test_receipt_has_a_title_in_its_metadata(receipts):
    assert receipts["en"].metadata.title == f"We have received your request – {REFERENCE}"
    assert receipts["nl"].metadata.title.endswith(f" – {REFERENCE}")


def test_postal_address_shows_in_the_envelope_window(receipts):
    positions = {}

    def record(text, cm, tm, _font, _size):
        if text.strip() in POSTAL_ADDRESS:
            # WeasyPrint draws in CSS pixels from the top left corner of the page.
            positions[text.strip()] = (tm[4] * MM_PER_CSS_PX, tm[5] * MM_PER_CSS_PX)

    receipts["nl"].pages[0].extract_text(visitor_text=record)

    assert len(positions) == len(POSTAL_ADDRESS)
    for left, baseline in positions.values():
        # The NEN 1026 window: 20 to 110 mm from the left, 50 to 95 mm from the top,
        # with a few millimetres to spare because the letter shifts in its envelope.
        assert 22 <= left <= 60
        assert 55 <= baseline <= 92


@pytest.mark.parametrize(
    ("request_type", "wording"),
    [
        ("inspection", "An inspection of your home"),
        ("reassessment", "A reassessment of your home"),
        ("question", "An answer to your question"),
    ],
)
def test_each_request_type_has_its_own_wording(app_context, request_type, wording):
    pdf = render_pdf(
        "letters/receipt.html", receipt_context(request_type=request_type), language="en"
    )

    assert wording in _text(PdfReader(io.BytesIO(pdf)))


def test_naive_moment_is_utc_shown_in_dutch_summer_time(app_context):
    with force_locale("nl"):
        assert format_letter_datetime(datetime(2026, 7, 1, 12, 0)) == "1 juli 2026, 14:00"


def test_only_letter_templates_are_rendered(app_context):
    with pytest.raises(ValueError):
        render_pdf("web/start.html", {}, language="nl")


def test_fetcher_refuses_http():
    fetcher = LetterURLFetcher()

    with pytest.raises(RefusedURL):
        fetcher.fetch("https://example.org/x.png")
    assert fetcher.refused == ["https://example.org/x.png"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (LETTER_TEMPLATES / ".." / ".." / "pyproject.toml").as_uri(),
        "file://example.org" + str(LETTER_TEMPLATES / "letter.css"),
        "data:text/css,body{color:red}",
    ],
)
def test_fetcher_refuses_anything_outside_the_letter_folders(url):
    fetcher = LetterURLFetcher()

    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_the_letter_stylesheet():
    stylesheet = LETTER_TEMPLATES / "letter.css"

    response = LetterURLFetcher().fetch(stylesheet.as_uri())

    assert (response.content_type, response.read()) == ("text/css", stylesheet.read_bytes())


def test_fetcher_allows_static_files():
    assert LetterURLFetcher().allowed_folders == (
        LETTER_TEMPLATES.resolve(),
        STATIC_FILES.resolve(),
    )


def test_external_image_is_refused_and_the_letter_still_renders(monkeypatch):
    connections = []

    def no_network(_socket, address):
        connections.append(address)
        raise OSError("no network in letters")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    fetcher = LetterURLFetcher()
    html = (
        '<html lang="en"><head><title>Test</title></head>'
        '<body><p>Before</p><img src="https://example.org/x.png" alt=""><p>After</p></body>'
        "</html>"
    )

    pdf = html_to_pdf(html, fetcher=fetcher)

    assert fetcher.refused == ["https://example.org/x.png"]
    assert connections == []
    assert _text(PdfReader(io.BytesIO(pdf))).split() == ["Before", "After"]
