"""What views hand to domain code from the running app: its ServiceFacts."""

from __future__ import annotations

from flask import current_app

from portal.service import EXTENSION, ServiceFacts


def service_facts() -> ServiceFacts:
    """The current app's ServiceFacts, built once in create_app."""
    return current_app.extensions[EXTENSION]
