"""Who may open which staff page: one rule per endpoint, enforced on the server, fail closed.

Every view under /medewerkers carries a rule, given with a decorator below its route:

    @bp.get("/wachtrij")
    @roles_required(OFFICER)          # officers, and coordinators (see roles.GRANTS)
    def queue(): ...

    @bp.route("/inloggen", methods=["GET", "POST"])
    @public                           # reachable without a login: the login steps only
    def login(): ...

`access_rules(app)` collects them into the table `endpoint → roles` (or PUBLIC). The rule
sits on the view function rather than in a dict filled by the decorator, because the
decorator runs before Flask names the endpoint. A hook on every request then

- ends a session that timed out (idle 30 minutes, absolute 12 hours) or was ended,
- answers 403 for any endpoint under /medewerkers without a rule, so a forgotten
  decorator closes a page instead of opening it,
- sends an anonymous visitor of a staff page to the login, and answers 403 to a staff
  member whose role does not hold the page's rights.

Being halfway through login (password done, code not yet) counts as anonymous: nobody
reaches a staff page without both factors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.accounts import sessions
from portal.accounts.auth import staff_actor_of
from portal.accounts.models import StaffUser
from portal.accounts.roles import ROLES, may, roles_with
from portal.actors import Actor

STAFF_PREFIX = "/medewerkers"
PUBLIC = "public"
_RULE = "access_rule"

EXPIRED_MESSAGES = {
    "idle": _l("You were logged out after 30 minutes without activity. Log in again."),
    "absolute": _l("You were logged out because you logged in 12 hours ago. Log in again."),
    "ended": _l("Your session was ended. Log in again."),
}


def roles_required(*roles: str) -> Callable:
    """Allow a view to staff whose role holds the rights of one of roles; enforce it here too.

    The check also runs in the view itself, so the rule holds even for a view outside
    /medewerkers or one called by other means than the request hook expects.
    """
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"roles_required needs roles from {ROLES}, not {sorted(unknown)}")
    required = frozenset(roles)

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            refusal = _refusal(required)
            if refusal is not None:
                return refusal
            return view(*args, **kwargs)

        setattr(guarded, _RULE, required)
        return guarded

    return decorate


def public(view: Callable) -> Callable:
    """Mark a view under /medewerkers as reachable without a login (the login steps)."""
    setattr(view, _RULE, PUBLIC)
    return view


def rule_of(view: Callable | None) -> frozenset[str] | str | None:
    """The rule on a view function: its roles, PUBLIC, or None when it has none."""
    return getattr(view, _RULE, None)


def access_rules(app) -> dict[str, frozenset[str] | str]:
    """The table endpoint → roles (or PUBLIC) of every view that carries a rule."""
    rules = {}
    for endpoint, view in app.view_functions.items():
        rule = rule_of(view)
        if rule is not None:
            rules[endpoint] = rule
    return rules


def allowed_roles(rule: frozenset[str] | str) -> frozenset[str]:
    """Every role that may use a page with this rule (every role for a public page)."""
    return frozenset(ROLES) if rule == PUBLIC else roles_with(rule)


def is_staff_url(rule: str) -> bool:
    """True for a URL rule under /medewerkers (not for /medewerkersfoo)."""
    return rule == STAFF_PREFIX or rule.startswith(STAFF_PREFIX + "/")


def staff_endpoints(app) -> list[str]:
    """Every endpoint with a URL under /medewerkers."""
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()
                   if is_staff_url(rule.rule)})


def current_staff() -> StaffUser | None:
    """The logged-in staff user of this request (both factors passed), or None."""
    if current_user and current_user.is_authenticated:
        user = current_user._get_current_object()
        if isinstance(user, StaffUser):
            return user
    return None


def staff_actor() -> Actor:
    """The logged-in staff user as the audit trail's actor; only for views with a rule."""
    user = current_staff()
    if user is None:
        raise RuntimeError("staff_actor() needs a logged-in staff user")
    return staff_actor_of(user)


def _refusal(required: frozenset[str]):
    """The response refusing this request, or None when the current user may proceed."""
    user = current_staff()
    if user is None:
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("accounts.login", next=safe_next(target)))
    if not may(user.role, required):
        abort(403)
    return None


def safe_next(target: str | None) -> str | None:
    """A place to return to after login: only a path under /medewerkers on this site."""
    if not target:
        return None
    target = target.rstrip("?")
    if target.startswith(STAFF_PREFIX + "/") and not target.startswith("//") \
            and "\\" not in target and "//" not in target:
        return target
    return None


def _guard():
    """Before every request: end expired sessions, then apply the endpoint's rule."""
    if request.endpoint == "static":
        return None  # stylesheets neither count as activity nor need a rule
    if sessions.has_login():
        now = sessions.clock()
        reason = sessions.expiry(now)
        if reason is None:
            sessions.touch(now)
        else:
            sessions.end_session()
            flash(EXPIRED_MESSAGES[reason], "warning")
    if request.url_rule is None:
        return None  # 404 and 405 answer as they are
    view = current_app.view_functions.get(request.endpoint)
    rule = rule_of(view)
    if rule is None:
        if is_staff_url(request.url_rule.rule):
            abort(403)
        return None
    if rule == PUBLIC:
        return None
    return _refusal(rule)


def _no_store(response):
    """Staff pages hold personal data: no browser or proxy may keep a copy."""
    if request.path.startswith(STAFF_PREFIX):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app) -> None:
    """Check sessions and access rules before every request; forbid caching staff pages."""
    app.before_request(_guard)
    app.after_request(_no_store)
