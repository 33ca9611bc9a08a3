"""Letters to residents: the only place in the portal that renders PDF.

A letter is rendered once, in the resident's language, and stored as bytes together with
the version of its template (`issue.issue_letter`). A download later serves those stored
bytes (`issue.stored_letter`); a letter that was issued is never rendered again, so what
the resident holds and what the portal keeps are the same document.

Every letter (templates/letters/base.html) takes these optional context keys:

- `postal_address`: list of lines (name, street, postcode and place) printed in the
  window of a Dutch window envelope; leave it out for a letter that is only downloaded.
- `desk_phone`, `desk_email`: how to reach the desk, printed in the footer when given.
- `letter_date`: the date on the letter; `issue_letter` sets it to the moment of issue.

The receipt (`kind="receipt"`, templates/letters/receipt.html), which a resident keeps
after asking for an inspection or a reassessment, needs:

- `reference`: the request's reference, such as "OV-7K3Q-92XM-4HJC";
- `submitted_at`: when the request came in (a datetime; naive means UTC), printed in
  Dutch time as "27 november 2026, 14:05" or "27 November 2026, 14:05";
- `address`: the address of the home, on one line;
- `request_type`: "inspection", "reassessment" or "question";
- `answers`: list of {"label": str, "value": str}, what the resident told us, already
  translated by the caller;
- `next_steps`: list of str, what happens next, already translated by the caller;
- `status_url`: the page where the resident sees where the request stands;
- `emergency_number`: the number to call in acute danger.

The decision letter (`kind="decision"`, templates/letters/decision.html) needs `reference`,
`address`, `status_url` and `emergency_number` as above, and:

- `decision`: "accept_inspection", "accept_reassessment", "inform", "ask_information" or
  "decline";
- `decision_label`: what was decided, in words, already translated;
- `reasons`: list of str, why, already translated (the rule's reason and the officer's);
- `next_steps`: list of str, what happens next, already translated;
- `objection`: true when the resident may object (bezwaar) against the decision.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# One version per letter kind, stored with every letter of that kind. Bump the version of a
# kind whenever its template changes, and of every kind when letters/base.html or
# letters/letter.css changes: a stored letter then still says which wording it was sent in.
TEMPLATE_VERSIONS: dict[str, str] = {
    "receipt": "1",
    "decision": "1",
}

LANGUAGES = ("nl", "en")

# What each kind of letter is called on the staff pages.
LETTER_KINDS = {
    "receipt": _l("Receipt"),
    "decision": _l("Decision letter"),
}

# Checked before rendering: Jinja prints a missing value as nothing, and a receipt without
# its reference number must never be issued.
REQUIRED_CONTEXT: dict[str, tuple[str, ...]] = {
    "receipt": (
        "reference", "submitted_at", "address", "request_type", "answers", "next_steps",
        "status_url", "emergency_number",
    ),
    "decision": (
        "reference", "address", "decision", "decision_label", "reasons", "next_steps",
        "status_url", "emergency_number",
    ),
}

REQUEST_TYPES = ("inspection", "reassessment", "question")
