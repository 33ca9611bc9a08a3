"""Light pages: one small stylesheet, compressed, cached for good, and every page under 60 KB."""

from __future__ import annotations

import gzip
import os
import re

import brotli
import pytest

from portal.app import create_app
from portal.web import cssbuild, csspurge
from portal.web.static import StylesheetNotBuilt
from tests.web.html import elements

# What a resident's phone downloads for a page: the HTML and all it links, as served.
PAGE_BUDGET_BYTES = 60 * 1024
LIGHT_PAGES = ["/", "/aanvraag/gevaar", "/status"]
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


def _linked(html: str) -> list[str]:
    """Every file a page makes the browser fetch: stylesheets, icons, scripts, images."""
    urls = [link["href"] for link in elements(html, "link")]
    urls += [tag["src"] for name in ("script", "img") for tag in elements(html, name)
             if tag.get("src")]
    return urls


def _stylesheet_url(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return next(link["href"] for link in elements(html, "link")
                if link.get("rel") == "stylesheet")


@pytest.mark.parametrize("path", LIGHT_PAGES)
def test_a_page_and_everything_it_loads_stay_under_60_kb(client, path):
    page = client.get(path, headers=BROWSER)
    sizes = {path: len(page.data)}
    for url in _linked(page.get_data(as_text=True)):
        response = client.get(url, headers=BROWSER)
        assert response.status_code == 200, url
        sizes[url] = len(response.data)  # the body as sent: compressed when it can be
        response.close()

    assert page.status_code == 200
    assert sum(sizes.values()) < PAGE_BUDGET_BYTES, sizes


def test_the_stylesheet_is_cached_for_good_and_sent_compressed(client):
    url = _stylesheet_url(client)
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    brotlied = client.get(url, headers=BROWSER)

    assert re.fullmatch(r"/static/build/portal\.[0-9a-f]{12}\.css", url)
    for response in (plain, zipped, brotlied):
        assert response.status_code == 200
        assert response.mimetype == "text/css"
        assert "immutable" in response.headers["Cache-Control"]
        max_age = int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"])[1])
        assert max_age >= 365 * 24 * 3600
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Accept-Encoding" in response.headers["Vary"]
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert brotlied.headers["Content-Encoding"] == "br"
    assert gzip.decompress(zipped.data) == plain.data == brotli.decompress(brotlied.data)
    assert len(zipped.data) < 20 * 1024
    for response in (plain, zipped, brotlied):
        response.close()


def test_other_static_files_are_cached_for_an_hour_only(client):
    response = client.get("/static/favicon.svg")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=3600, public"
    response.close()


def test_pages_keep_their_security_policy(client):
    response = client.get("/")

    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def _classes(css: str) -> set[str]:
    """Every class any selector of a stylesheet names."""
    # Declaration blocks (the innermost braces) emptied first, so values do not count.
    selectors = re.sub(r"\{[^{}]*\}", "{}", re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL))
    return set(re.findall(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)(?=[^{}]*\{)", selectors))


def test_every_class_the_pages_use_keeps_its_rules():
    """A class in a template that the full library or the portal's CSS styled is still styled."""
    lock = cssbuild.read_lock()
    full = cssbuild._member(cssbuild.fetch_package(lock), cssbuild.PACKAGE_CSS)
    full += "".join(path.read_text() for path in cssbuild.OWN_CSS)
    built = (cssbuild.OUTPUT / cssbuild.read_manifest()["files"][cssbuild.ENTRY]).read_text()
    used = csspurge.used_words(cssbuild.class_sources())

    styled_before = {name for name in _classes(full) if used.has(name)}
    styled_now = _classes(built)

    assert styled_before - styled_now == set()
    assert {"utrecht-button--primary-action", "utrecht-alert--error",
            "utrecht-radio-button--invalid", "opnameloket-input--width-7"} <= styled_now
    # And what no page uses is gone.
    assert "utrecht-calendar" in _classes(full) and "utrecht-calendar" not in styled_now


def test_a_second_build_is_skipped_when_nothing_changed():
    path, built = cssbuild.build()

    assert built is False
    assert path.name == cssbuild.read_manifest()["files"][cssbuild.ENTRY]


@pytest.mark.parametrize("path", [*LIGHT_PAGES, "/toegankelijkheid", "/privacy"])
def test_public_pages_describe_themselves_for_search_engines(client, path):
    html = client.get(path).get_data(as_text=True)

    descriptions = [m for m in elements(html, "meta") if m.get("name") == "description"]
    assert len(descriptions) == 1 and len(descriptions[0]["content"]) > 50


def test_production_refuses_to_start_without_the_built_stylesheet(monkeypatch, tmp_path):
    monkeypatch.setattr(cssbuild, "MANIFEST", tmp_path / "manifest.json")
    environ = {"PORTAL_ENV": "production", "SECRET_KEY": "x" * 64,
               "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test",
               "PUBLIC_BASE_URL": "https://opnameloket.example"}

    with pytest.raises(StylesheetNotBuilt, match="python -m portal.web.cssbuild"):
        create_app({"environ": environ})


def test_a_build_keeps_the_last_builds_for_servers_not_yet_restarted(monkeypatch, tmp_path):
    monkeypatch.setattr(cssbuild, "OUTPUT", tmp_path)
    for age, digest in enumerate(["aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc", "dddddddddddd"]):
        for suffix in ("", ".gz", ".br"):
            path = tmp_path / f"portal.{digest}.css{suffix}"
            path.write_text("x")
            os.utime(path, (1000 - age, 1000 - age))

    cssbuild._remove_old_builds(keep="portal.dddddddddddd.css")

    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".css") == [
        "portal.aaaaaaaaaaaa.css", "portal.bbbbbbbbbbbb.css", "portal.dddddddddddd.css"]
    assert len(list(tmp_path.iterdir())) == 9
