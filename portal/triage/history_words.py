"""A request's history in the staff's words: one sentence per event, never a code.

The history (`RequestEvent.reason`) is an audit record and stays as it was written: a
machine form such as "submitted (web)", "rules 2026.1: inspection (not_known)",
"accept_inspection: rules_apply – text" or "planned in the week of 2026-12-07", and some
code reads those forms back. `describe_event` recognises each form written in the code
(the patterns below, next to the writer they read) and says it in the current language,
with days as people write them; free text an officer typed comes back as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from portal.capacity.results import RESULT_PREFIX
from portal.requests.models import RequestEvent
from portal.requests.states import LABELS, Status
from portal.triage.decisions import KINDS, REASON_CODES
from portal.triage.rules import REASONS, ROUTE_LABELS

_DAY = r"\d{4}-\d{2}-\d{2}"
_NOTE = r"(?: – (?P<note>.*))?"


def day_words(value: str) -> str:
    """An ISO day (2026-12-07) as people write it (7 december 2026); other text as is."""
    try:
        return format_date(date.fromisoformat(value), "long")
    except (TypeError, ValueError):
        return value


def triage_reason_words(code: str | None, detail: str | None) -> str:
    """Why the rules suggested a route, as the sentence of `rules.REASONS`, days in words."""
    if not code:
        return ""
    if code not in REASONS:
        return code
    shown = day_words(detail) if detail and re.fullmatch(_DAY, detail) else (detail or "")
    return str(REASONS[code]).replace("%(detail)s", shown)


def _status(value: str | None) -> str:
    try:
        return str(LABELS[Status(value)])
    except ValueError:
        return value or ""


def _with_note(text: str, note: str | None) -> str:
    return f"{text} – {note}" if note else text


def _week(match: re.Match) -> str:
    """"the week of 2026-12-07 (capacity of municipality 0014)" in words."""
    if match.group("lent"):
        return _("the week of %(day)s (capacity of municipality %(code)s)",
                 day=day_words(match.group("day")), code=match.group("lent"))
    return _("the week of %(day)s", day=day_words(match.group("day")))


_WEEK = rf"the week of (?P<day>{_DAY})(?: \(capacity of municipality (?P<lent>[^)]+)\))?"


def _submitted(m: re.Match) -> str:
    channel = m.group("channel")
    if channel == "web":
        return _("Request sent in through the website")
    if channel == "phone":
        return _("Request taken by phone at the desk")
    return _("Request sent in (%(channel)s)", channel=channel)


def _rules(m: re.Match) -> str:
    route = m.group("route")
    route_words = str(ROUTE_LABELS.get(route, route))
    return _("Checked against the rules (version %(version)s): %(route)s. %(reason)s",
             version=m.group("version"), route=route_words,
             reason=triage_reason_words(m.group("reason"), m.group("detail")))


def _decision(m: re.Match) -> str:
    kind = KINDS[m.group("decision")]
    reason = REASON_CODES[m.group("code")]
    return _with_note(_("Decision: %(decision)s. Reason: %(reason)s",
                        decision=str(kind.label), reason=str(reason)), m.group("note"))


def _result(m: re.Match) -> str:
    pairs = (part.strip().partition("=") for part in m.group("rest").split(";"))
    found = {key: value for key, _eq, value in pairs if key}
    words = [_("Result from the inspection organisation")]
    if found.get("opname_datum"):
        words.append(_("inspected on %(day)s", day=day_words(found["opname_datum"])))
    outcome = {"voldoet": _("meets the building standard"),
               "voldoet_niet": _("does not meet the building standard")}
    if found.get("beoordeling"):
        words.append(str(outcome.get(found["beoordeling"], found["beoordeling"])))
    advice = {"versterken": _("advice: reinforce"),
              "geen_versterking": _("advice: no reinforcement")}
    if found.get("advies"):
        words.append(str(advice.get(found["advies"], found["advies"])))
    return ", ".join(words)


def _moved(m: re.Match) -> str:
    why = (_("the earlier week is needed for risk work")
           if m.group("why").startswith("the earlier") else _("a place came free earlier"))
    return _("Planned week moved from %(old)s to %(new)s: %(why)s",
             old=day_words(m.group("old")), new=_week(m), why=why)


# Each machine form written in the code, with the writer it comes from, and its words.
_FORMS: tuple[tuple[re.Pattern, Callable[[re.Match], str]], ...] = tuple(
    (re.compile(pattern, re.DOTALL), words) for pattern, words in (
        # intake.submit
        (r"submitted \((?P<channel>[^)]*)\)", _submitted),
        (r"acute danger reported: call back within 24 hours",
         lambda m: _("Acute danger reported: call back within 24 hours")),
        # triage.apply
        (r"rules (?P<version>\S+): (?P<route>\w+) \((?P<reason>\w+)(?:: (?P<detail>.*))?\)",
         _rules),
        (r"the request it followed was withdrawn",
         lambda m: _("The request it followed was withdrawn")),
        (r"no longer in the programme after register import (?P<id>\d+): (?P<why>.*)",
         lambda m: _("No longer in the programme after register import %(id)s: %(why)s",
                     id=m.group("id"), why=m.group("why"))),
        # triage.decisions
        (rf"(?P<decision>{'|'.join(KINDS)}): (?P<code>{'|'.join(REASON_CODES)}){_NOTE}",
         _decision),
        # triage.callback
        (rf"called back: reached, acute danger confirmed{_NOTE}",
         lambda m: _with_note(_("Called back: reached, acute danger confirmed"),
                              m.group("note"))),
        (rf"called back: reached, no acute danger{_NOTE}",
         lambda m: _with_note(_("Called back: reached, no acute danger"), m.group("note"))),
        (rf"called back: not reached \(attempt (?P<n>\d+) of (?P<max>\d+)\){_NOTE}",
         lambda m: _with_note(_("Called back: not reached (attempt %(n)s of %(max)s)",
                                n=m.group("n"), max=m.group("max")), m.group("note"))),
        (rf"referred to the emergency procedure{_NOTE}",
         lambda m: _with_note(_("Referred to the emergency procedure"), m.group("note"))),
        (rf"no acute danger: handled as an ordinary request{_NOTE}",
         lambda m: _with_note(_("No acute danger: handled as an ordinary request"),
                              m.group("note"))),
        (rf"not reached after (?P<n>\d+) attempts: letter by post{_NOTE}",
         lambda m: _with_note(_("Not reached after %(n)s attempts: letter by post",
                                n=m.group("n")), m.group("note"))),
        # triage.letters
        (r"letter not posted: the address is not known",
         lambda m: _("Letter not posted: the address is not known")),
        # requests.answers
        (r"information sent by the resident",
         lambda m: _("The resident sent the information asked for")),
        # intake.status and intake.desk_views
        (r"withdrawn by the resident", lambda m: _("Withdrawn by the resident")),
        (r"withdrawn via email link",
         lambda m: _("Withdrawn by the resident with the link in the email")),
        (r"withdrawn by phone: (?P<why>.*)",
         lambda m: _("Withdrawn at the caller's request: %(why)s", why=m.group("why"))),
        (r"contact details corrected by phone: (?P<why>.*)",
         lambda m: _("Contact details corrected by phone: %(why)s", why=m.group("why"))),
        (r"contact details corrected", lambda m: _("Contact details corrected")),
        # capacity.planning and capacity.plan_pass
        (rf"planned in {_WEEK}", lambda m: _("Planned in %(week)s", week=_week(m))),
        (rf"no free week left: the week of (?P<day>{_DAY}) is needed for risk work",
         lambda m: _("No free week left: the week of %(day)s is needed for risk work",
                     day=day_words(m.group("day")))),
        (rf"planned week moved from (?P<old>{_DAY}) to {_WEEK}: "
         r"(?P<why>the earlier week is needed for risk work|a place came free earlier)",
         _moved),
        # capacity.clusters
        (r"in cluster (?P<id>\d+)",
         lambda m: _("Added to cluster %(id)s", id=m.group("id"))),
        # capacity.results
        (re.escape(RESULT_PREFIX) + r"(?P<rest>.*)", _result),
    ))


def describe_reason(reason: str | None) -> str:
    """A stored reason in the current language; text nobody coded comes back as it is."""
    text = (reason or "").strip()
    for pattern, words in _FORMS:
        found = pattern.fullmatch(text)
        if found is not None:
            return words(found)
    return text


# Who acted, for the actors that are not a person with a name (`portal.actors`).
_ACTORS = {
    ("resident", "resident"): lambda: _("the resident"),
    ("system", "system"): lambda: _("the portal"),
    ("system", "command line"): lambda: _("the portal (command line)"),
    ("system", "demo setup"): lambda: _("the portal (demo data)"),
}


def actor_words(event: RequestEvent) -> str:
    """Who made the change: a staff member's name as stored, the resident or the portal."""
    words = _ACTORS.get((event.actor_kind, event.actor_label))
    return words() if words else event.actor_label


def describe_event(event: RequestEvent) -> str:
    """One history row as a sentence for staff: the new status (when it changed), then why."""
    why = describe_reason(event.reason)
    if event.from_status != event.to_status:
        status = _status(event.to_status)
        if event.from_status is None:
            return _("Started as: %(status)s. %(why)s", status=status, why=why) if why \
                else _("Started as: %(status)s", status=status)
        return _("New status: %(status)s. %(why)s", status=status, why=why) if why \
            else _("New status: %(status)s", status=status)
    return why
