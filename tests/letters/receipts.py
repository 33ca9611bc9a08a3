"""A receipt's context as the intake would pass it, for the letter tests."""

from __future__ import annotations

from datetime import datetime

REFERENCE = "OV-7K3Q-92XM-4HJC"
ADDRESS = "Hoofdstraat 12a, 9937 AB Meedhuizen"
POSTAL_ADDRESS = ["Mevrouw A. de Vries", "Hoofdstraat 12a", "9937 AB  MEEDHUIZEN"]


def receipt_context(**overrides) -> dict:
    """The context of a receipt for an inspection, received 27 November 2026 at 14:05 Dutch time."""
    context = {
        "reference": REFERENCE,
        # Naive UTC, as the portal stores moments: 13:05 UTC is 14:05 in Groningen in winter.
        "submitted_at": datetime(2026, 11, 27, 13, 5),
        "address": ADDRESS,
        "request_type": "inspection",
        "answers": [
            {"label": "Type of building", "value": "Home"},
            {"label": "Why do you feel unsafe?", "value": "Cracks in the kitchen wall."},
        ],
        "next_steps": ["We check your address against the register."],
        "status_url": f"https://opnameloket.example.nl/status/{REFERENCE}",
        "emergency_number": "112",
    }
    context.update(overrides)
    return context
