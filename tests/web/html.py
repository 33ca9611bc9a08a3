"""Reading rendered pages in tests: elements with their attributes, and the visible text."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Collector(HTMLParser):
    """Collect every start tag with its attributes, and the text outside script/style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def elements(html: str, tag: str | None = None) -> list[dict[str, str | None]]:
    """Return the attributes of every element (of one tag, if given), in document order."""
    return [attrs for name, attrs in _parse(html).elements if tag is None or name == tag]


def visible_text(html: str) -> str:
    """Return the text of a page with tags removed and white space collapsed."""
    return re.sub(r"\s+", " ", "".join(_parse(html).text)).strip()
