"""The order of the form's pages and what each needs before it can be shown."""

from __future__ import annotations

from portal.intake.submit import Answers

# Each page in the order a resident meets it, with the answer it provides. A page can be
# shown once every page before it has provided its answer.
# Acute danger is asked first: a resident in danger gets the emergency number and a call
# back at once, without answering anything about the home.
PAGES: list[tuple[str, str | None]] = [
    ("danger", "acute_danger"),
    ("address", "straat"),
    ("register", "outcome"),
    ("building", "building_kind"),
    ("relation", "relation"),
    ("reasons", "reasons_done"),
    ("contact", "contact_name"),
    ("check", None),
]
ORDER = [page for page, _ in PAGES]


def first_missing_page(answers: dict, page: str) -> str | None:
    """The earliest page before `page` that still lacks its answer, or None."""
    for name, provides in PAGES:
        if name == page:
            return None
        if provides not in answers:
            return name
    return None


def next_page(page: str, answers: dict) -> str:
    """The page after page; after acute danger 'yes' the form stops at the call-back page."""
    if page == "danger" and answers.get("acute_danger"):
        return "urgent"
    return ORDER[ORDER.index(page) + 1]


def to_answers(answers: dict, language: str) -> Answers:
    """Turn a complete draft into the Answers that submit_request stores."""
    return Answers(
        postcode=answers["postcode"], huisnummer=answers["huisnummer"],
        huisletter=answers.get("huisletter", ""),
        huisnummertoevoeging=answers.get("huisnummertoevoeging", ""),
        straat=answers["straat"], woonplaats=answers["woonplaats"],
        nummeraanduiding_id=answers.get("nummeraanduiding_id"),
        building_kind=answers["building_kind"], relation=answers["relation"],
        signs=answers.get("signs", []), explanation=answers.get("explanation", ""),
        acute_danger=bool(answers.get("acute_danger")),
        contact_name=answers.get("contact_name", ""), email=answers.get("email") or None,
        phone=answers.get("phone") or None,
        language=answers.get("language", language),
        letters_by_post=bool(answers.get("letters_by_post")),
    )


def to_urgent_answers(answers: dict, language: str) -> Answers:
    """The Answers of an urgent request: what is known so far, blanks for the rest.

    A resident in acute danger leaves only a name and a phone number, and the address
    when they want to; the officer who calls back asks the rest.
    """
    return Answers(
        postcode=answers.get("postcode", ""), huisnummer=answers.get("huisnummer") or 0,
        huisletter=answers.get("huisletter", ""),
        huisnummertoevoeging=answers.get("huisnummertoevoeging", ""),
        straat=answers.get("straat", ""), woonplaats=answers.get("woonplaats", ""),
        nummeraanduiding_id=answers.get("nummeraanduiding_id"),
        building_kind=answers.get("building_kind", ""), relation=answers.get("relation", ""),
        signs=answers.get("signs", []), explanation=answers.get("explanation", ""),
        acute_danger=True, contact_name=answers.get("contact_name", ""),
        email=answers.get("email") or None, phone=answers.get("phone") or None,
        language=answers.get("language", language),
        letters_by_post=bool(answers.get("letters_by_post")),
    )
