"""How a decision and its reasons read to the resident, apart from the officers' labels."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

DECISION_OUTCOMES = {
    "accept_inspection": _l("Your home will be inspected"),
    "accept_reassessment": _l("Your home will be assessed again"),
    "inform": _l("Your home is already in the reinforcement programme"),
    "ask_information": _l("We need more information from you"),
    "decline": _l("We do not accept your request"),
    "referred_to_emergency": _l("Your request is passed on to the procedure for acute "
                                "danger"),
    "not_reached": _l("We could not reach you by phone"),
}

# The officer's reason code as a sentence to the resident; None adds nothing of its own.
DECISION_REASONS = {
    "rules_apply": None,
    "feels_unsafe": _l("You told us you feel unsafe in your home. An inspection can take "
                       "that worry away."),
    "identical_neighbours": _l("Homes of the same type next to yours are handled the same "
                               "way."),
    "in_programme": _l("Your home is already part of the reinforcement programme."),
    "inspected_recently": _l("Your home was inspected recently."),
    "outside_area": _l("Your address lies outside the area this desk serves."),
    "not_a_building_in_scope": _l("This building falls outside what this desk inspects."),
    "information_missing": _l("We miss information to decide."),
    "local_priority": _l("The local steering group set the order of the work."),
    "other": None,
    # The call back of an urgent request (portal/triage/callback.py).
    "danger_confirmed": _l("We called you back. You told us there is acute danger at your "
                           "home. That is not handled in the queue for inspections."),
    "not_reached": _l("You told us there may be acute danger at your home. We tried to "
                      "call you back three times, but we could not reach you."),
}


def triage_reason(reason: str | None, detail: str | None) -> str | None:
    """What the register said about the home, as a sentence to the resident, or None."""
    if reason == "risk_profile":
        return str(_l("Your home is in risk category %(profile)s of the reinforcement "
                      "programme.", profile=detail))
    if reason == "batch":
        return str(_l("Your home is in batch %(batch)s of the reinforcement programme.",
                      batch=detail))
    if reason == "inspected_before" and detail:
        return str(_l("Your home was inspected on %(date)s and is not in a risk category.",
                      date=format_date(date.fromisoformat(detail), "long")))
    sentences = {
        "not_in_register": _l("We could not find your address in the register of homes."),
        "outside_area": _l("Your address lies outside the area this desk serves."),
        "open_request": _l("There is already a request for your address."),
        "not_known": _l("Your home was never inspected and is not yet in the programme."),
    }
    return str(sentences[reason]) if reason in sentences else None


def question_text(reason_code: str, reason_text: str) -> str:
    """What an officer asks the resident: their own words, else the reason as a sentence."""
    if reason_text:
        return reason_text
    reason = DECISION_REASONS.get(reason_code)
    return str(reason) if reason else _("Tell us more about the damage to your home.")
