"""Staff roles and what each role may do, as one readable table."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

AGENT = "agent"
OFFICER = "officer"
COORDINATOR = "coordinator"
ROLES = (AGENT, OFFICER, COORDINATOR)

ROLE_LABELS = {
    AGENT: _l("Call-centre agent"),
    OFFICER: _l("Triage officer"),
    COORDINATOR: _l("Coordinator"),
}

# The rights each role holds. A coordinator plans capacity and imports, which needs the
# triage queue in view, so a coordinator also holds every officer right. No role holds the
# agent's rights besides the agent: a page that officers may use too names both roles.
GRANTS: dict[str, frozenset[str]] = {
    AGENT: frozenset({AGENT}),
    OFFICER: frozenset({OFFICER}),
    COORDINATOR: frozenset({COORDINATOR, OFFICER}),
}


def may(role: str, required: Iterable[str]) -> bool:
    """True when a user with role holds at least one of the required roles' rights."""
    return bool(GRANTS.get(role, frozenset()) & set(required))


def roles_with(required: Iterable[str]) -> frozenset[str]:
    """Every role that may use a page open to the required roles."""
    return frozenset(role for role in ROLES if may(role, required))
