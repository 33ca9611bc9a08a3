"""The TOTP second factor: secrets, codes accepted once, and the enrolment QR code as SVG."""

from __future__ import annotations

import hmac
import re
from datetime import UTC, datetime

import pyotp
import segno

ISSUER = "Opnameloket"
INTERVAL = 30
DIGITS = 6
# One step either side allows for a phone clock that is a little off, and for the seconds
# a person needs to type the code; more would widen the window for a guessed code.
TOLERANCE = 1
_CODE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    """A new random base32 secret of 160 bits, as RFC 4226 recommends."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=email, issuer_name=ISSUER)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str, *, title: str) -> str:
    """The QR code of uri as inline SVG markup, rendered here: no script, no request elsewhere.

    The markup has no style attribute or element, so the Content-Security-Policy (no
    inline style) leaves it alone; the white background keeps it readable in dark mode.
    """
    qr = segno.make(uri, error="m")
    return qr.svg_inline(scale=5, dark="#000", light="#fff", title=title,
                         svgclass="opnameloket-qr", lineclass=None)


def time_step(now: datetime) -> int:
    """The TOTP time step of a naive UTC datetime."""
    return int(now.replace(tzinfo=UTC).timestamp()) // INTERVAL


def normalise_code(typed: str) -> str:
    """A typed code without the spaces apps show in the middle (123 456)."""
    return re.sub(r"\s", "", typed or "")


def looks_like_totp(typed: str) -> bool:
    """True when what was typed has the shape of a TOTP code (six digits)."""
    return bool(_CODE.match(normalise_code(typed)))


def matching_step(secret: str, typed: str, *, now: datetime,
                  last_step: int | None) -> int | None:
    """The time step whose code was typed, or None; steps up to last_step are refused.

    The caller stores the step it gets back as the new last_step (atomically, see
    auth.accept_totp), which is what makes every code usable only once.
    """
    code = normalise_code(typed)
    if not _CODE.match(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    current = time_step(now)
    for step in range(current - TOLERANCE, current + TOLERANCE + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_at(secret: str, now: datetime) -> str:
    """The code an authenticator app shows at `now` (for demos and tests)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).generate_otp(time_step(now))
