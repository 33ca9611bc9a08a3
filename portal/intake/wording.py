"""The words for each answer, shared by the form, the check page, receipts and staff screens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

BUILDING_KINDS = {
    "home": _l("A home"),
    "farm_home": _l("A farmhouse (the home on a farm)"),
    "farm_building": _l("A farm building, such as a barn or shed"),
    "other": _l("Another building"),
}
RELATIONS = {
    "owner_occupier": _l("I own it and live in it"),
    "tenant": _l("I rent it"),
    "landlord": _l("I rent it out, or I work for a housing corporation"),
    "other": _l("Something else"),
}
SIGNS = {
    "new_cracks": _l("New cracks in walls or ceilings"),
    "jamming": _l("Doors or windows that jam"),
    "recent_earthquake": _l("Damage after a recent earthquake"),
    "building_type": _l("I worry about the type of building"),
    "other": _l("Something else"),
}
REQUEST_TYPES = {
    "inspection": _l("Inspection"),
    "reassessment": _l("Reassessment"),
    "question": _l("Question about a home already in the programme"),
}
LANGUAGES = {"nl": "Nederlands", "en": "English"}


def answer_rows(req) -> list[dict]:
    """The resident's answers as label/value pairs, in the current language.

    An urgent request may lack the building and the relation: they show as "–".
    """
    signs = ", ".join(str(SIGNS[s]) for s in req.sign_list)
    contact = [c for c in (req.email, req.phone) if c]
    return [
        {"label": str(_l("Request")), "value": str(REQUEST_TYPES[req.request_type])},
        {"label": str(_l("Building")), "value": str(BUILDING_KINDS.get(req.building_kind, "–"))},
        {"label": str(_l("Your relation to it")), "value": str(RELATIONS.get(req.relation, "–"))},
        {"label": str(_l("What you notice")), "value": signs or "–"},
        {"label": str(_l("In your own words")), "value": req.explanation or "–"},
        {"label": str(_l("Name")), "value": req.contact_name},
        {"label": str(_l("Contact")), "value": ", ".join(contact)},
        {"label": str(_l("Language")), "value": LANGUAGES[req.language]},
        {"label": str(_l("Letters by post")),
         "value": str(_l("Yes")) if req.letters_by_post else str(_l("No"))},
    ]
