"""Residents of P50, P90 and batch homes hear where their home stands; linked ones follow."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from portal.actors import Actor
from portal.intake.status import withdraw
from portal.letters.models import Letter
from portal.outbox.models import OutboxMessage
from portal.register.verdict import Standing, Verdict
from portal.register.words import home_standing
from portal.triage.decisions import decide
from tests.triage.conftest import IN_BATCH, IN_P50, IN_P90, NEVER_INSPECTED, file_request

OFFICER = Actor.staff(3, "T. Officer")
PHONES = {"desk_phone": "0800 - 123 45 67", "emergency_number": "112"}


def _mail(session, request) -> list[str]:
    session.expire_all()
    return [m.body_text for m in session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == request.email)
        .order_by(OutboxMessage.id))]


def test_every_group_says_what_happened_what_comes_next_and_where_to_go(app_context):
    standing = home_standing(Verdict(Standing.IN_PROGRAMME, risk_profile="P90",
                                     inspected_on=date(2019, 3, 4), advice="versterken"),
                             **PHONES)

    assert standing == [
        "Uw huis zit in risicocategorie P90. Dat is de groep met een licht verhoogd risico. "
        "Deze huizen komen na P50.",
        "Uw huis is opgenomen op 4 maart 2019.",
        "Uit de beoordeling blijkt dat uw huis versterkt moet worden.",
        "U hoeft geen opname aan te vragen. U hoort van de versterkingsoperatie als uw huis aan "
        "de beurt is.",
        "Voelt u zich toch niet veilig in uw huis? Bel het loket op 0800 - 123 45 67. Is er "
        "acuut gevaar, bijvoorbeeld een muur die kan instorten? Bel dan meteen 112.",
    ]
    assert home_standing(Verdict(Standing.NOT_KNOWN), **PHONES) == []


def test_a_batch_home_never_inspected_says_so(app_context):
    standing = home_standing(Verdict(Standing.IN_PROGRAMME, batch="1581"), **PHONES)

    assert standing[:2] == ["Uw huis zit in batch 1581 van de versterkingsoperatie.",
                            "Uw huis is nog niet opgenomen."]


def test_the_inform_mail_and_letter_say_where_the_home_stands(app_context, session,
                                                              triage_register):
    req = file_request(session, IN_P50)

    record = decide(session, req, "inform", actor=OFFICER, reason_code="in_programme")

    last_mail = _mail(session, req)[-1]
    assert "risicocategorie P50" in last_mail and "Bel het loket op" in last_mail
    assert "Er gebeurt niets meer" not in last_mail
    letter = session.get(Letter, record.letter_id)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.pdf)).pages)
    assert " ".join(text.split()).count("risicocategorie P50") == 1
    assert "Voelt u zich toch niet veilig" in " ".join(text.split())


def test_the_confirmation_of_a_batch_home_says_where_it_stands(app_context, session,
                                                               triage_register):
    req = file_request(session, IN_BATCH)

    assert "batch 1581" in _mail(session, req)[0]


def test_a_linked_resident_hears_when_the_lead_is_accepted(app_context, session,
                                                           triage_register):
    lead = file_request(session, NEVER_INSPECTED, key="lead", email="lead@example.nl")
    follower = file_request(session, NEVER_INSPECTED, key="follower", email="follow@x.nl")
    assert (follower.status, follower.linked_to_id) == ("linked", lead.id)

    decide(session, lead, "accept_inspection", actor=OFFICER, reason_code="rules_apply")

    news = _mail(session, follower)[-1]
    assert news.split("\n\n")[1:4] == [
        "Er was al een aanvraag voor dit adres. We behandelen uw aanvraag samen met die "
        "aanvraag. Zo nemen we het huis maar één keer op.",
        "Die aanvraag heeft nu de status: Goedgekeurd voor een opname.",
        "Uw aanvraag is goedgekeurd. Uw huis wordt opgenomen. We plannen de opname in zodra er "
        "plek is. We laten u weten wanneer."]


def test_when_the_lead_is_withdrawn_the_follower_stands_alone(app_context, session,
                                                              triage_register):
    lead = file_request(session, IN_P90, key="lead", email="lead@example.nl")
    first = file_request(session, NEVER_INSPECTED, key="a", email="a@example.nl")
    second = file_request(session, NEVER_INSPECTED, key="b", email="b@example.nl")
    third = file_request(session, NEVER_INSPECTED, key="c", email="c@example.nl")
    assert lead.status == "in_programme"
    assert [second.linked_to_id, third.linked_to_id] == [first.id, first.id]

    withdraw(session, first, actor=OFFICER, reason="by phone")
    session.flush()
    session.expire_all()

    assert [(r.status, r.linked_to_id) for r in (first, second, third)] == [
        ("withdrawn", None), ("received", None), ("linked", second.id)]


def test_when_the_lead_is_declined_the_follower_gets_its_own_answer(app_context, session,
                                                                    triage_register):
    lead = file_request(session, NEVER_INSPECTED, key="lead", email="lead@example.nl")
    follower = file_request(session, NEVER_INSPECTED, key="follower", email="f@example.nl")

    decide(session, lead, "decline", actor=OFFICER, reason_code="other",
           reason_text="Dubbel ingediend")
    session.flush()
    session.expire_all()

    assert [(r.status, r.linked_to_id, r.suggested_route) for r in (lead, follower)] == [
        ("declined", None, "inspection"), ("received", None, "inspection")]
    assert len(_mail(session, follower)) == 2  # the confirmation, and now its own status


def test_an_urgent_request_is_never_a_lead(app_context, session, triage_register):
    urgent = file_request(session, NEVER_INSPECTED, key="urgent", acute=True)
    later = file_request(session, NEVER_INSPECTED, key="later", email="later@example.nl")

    assert (urgent.status, later.status, later.linked_to_id) == ("urgent", "received", None)
