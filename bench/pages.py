"""Page weight and Lighthouse figures for the resident's pages on a slow phone (not in CI).

Usage, against a running portal (`scripts/start`, or `scripts/serve` behind nothing):

    python bench/pages.py http://127.0.0.1:5000 [--lighthouse] [--screenshots DIR]

For `/`, the first form page and `/status` it prints the bytes a browser transfers (the
HTML and every stylesheet, script, image and icon it links, each asked for with
`Accept-Encoding: gzip, br` as a browser does) and, with --lighthouse, Lighthouse's mobile
scores (performance, first contentful paint, SEO, best practices, accessibility). Lighthouse
runs through `npx lighthouse` in Debian's Chromium (CHROME_PATH, default /usr/bin/chromium).
--screenshots also saves a full-page PNG of each page and of a staff page (the log-in page)
for a side-by-side look before and after a change to the styles. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

PAGES = ("/", "/aanvraag/gevaar", "/status")
STAFF_PAGE = "/medewerkers/inloggen"
LINKED = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"', re.IGNORECASE)
LIGHTHOUSE = os.environ.get("LIGHTHOUSE", "npx --yes lighthouse@12")


def transferred(url: str) -> int:
    """Bytes on the wire for one response body, asked for as a browser asks."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request) as response:  # our own server
        return len(response.read())


def page_weight(base: str, path: str) -> dict:
    """The page's own bytes and those of everything it links, compressed as served."""
    url = urljoin(base, path)
    html = urllib.request.urlopen(url).read().decode()
    parts = {path: transferred(url)}
    for linked in LINKED.findall(html):
        parts[linked] = transferred(urljoin(url, linked.replace("&amp;", "&")))
    return {"bytes": sum(parts.values()), "parts": parts}


def lighthouse(base: str, path: str) -> dict:
    """Lighthouse's mobile figures for one page."""
    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "report.json"
        command = LIGHTHOUSE.split() + [
            urljoin(base, path), "--quiet", "--output=json", f"--output-path={report}",
            "--only-categories=performance,accessibility,best-practices,seo",
            "--chrome-flags=--headless=new --no-sandbox",
        ]
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        data = json.loads(report.read_text())
    scores = {name: round(category["score"] * 100) for name, category
              in data["categories"].items()}
    audits = data["audits"]
    return {
        **scores,
        "fcp_s": round(audits["first-contentful-paint"]["numericValue"] / 1000, 2),
        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2),
        "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1024, 1),
    }


def screenshots(base: str, directory: Path) -> None:
    """Full-page PNGs of the three pages and a staff page at a phone's and a desk's width."""
    from playwright.sync_api import sync_playwright  # only with --screenshots

    directory.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 800})
            for path in (*PAGES, STAFF_PAGE):
                page.goto(urljoin(base, path))
                name = path.strip("/").replace("/", "-") or "start"
                page.screenshot(path=str(directory / f"{name}-{width}.png"), full_page=True)
            page.close()
        browser.close()


def main() -> None:
    """Measure the pages and print one line per page, then JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the portal's address, e.g. http://127.0.0.1:5000")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse")
    parser.add_argument("--screenshots", type=Path, help="save screenshots in this folder")
    args = parser.parse_args()
    results = {}
    for path in PAGES:
        result = page_weight(args.base, path)
        if args.lighthouse:
            result["lighthouse"] = lighthouse(args.base, path)
        results[path] = result
        print(f"{path:20} {result['bytes'] / 1024:7.1f} KB  {result.get('lighthouse', '')}",
              file=sys.stderr)
    if args.screenshots:
        screenshots(args.base, args.screenshots)
    print(json.dumps({path: {"kb": round(r["bytes"] / 1024, 1),
                             **r.get("lighthouse", {})} for path, r in results.items()}))


if __name__ == "__main__":
    main()
