"""Small forms shared by pages of several modules."""

from __future__ import annotations

from flask_wtf import FlaskForm


class PlanForm(FlaskForm):
    """Plan the selected homes into assessment capacity (the addresses come as checkboxes)."""
