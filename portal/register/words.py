"""Where a home in the programme stands, in plain words (B1) for the resident.

Used wherever a resident hears that the home is already in the reinforcement programme —
the form's register page, the "inform" letter and mail, and /status — so the answer is the
same everywhere: which group, what has happened to the home, what comes next, and where to
go if the resident still feels unsafe (domain rule 10: never "nothing happens" alone).
"""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from portal.register.verdict import Verdict


def home_standing(found: Verdict, *, desk_phone: str, emergency_number: str) -> list[str]:
    """The sentences that tell a resident where their home stands; empty outside the programme."""
    where, next_steps = standing_parts(found, desk_phone=desk_phone,
                                       emergency_number=emergency_number)
    return [*where, *next_steps]


def standing_parts(found: Verdict, *, desk_phone: str,
                   emergency_number: str) -> tuple[list[str], list[str]]:
    """Where the home stands (group, what happened), and what comes next; empty outside."""
    if not found.in_programme:
        return [], []
    return [*_group(found), *_so_far(found)], [
        _("You do not need to ask for an inspection. The programme contacts you when it "
          "is your home's turn."),
        _("Do you still feel unsafe in your home? Call the desk on %(phone)s. Is there "
          "acute danger, for example a wall that may collapse? Call %(number)s straight "
          "away.", phone=desk_phone, number=emergency_number)]


def _group(found: Verdict) -> list[str]:
    sentences = []
    if found.risk_profile == "P50":
        sentences.append(_("Your home is in risk category P50: the group with the highest "
                           "risk. These homes go first."))
    elif found.risk_profile == "P90":
        sentences.append(_("Your home is in risk category P90: the group with a slightly "
                           "raised risk. These homes follow after P50."))
    if found.batch:
        sentences.append(_("Your home is in batch %(batch)s of the reinforcement programme.",
                           batch=found.batch))
    return sentences


def _so_far(found: Verdict) -> list[str]:
    if found.inspected_on is None:
        return [_("Your home has not been inspected yet.")]
    sentences = [_("Your home was inspected on %(date)s.",
                   date=format_date(found.inspected_on, "long"))]
    if found.advice == "versterken":
        sentences.append(_("The assessment advises to reinforce your home."))
    elif found.advice == "geen_versterking":
        sentences.append(_("The assessment found that your home does not need to be "
                           "reinforced."))
    else:
        sentences.append(_("The assessment of the inspection is not ready yet."))
    return sentences
