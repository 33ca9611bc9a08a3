"""The P50/P90 addresses a local steering group adds to a cluster of their own place.

Such an address has no request: it joins the cluster as a ClusterAddress, with who added
it and why, and counts as one home towards the cluster's limit. An addition is all or
nothing, and locks the place's clusters as forming them does.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.capacity.clusters import _contents, _limit, _place, _place_clusters
from portal.capacity.models import Cluster, ClusterAddress
from portal.clock import utcnow
from portal.db import begin_write
from portal.refusals import Joined, Refused
from portal.register import fields
from portal.register.models import RISK_PROFILES, Address

REASON_LIMIT = 2000


class ClusterRefused(Refused):
    """Addresses cannot be added as asked; problems holds (address, reason) pairs, each
    reason a translated message (code `cluster.addresses_refused`)."""

    def __init__(self, problems: list[tuple[str, object]],
                 code: str = "cluster.addresses_refused") -> None:
        super().__init__(code, _l("These addresses cannot be added: %(problems)s",
                                  problems=Joined([_Problem(what, why)
                                                   for what, why in problems])),
                         problems=problems)


class _Problem:
    """One (address, reason) pair as text, the reason in the current language."""

    def __init__(self, what: str, why: object) -> None:
        self.what, self.why = what, why

    def __str__(self) -> str:
        return f"{self.what}: {self.why}" if self.what else str(self.why)


def add_risk_addresses(session: Session, cluster: Cluster, ids: list[str], *, actor: Actor,
                       reason: str, max_size: int | None = None) -> list[ClusterAddress]:
    """Add P50/P90 addresses of the cluster's own place, as a local steering group decided.

    All or nothing: raises ClusterRefused, naming every address and why, for an unknown
    address, one in another place, one not in P50 or P90, one already in a cluster, or
    when the cluster would hold more than max_size homes. Records who and why in the
    cluster and in the audit trail; the caller commits.
    """
    limit = _limit(max_size)
    why = (reason or "").strip()
    if not why:
        raise ClusterRefused([("", _l("Write why the steering group adds these addresses."))],
                             "cluster.needs_reason")
    if len(why) > REASON_LIMIT:
        raise ClusterRefused([("", _l("The reason is longer than %(limit)d characters.",
                                      limit=REASON_LIMIT))], "cluster.reason_too_long")
    begin_write(session)
    # Locks the place's clusters, so a parallel addition or forming cannot pass the limit.
    place_clusters = _place_clusters(session, cluster.gemeentecode, _place(cluster.woonplaats),
                                     cluster.kind)
    problems: list[tuple[str, object]] = []
    wanted: list[str] = []
    for raw in ids:
        try:
            address_id, _padded = fields.register_id(raw.strip(), "nummeraanduiding")
        except fields.FieldError:
            problems.append((raw, _l("not an address id")))
            continue
        if address_id not in wanted:
            wanted.append(address_id)
    if not wanted and not problems:
        raise ClusterRefused([("", _l("Give at least one address."))], "cluster.no_addresses")
    addresses = {a.nummeraanduiding_id: a for a in session.scalars(
        select(Address).where(Address.nummeraanduiding_id.in_(wanted)))}
    everywhere = _contents(session, [c.id for c in place_clusters])
    contents = everywhere[cluster.id]
    elsewhere = {key: c.id for c in place_clusters if c.id != cluster.id
                 for key in everywhere[c.id].keys}
    new: list[Address] = []
    for address_id in wanted:
        address = addresses.get(address_id)
        profile = address.programme.risk_profile if address and address.programme else None
        if address is None:
            problems.append((address_id, _l("not in the register")))
        elif (address.gemeentecode != cluster.gemeentecode
              or _place(address.woonplaats) != _place(cluster.woonplaats)):
            problems.append((address_id, _l("lies in %(place)s, not in %(cluster_place)s",
                                            place=address.woonplaats,
                                            cluster_place=cluster.woonplaats)))
        elif profile not in RISK_PROFILES:
            problems.append((address_id, _l("is not a P50 or P90 address")))
        elif address_id in contents.keys:
            problems.append((address_id, _l("is already in this cluster")))
        elif address_id in elsewhere:
            problems.append((address_id, _l("is already in cluster %(number)d",
                                            number=elsewhere[address_id])))
        else:
            new.append(address)
    if len(contents.keys) + len(new) > limit:
        problems.append(("", _l("The cluster would hold %(count)d homes; the limit is "
                                "%(limit)d.", count=len(contents.keys) + len(new),
                                limit=limit)))
    if problems:
        raise ClusterRefused(problems)
    now = utcnow()
    links = [ClusterAddress(cluster_id=cluster.id, nummeraanduiding_id=a.nummeraanduiding_id,
                            added_at=now, added_by=actor.label, reason=why) for a in new]
    session.add_all(links)
    session.flush()
    profiles = [a.programme.risk_profile for a in new]
    record(session, actor=actor, action="cluster.risk_addresses_added", subject_type="cluster",
           subject_id=cluster.id,
           details={"added": len(links), "P50": profiles.count("P50"),
                    "P90": profiles.count("P90"), "reason": why,
                    "cluster_address_ids": [link.id for link in links],
                    "homes": len(contents.keys) + len(links), "limit": limit})
    return links
