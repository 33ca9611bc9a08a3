"""The audit trail: an append-only record of who did what, when, to which request.

Call ``record(session, actor=..., action=..., subject_type=..., subject_id=...)`` inside the
transaction that does the thing; ``verify(session)`` checks the whole chain. The tables,
the action vocabulary and the rule against personal data in details are described in
portal.audit.models.
"""

from portal.audit.models import AUDIT_TABLES, GENESIS_HASH, AuditEntry
from portal.audit.trail import (
    CLIENT_KEY_INFO,
    AuditTrailError,
    VerifyResult,
    client_hash,
    client_key,
    empty_trail,
    purge_permit,
    record,
    verify,
)

__all__ = [
    "AUDIT_TABLES",
    "GENESIS_HASH",
    "AuditEntry",
    "AuditTrailError",
    "VerifyResult",
    "client_hash",
    "client_key",
    "CLIENT_KEY_INFO",
    "empty_trail",
    "purge_permit",
    "record",
    "verify",
]
