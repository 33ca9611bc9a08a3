"""Looking up what the register knows of an address, its building and its neighbours."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.register import fields
from portal.register.areas import in_province, municipality_of_postcode, province_municipalities
from portal.register.models import Address, Building, Municipality, ProgrammeStatus


@dataclass(frozen=True)
class NotFound:
    """No single address matches; the message says why, in words a person can act on."""

    message: str


def address_label(address: Address) -> str:
    """The address as people write it: `Hoofdstraat 12A-2, 9937AB Meedhuizen`."""
    number = house_number_label(address)
    return f"{address.straat} {number}, {address.postcode} {address.woonplaats}"


def house_number_label(address: Address) -> str:
    """The house number with letter and addition: `12A-2`."""
    label = f"{address.huisnummer}{address.huisletter}"
    if address.huisnummertoevoeging:
        label += f"-{address.huisnummertoevoeging}"
    return label


def addition_order(addition: str | None) -> tuple[int, int, str]:
    """Sort key for a house number addition, as people count flats.

    No addition first, then numbers as numbers (2 before 11 before 18), then every other
    addition alphabetically (`1A` before `A`).
    """
    text = (addition or "").strip().upper()
    if not text:
        return (0, 0, "")
    if text.isdigit():
        return (1, int(text), text)
    return (2, 0, text)


def address_order(address: Address) -> tuple:
    """Sort key for addresses: postcode, house number, letter, then the addition counted."""
    return (address.postcode, address.huisnummer, (address.huisletter or "").upper(),
            addition_order(address.huisnummertoevoeging))


def addresses_at(session: Session, postcode: str, huisnummer: int) -> list[Address]:
    """All addresses with this postcode and number (every letter and addition), in order."""
    return sorted(session.scalars(
        select(Address)
        .where(Address.postcode == postcode, Address.huisnummer == huisnummer)
    ), key=address_order)


def find_address(session: Session, postcode: str, huisnummer: int, letter: str = "",
                 addition: str = "") -> Address | None:
    """The one address with exactly this postcode, number, letter and addition."""
    return session.scalar(select(Address).where(
        Address.postcode == postcode,
        Address.huisnummer == huisnummer,
        Address.huisletter == letter.strip().upper(),
        Address.huisnummertoevoeging == addition.strip().upper(),
    ))


def get_address(session: Session, nummeraanduiding_id: str) -> Address | None:
    """The address with this id, or None."""
    return session.get(Address, nummeraanduiding_id)


def lookup_address(session: Session, postcode: str, huisnummer: str | int, letter: str = "",
                   addition: str = "") -> dict | NotFound:
    """What the register knows of one address, as a dict; NotFound says why not."""
    try:
        normalised = fields.postcode(postcode)
        number = fields.house_number(str(huisnummer).strip())
    except fields.FieldError as error:
        return NotFound(f"Not a valid address: {error}.")
    address = find_address(session, normalised, number, letter, addition)
    if address is None:
        options = addresses_at(session, normalised, number)
        if options and not letter and not addition:
            choices = ", ".join(house_number_label(a) for a in options)
            return NotFound(f"{normalised} {number} has more than one address ({choices}); "
                            "choose one with --letter and/or --addition.")
        wanted = f"{normalised} {number}{letter.upper()}"
        if addition:
            wanted += f"-{addition.upper()}"
        return NotFound(f"No address {wanted} in the register.")
    return address_info(session, address)


def address_info(session: Session, address: Address) -> dict:
    """The register's facts about an address, including its building and identical neighbours."""
    programme = address.programme
    return {
        "nummeraanduiding_id": address.nummeraanduiding_id,
        "verblijfsobject_id": address.verblijfsobject_id,
        "postcode": address.postcode,
        "huisnummer": address.huisnummer,
        "huisletter": address.huisletter or None,
        "huisnummertoevoeging": address.huisnummertoevoeging or None,
        "straat": address.straat,
        "woonplaats": address.woonplaats,
        "gemeente": address.municipality.name,
        "gemeentecode": address.gemeentecode,
        "in_effect_area": address.municipality.in_effect_area,
        "gebruiksdoel": address.gebruiksdoel,
        "bouwjaar": address.bouwjaar,
        "pand_id": address.pand_id,
        "addresses_in_building": count_building_addresses(session, address.pand_id),
        "risk_profile": programme.risk_profile if programme else None,
        "batch": programme.batch if programme else None,
        "inspected_on": programme.inspected_on.isoformat()
        if programme and programme.inspected_on else None,
        "advice": programme.advice if programme else None,
        "typology": programme.typology if programme else None,
        "identical_neighbours": identical_neighbours(session, address),
    }


def count_building_addresses(session: Session, pand_id: str) -> int:
    """How many addresses the building has."""
    return session.scalar(select(func.count()).where(Address.pand_id == pand_id))


def building_addresses(session: Session, pand_id: str) -> list[Address]:
    """Every address of the building, in the order of their numbers (see `address_order`)."""
    return sorted(session.scalars(select(Address).where(Address.pand_id == pand_id)),
                  key=address_order)


def identical_neighbours(session: Session, address: Address) -> list[dict]:
    """Other buildings of the same typology in the same street (domain rule 5)."""
    typology = address.programme.typology if address.programme else None
    if not typology:
        return []
    rows = session.execute(
        select(Address.pand_id, func.min(Address.huisnummer), func.count())
        .join(ProgrammeStatus)
        .where(
            Address.woonplaats == address.woonplaats,
            Address.straat == address.straat,
            ProgrammeStatus.typology == typology,
            Address.pand_id != address.pand_id,
        )
        .group_by(Address.pand_id)
        .order_by(func.min(Address.huisnummer), Address.pand_id)
    ).all()
    return [
        {"pand_id": pand_id, "address": f"{address.straat} {number}", "addresses": count}
        for pand_id, number, count in rows
    ]


def register_stats(session: Session) -> dict:
    """Counts of addresses in the register and in each part of the programme."""
    p = ProgrammeStatus
    inspected = p.inspected_on.is_not(None)
    return {
        "addresses": session.scalar(select(func.count()).select_from(Address)),
        "buildings": session.scalar(select(func.count()).select_from(Building)),
        "p50": session.scalar(select(func.count()).where(p.risk_profile == "P50")),
        "p90": session.scalar(select(func.count()).where(p.risk_profile == "P90")),
        "batches": {
            batch: count for batch, count in session.execute(
                select(p.batch, func.count()).where(p.batch.is_not(None))
                .group_by(p.batch).order_by(p.batch))
        },
        "inspected": session.scalar(select(func.count()).where(inspected)),
        "inspected_outside_risk": session.scalar(
            select(func.count()).where(inspected, p.risk_profile.is_(None))),
    }


def served_address(session: Session, postcode: str, huisnummer: int,
                   served: Collection[str] | None) -> bool:
    """False when postcode and number lie outside the area served, as far as we can tell.

    An address in the register is served when its municipality is (every register
    address shares the house number's municipality); one that is not in the register
    is served when its postcode lies in the province, and an officer checks it by hand.
    """
    options = addresses_at(session, postcode, huisnummer)
    if options:
        return served is None or any(a.gemeentecode in served for a in options)
    return in_province(postcode) and (served is None or _postcode_served(postcode, served))


def _postcode_served(postcode: str, served: Collection[str]) -> bool:
    municipality = municipality_of_postcode(postcode)
    return municipality is None or municipality in served


def served_municipality_names(session: Session, served: Collection[str] | None) -> list[str]:
    """The names of the municipalities served, alphabetically; empty: the whole province."""
    if served is None or province_municipalities() <= set(served):
        return []
    return sorted(session.scalars(select(Municipality.name)
                                  .where(Municipality.code.in_(sorted(served)))))
