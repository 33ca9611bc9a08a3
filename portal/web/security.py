"""Security headers on every response."""

from __future__ import annotations

from flask import Flask

# Pages load only the portal's own files: no CDN, no fonts or scripts from elsewhere, no
# inline style or script, and no framing by another site.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# The portal needs no camera, microphone, location or payment: say so, so that an
# injected frame or script could not ask for them either.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def init_security(app: Flask) -> None:
    """Send headers that keep pages from loading anything from elsewhere."""
    production = app.config.get("PORTAL_ENV") == "production"

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if production:
            # Production runs behind HTTPS only (secure cookies); browsers should never
            # try plain HTTP again. Not in development, where HTTP on localhost is normal.
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
