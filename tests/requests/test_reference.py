"""References: readable format, random, forgiving input, and every typo or swap caught."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.requests.reference import (
    ALPHABET,
    check_symbol,
    format_reference,
    is_valid,
    new_reference,
    normalise_reference,
)

FORMAT = re.compile(r"^OV-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
EXAMPLE = "OV-7K3Q-92XM-4HJA"
EXAMPLE_SYMBOLS = "7K3Q92XM4HJA"

data_symbols = st.text(alphabet=ALPHABET, min_size=11, max_size=11)


def _gf32_times_x(value: int) -> int:
    """Multiply by x modulo x^5 + x^2 + 1, written apart from the module on purpose."""
    value <<= 1
    return value ^ 0b100101 if value & 0b100000 else value


def _weighted_sum(symbols: str) -> int:
    """Σ α^i · v_i, computed independently of the module under test (Horner, reversed)."""
    total = 0
    for symbol in reversed(symbols):
        total = _gf32_times_x(total) ^ ALPHABET.index(symbol)
    return total


def _substitutions(symbols: str):
    """Every string that differs from symbols in exactly one position."""
    for position, original in enumerate(symbols):
        for replacement in ALPHABET:
            if replacement != original:
                yield symbols[:position] + replacement + symbols[position + 1:]


def _neighbour_swaps(symbols: str):
    """Every string made by swapping two distinct neighbouring symbols."""
    for position in range(len(symbols) - 1):
        left, right = symbols[position], symbols[position + 1]
        if left != right:
            yield symbols[:position] + right + left + symbols[position + 2:]


def test_new_reference_has_the_readable_format():
    for _ in range(200):
        reference = new_reference()

        assert FORMAT.match(reference), reference
        assert is_valid(reference)


def test_new_references_are_unique_and_use_every_symbol_in_every_position():
    references = [new_reference() for _ in range(10_000)]
    data = [normalise_reference(reference)[:11] for reference in references]

    assert len(set(references)) == len(references)
    for position in range(11):
        assert set(symbols[position] for symbols in data) == set(ALPHABET)


def test_valid_reference_satisfies_the_weighted_check_over_gf32():
    for _ in range(200):
        symbols = normalise_reference(new_reference())

        assert _weighted_sum(symbols) == 0


def test_example_reference_is_valid():
    assert normalise_reference(EXAMPLE) == EXAMPLE_SYMBOLS
    assert format_reference(EXAMPLE_SYMBOLS) == EXAMPLE


@pytest.mark.parametrize("typed", [
    "OV-7K3Q-92XM-4HJA",
    "ov-7k3q-92xm-4hja",
    "ov7k3q92xm4hja",
    "7K3Q92XM4HJA",
    "7k3q-92xm-4hja",
    " OV 7K3Q 92XM 4HJA ",
    "OV - 7K3Q - 92XM - 4HJA",
    "0V-7K3Q-92XM-4HJA",
    "OV–7K3Q–92XM–4HJA",
])
def test_normalise_accepts_common_ways_of_typing_a_reference(typed):
    assert normalise_reference(typed) == EXAMPLE_SYMBOLS


@pytest.mark.parametrize("typed", ["OV-1OK3-Q9IX-M4HM", "ov-l0k3-q9lx-m4hm", "lOK3Q9iXM4HM"])
def test_normalise_maps_look_alikes_to_digits(typed):
    assert normalise_reference(typed) == "10K3Q91XM4HM"


def test_reference_starting_with_0v_is_not_taken_for_a_prefix():
    assert normalise_reference("0V7K3Q92XM4Q") == "0V7K3Q92XM4Q"
    assert normalise_reference("OV-0V7K-3Q92-XM4Q") == "0V7K3Q92XM4Q"
    assert normalise_reference("ov0v7k3q92xm4q") == "0V7K3Q92XM4Q"


@pytest.mark.parametrize("typed", [
    "", "OV", "OV-7K3Q-92XM-4HJ", "OV-7K3Q-92XM-4HJAA", "OV-7K3Q-92XM-4HJU",
    "XX-7K3Q-92XM-4HJA", "OV-7K3Q-92XM-4HJB", "OV-7K3Q-92XM-4HJA-0000",
])
def test_normalise_refuses_wrong_length_symbols_or_check(typed):
    assert normalise_reference(typed) is None
    assert is_valid(typed) is False


def test_every_single_substitution_is_rejected_exhaustively():
    for _ in range(300):
        symbols = normalise_reference(new_reference())

        accepted = [typo for typo in _substitutions(symbols) if is_valid(typo)]

        assert accepted == []


def test_every_neighbour_swap_is_rejected_exhaustively():
    for _ in range(300):
        symbols = normalise_reference(new_reference())

        accepted = [swap for swap in _neighbour_swaps(symbols) if is_valid(swap)]

        assert accepted == []


def test_swap_of_check_symbol_with_its_neighbour_is_rejected():
    rng = random.Random(5)
    for _ in range(500):
        data = "".join(rng.choice(ALPHABET) for _ in range(11))
        check = check_symbol(data)
        if data[-1] == check:
            continue

        assert is_valid(data[:-1] + check + data[-1]) is False


@given(data=data_symbols, position=st.integers(0, 11), shift=st.integers(1, 31),
       neighbour=st.integers(0, 10))
def test_check_catches_any_typo_or_swap_property(data, position, shift, neighbour):
    symbols = data + check_symbol(data)
    typo_symbol = ALPHABET[(ALPHABET.index(symbols[position]) + shift) % 32]
    typo = symbols[:position] + typo_symbol + symbols[position + 1:]
    swap = symbols[:neighbour] + symbols[neighbour + 1] + symbols[neighbour] + symbols[
        neighbour + 2:]

    assert normalise_reference(format_reference(symbols)) == symbols
    assert _weighted_sum(symbols) == 0
    assert is_valid(typo) is False
    assert is_valid(swap) is (symbols[neighbour] == symbols[neighbour + 1])


@given(data=data_symbols, lower=st.lists(st.booleans(), min_size=17, max_size=17),
       separator=st.sampled_from(["", "-", " ", " - "]))
def test_any_spelling_of_a_reference_normalises_to_its_symbols(data, lower, separator):
    symbols = data + check_symbol(data)
    groups = ["OV", symbols[:4], symbols[4:8], symbols[8:]]
    typed = "".join(
        char.lower() if low else char
        for char, low in zip(separator.join(groups), lower + [False] * 40, strict=False)
    )

    assert normalise_reference(typed) == symbols
