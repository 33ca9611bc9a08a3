"""What the register means for an address: the one verdict every part of the portal uses.

The resident's form, the desk, triage and capacity all ask the same question — is this
home already in the programme (P50, P90 or a batch), was it inspected before, is it in
the area the desk serves, is it in the register at all — and get the answer here, in
Python for one address and as SQL for set queries, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from portal.register.models import Address, ProgrammeStatus


class Standing(StrEnum):
    """Where an address stands, in the order the register is read."""

    NOT_IN_REGISTER = "not_in_register"
    OUTSIDE_AREA = "outside_area"
    IN_PROGRAMME = "in_programme"
    INSPECTED_BEFORE = "inspected_before"
    NOT_KNOWN = "not_known"


# The request each standing leads to: a question about a home in the programme, a
# reassessment of a home inspected before (domain rule 4), otherwise an inspection.
REQUEST_TYPE = {Standing.IN_PROGRAMME: "question", Standing.INSPECTED_BEFORE: "reassessment"}


@dataclass(frozen=True)
class Verdict:
    """The register's verdict on one address, with the facts behind it."""

    standing: Standing
    risk_profile: str | None = None
    batch: str | None = None
    inspected_on: date | None = None
    advice: str | None = None
    municipality: str | None = None

    @property
    def kind(self) -> str:
        """The standing as stored and shown (a plain string)."""
        return self.standing.value

    @property
    def request_type(self) -> str:
        """The kind of request this address leads to."""
        return REQUEST_TYPE.get(self.standing, "inspection")

    @property
    def in_programme(self) -> bool:
        """True for P50, P90 and batch homes: inform, do not queue (domain rule 3)."""
        return self.standing is Standing.IN_PROGRAMME


# The key under which an app's sessions carry the municipalities it serves (see served_by).
SERVED_INFO = "portal.served_municipalities"


def served_by(session: Session) -> frozenset[str] | None:
    """The municipality codes the session's app serves (SERVED_MUNICIPALITIES); None: all."""
    return session.info.get(SERVED_INFO)


def verdict(address: Address | None, served: Collection[str] | None = None) -> Verdict:
    """Read the register for one address (None: not in the register).

    served: the municipality codes the desk serves (`served_by(session)`); None serves
    every municipality in the register.
    """
    if address is None:
        return Verdict(Standing.NOT_IN_REGISTER)
    municipality = address.municipality
    if served is not None and municipality.code not in served:
        return Verdict(Standing.OUTSIDE_AREA, municipality=municipality.name)
    programme = address.programme
    if programme is None:
        return Verdict(Standing.NOT_KNOWN, municipality=municipality.name)
    facts = dict(risk_profile=programme.risk_profile, batch=programme.batch,
                 inspected_on=programme.inspected_on, advice=programme.advice,
                 municipality=municipality.name)
    if programme.risk_profile or programme.batch:
        return Verdict(Standing.IN_PROGRAMME, **facts)
    if programme.inspected_on:
        return Verdict(Standing.INSPECTED_BEFORE, **facts)
    return Verdict(Standing.NOT_KNOWN, **facts)


def in_programme_sql(programme: type[ProgrammeStatus] = ProgrammeStatus) -> ColumnElement[bool]:
    """The same test as Standing.IN_PROGRAMME, for set queries over the programme list."""
    return programme.risk_profile.is_not(None) | programme.batch.is_not(None)


def inspected_outside_programme_sql(
        programme: type[ProgrammeStatus] = ProgrammeStatus) -> ColumnElement[bool]:
    """The same test as Standing.INSPECTED_BEFORE, for set queries over the programme list."""
    return programme.inspected_on.is_not(None) & ~in_programme_sql(programme)
