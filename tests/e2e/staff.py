"""Helpers for browser tests on staff pages."""

from __future__ import annotations

import pyotp
from playwright.sync_api import Page

from tests.accounts.conftest import PASSWORD
from tests.e2e.test_resident_form import dutch


def log_in(page: Page, app, user) -> None:
    """Log in with email and password, then the current TOTP code."""
    page.goto("/medewerkers/inloggen")
    page.locator("[name='email']").fill(user.email)
    page.locator("[name='password']").fill(PASSWORD)
    page.get_by_role("button", name=dutch(app, "Continue")).click()
    page.locator("[name='code']").fill(pyotp.TOTP(user.totp_secret).now())
    page.get_by_role("button", name=dutch(app, "Log in")).click()
    page.wait_for_url("**/medewerkers/")
