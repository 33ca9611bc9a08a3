"""Refusals: a use case says no with a stable code and a message in the reader's language.

Code branches on `exc.code` (stable, never translated); people read `exc.message` (a
lazy Babel string, rendered in the current language when shown). Views never match the
text of an exception.
"""

from __future__ import annotations

from typing import Any


class Refused(ValueError):
    """A refusal with a stable code and a translated message.

    `message` is a `lazy_gettext` string, usually with named placeholders already filled
    (`_l("... %(status)s ...", status=...)`); `str(exc)` renders it in the current
    language (English outside a request). `params` keeps the values for callers that
    want them; `problems` lists several messages when one refusal names many things.
    """

    code: str = "refused"

    def __init__(self, code: str, message: Any, *, problems: list | None = None,
                 **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self._message = message
        self.params = params
        self.problems = problems if problems is not None else []

    @property
    def message(self) -> str:
        """The message rendered in the current language."""
        return str(self._message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r})"


class Joined:
    """Several messages as one placeholder value, rendered (lazily) in the current language.

    `_l("Refused: %(problems)s", problems=Joined(problems))` keeps each lazy message lazy
    until the refusal is shown.
    """

    def __init__(self, items: list, separator: str = "; ") -> None:
        self.items = items
        self.separator = separator

    def __str__(self) -> str:
        return self.separator.join(map(str, self.items))
