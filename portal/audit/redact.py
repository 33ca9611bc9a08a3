"""Masking of what looks like personal data in free text: a last defence, not a licence.

Log messages and audit details should never carry personal data in the first place; these
patterns catch the common slips (an email address or phone number in an error message, a
postcode with its house number, a client address, a token in a query string) before they
are written. Street names and people's names cannot be told from other words by a pattern;
only not logging them helps there.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# Dutch numbers: 0 or +31 / 0031 (optionally "(0)"), then nine digits, with spaces, dots or
# dashes between them as people type them. The look-arounds keep it from biting into
# longer digit strings such as ids.
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)31[\s.-]?(?:\(0\)[\s.-]?)?|0)(?:\d[\s.-]?){8}\d(?!\d)"
)

# A postcode is four digits (not starting with 0) and two letters. Upper case with an
# optional space, or lower case without one: "1000 ms" in a timing message is no postcode.
# The house number (with letter or addition) that often follows goes with it.
POSTCODE = re.compile(
    r"(?<!\w)[1-9]\d{3}(?: ?[A-Z]{2}|[a-z]{2})(?!\w)"
    r"(?:[\s,]+\d{1,5}[A-Za-z]?(?:-[A-Za-z0-9]{1,4})?(?![\w-]))?"
)

# Client addresses are personal data too; the audit trail keeps only their keyed hash.
_OCTET = r"(?:25[0-5]|2[0-4]\d|1?\d?\d)"
IPV4 = re.compile(rf"(?<![\w.])(?:{_OCTET}\.){{3}}{_OCTET}(?!\w|\.\d)")
# Full form, or compressed with "::"; a clock time such as 12:30:45 is neither.
IPV6 = re.compile(
    r"(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
    r"|(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{0,4})(?![\w:])"
)

# Query strings carry search terms and one-time tokens (status links); a path does not.
QUERY = re.compile(r"(?<=[^\s?])\?[^\s\"']+")

_RULES = (
    (EMAIL, "[email]"),
    (QUERY, "?[query]"),
    (IPV6, "[ip]"),
    (IPV4, "[ip]"),
    (PHONE, "[phone]"),
    (POSTCODE, "[postcode]"),
)


def redact(text: str) -> str:
    """Return text with email and IP addresses, phone numbers, postcodes and queries masked."""
    for pattern, mask in _RULES:
        text = pattern.sub(mask, text)
    return text


def redact_value(value: object) -> object:
    """Return a JSON-like value with every string in it passed through redact()."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(item) for item in value]
    return value
