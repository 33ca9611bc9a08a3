"""A resident's reference number: random, short to read aloud, with a check symbol.

A reference is 11 random Crockford base32 symbols (55 bits) and one check symbol,
shown as ``OV-7K3Q-92XM-4HJC``. The check is a weighted sum over GF(32): with α a
primitive element of GF(2^5) (polynomial x^5 + x^2 + 1), a valid reference v_0..v_11
satisfies Σ α^i · v_i = 0. A single wrong symbol changes the sum by α^i · e ≠ 0; a swap
of neighbours a, b changes it by (α^i + α^(i+1)) · (a xor b) ≠ 0, because α ≠ 1. So
every single typo and every neighbour swap, the check symbol included, is caught.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "OV"
DATA_SYMBOLS = 11
SYMBOLS = DATA_SYMBOLS + 1
GROUP = 4

_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
# Crockford's look-alikes: a caller reading "O" or "I" off a letter means 0 or 1.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—.]+")

_PRIMITIVE_POLYNOMIAL = 0b100101  # x^5 + x^2 + 1
_ORDER = 31  # the multiplicative group of GF(32)


def _build_tables() -> tuple[list[int], list[int]]:
    """Return the exp and log tables of GF(32) for α = x."""
    exp = [0] * (2 * _ORDER)
    log = [0] * 32
    value = 1
    for power in range(_ORDER):
        exp[power] = value
        log[value] = power
        value <<= 1
        if value & 0b100000:
            value ^= _PRIMITIVE_POLYNOMIAL
    # Doubling the table spares a modulo in every multiplication.
    for power in range(_ORDER, 2 * _ORDER):
        exp[power] = exp[power - _ORDER]
    return exp, log


_EXP, _LOG = _build_tables()


def _times_alpha_power(value: int, power: int) -> int:
    """Multiply a field element by α^power in GF(32)."""
    if value == 0:
        return 0
    return _EXP[_LOG[value] + power % _ORDER]


def _weighted_sum(values: list[int]) -> int:
    """Return Σ α^i · v_i over GF(32); addition in GF(2^5) is xor."""
    total = 0
    for position, value in enumerate(values):
        total ^= _times_alpha_power(value, position)
    return total


def check_symbol(data: str) -> str:
    """Return the check symbol that makes the 11 data symbols a valid reference."""
    if len(data) != DATA_SYMBOLS or any(symbol not in _VALUE for symbol in data):
        raise ValueError(f"expected {DATA_SYMBOLS} Crockford base32 symbols")
    partial = _weighted_sum([_VALUE[symbol] for symbol in data])
    # Σ_{i<11} α^i v_i + α^11 c = 0  ⇒  c = α^(-11) · Σ_{i<11} α^i v_i (minus is plus here).
    return ALPHABET[_times_alpha_power(partial, _ORDER - DATA_SYMBOLS)]


def _has_valid_check(symbols: str) -> bool:
    """True when the 12 canonical symbols satisfy the weighted check."""
    return _weighted_sum([_VALUE[symbol] for symbol in symbols]) == 0


def new_reference() -> str:
    """Draw a new random reference and return it formatted, e.g. ``OV-7K3Q-92XM-4HJC``."""
    number = secrets.randbits(5 * DATA_SYMBOLS)
    data = "".join(
        ALPHABET[(number >> (5 * shift)) & 0b11111] for shift in reversed(range(DATA_SYMBOLS))
    )
    return format_reference(data + check_symbol(data))


def format_reference(symbols: str) -> str:
    """Show 12 canonical symbols as ``OV-XXXX-XXXX-XXXX`` for reading aloud."""
    if len(symbols) != SYMBOLS:
        raise ValueError(f"expected {SYMBOLS} symbols, got {len(symbols)}")
    groups = [symbols[start:start + GROUP] for start in range(0, SYMBOLS, GROUP)]
    return "-".join([PREFIX, *groups])


def normalise_reference(text: str) -> str | None:
    """Return the 12 canonical symbols of a reference as typed, or None when it is not valid.

    Accepts any case, spaces and dashes, with or without the ``OV`` prefix. The prefix is
    recognised by length, before look-alikes are mapped, so a reference that itself starts
    with ``0V`` is never mistaken for one with a prefix.
    """
    if not isinstance(text, str):
        return None
    compact = _SEPARATORS.sub("", text).upper()
    # People reading "OV" off a letter may type a zero for the O.
    if len(compact) == SYMBOLS + len(PREFIX) and compact[:2] in ("OV", "0V"):
        compact = compact[len(PREFIX):]
    if len(compact) != SYMBOLS:
        return None
    symbols = compact.translate(_LOOK_ALIKES)
    if any(symbol not in _VALUE for symbol in symbols):
        return None
    return symbols if _has_valid_check(symbols) else None


def is_valid(text: str) -> bool:
    """True when text is a reference with a correct check symbol, in any accepted spelling."""
    return normalise_reference(text) is not None
