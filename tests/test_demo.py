"""The demo register loads once in development and never in production."""

from __future__ import annotations

from portal.app import create_app


def test_demo_setup_loads_the_sample_register_once(runner):
    first = runner.invoke(args=["demo", "setup"])
    second = runner.invoke(args=["demo", "setup"])

    assert first.exit_code == 0, first.output
    assert first.output.endswith("Demo register loaded: 2058 addresses.\n")
    assert "Demo accounts created" in first.output
    assert "already has addresses" in second.output


def test_demo_setup_refuses_in_production(tmp_path):
    app = create_app({"environ": {
        "PORTAL_ENV": "production", "SECRET_KEY": "x" * 64,
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test",
        "PUBLIC_BASE_URL": "https://opnameloket.example"}})

    result = app.test_cli_runner().invoke(args=["demo", "setup"])

    assert result.exit_code == 1
    assert "never loaded in production" in result.output
