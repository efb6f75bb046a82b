"""The GB 32100 check character, on real-format codes (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiandao.registries.codes import ALPHABET, WEIGHTS, check_character, code_problem, is_valid, normalise


def test_the_weights_are_powers_of_three_mod_31():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_the_worked_example_of_the_standard():
    # Σ = 538, 538 mod 31 = 11, 31 − 11 = 20, the 20th character (from 0) is L
    body = "91110000600037341"
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    assert total == 538
    assert check_character(body) == ALPHABET[(31 - total % 31) % 31] == "L"
    assert is_valid("91110000600037341L")


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341L",  # the standard's example
        "91340100" + "MA2N0000" + "0",  # built below with its check character
        "N2340100" + "MJ0000000",  # a 农业 (N) registration: python-stdnum wrongly rejects letters first
        "Y1340100" + "MA0000000",  # a 工会 (Y) registration
    ],
)
def test_valid_codes(code):
    if len(code) == 17:
        code += check_character(code)
    assert code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        ("91110000600037341M", "check", "第18位应为“L”"),  # one wrong check character
        ("91350100M0001TGQXM", "check", "校验位不符"),  # a 2015–2017 pilot code: legal, fails the check
        ("9111000060003734", "format", "应为18位，现为16位"),
        ("91110000600037341I", "format", "不允许的字符：I"),
        ("9111000060003734OL", "format", "不允许的字符：O"),
    ],
)
def test_invalid_codes_say_why_in_chinese(code, kind, words):
    problem = code_problem(code)
    assert problem is not None and problem.kind == kind and words in problem.message


def test_full_width_and_spaces_are_normalised():
    assert normalise(" ９１１１００００６０００３７３４１ｌ ") == "91110000600037341L"
    assert is_valid(" ９１１１００００６０００３７３４１ｌ ")


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.integers(0, 16), st.sampled_from(ALPHABET))
def test_changing_any_one_character_breaks_the_check(body, position, replacement):
    code = body + check_character(body)
    assert is_valid(code)
    changed = code[:position] + replacement + code[position + 1 :]
    assert is_valid(changed) == (replacement == code[position])
