"""Whether a letter goes by post, and the lines that show in the envelope window."""

from __future__ import annotations


def goes_by_post(req) -> bool:
    """True when letters go by post: asked for, and always when there is no email address."""
    return req.letters_by_post or not req.email


def postal_address(req) -> list[str]:
    """The lines for the envelope window: the resident at the address of the home."""
    number = f"{req.huisnummer}{req.huisletter}"
    if req.huisnummertoevoeging:
        number += f"-{req.huisnummertoevoeging}"
    return [req.contact_name, f"{req.straat} {number}",
            f"{req.postcode[:4]} {req.postcode[4:]}  {req.woonplaats.upper()}"]
