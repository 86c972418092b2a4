"""Credit codes (GB 32100-2015), phone numbers, masking, encrypted fields."""

import pytest
from django.core.exceptions import ValidationError

from jiequ.core import crypto
from jiequ.core.validators import (
    credit_code_valid,
    mask_phone,
    normalise_phone,
    validate_credit_code,
)


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "91110000600037341L", "９１３５０１００m０００１００y４３"]
)
def test_valid_credit_codes(code):
    assert credit_code_valid(code)
    validate_credit_code(code)


@pytest.mark.parametrize(
    "code, message",
    [
        ("91350100M000100Y44", "校验位"),
        ("91350100M000100Y4", "18"),
        ("91350100M00010OY43", "O"),
    ],
)
def test_wrong_credit_codes_say_why(code, message):
    assert not credit_code_valid(code)
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert message in exc.value.messages[0]


def test_every_single_character_typo_is_caught():
    code = "91350100M000100Y43"
    for i in range(17):
        for c in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if c != code[i]:
                typo = code[:i] + c + code[i + 1 :]
                assert not credit_code_valid(typo), typo


def test_phone_numbers():
    assert normalise_phone("138 1234 5678") == "+8613812345678"
    assert normalise_phone("+86 138-1234-5678") == "+8613812345678"
    assert mask_phone("+8613812345678") == "138****5678"
    for bad in ["14012345678", "1381234567", "abc"]:
        with pytest.raises(ValidationError):
            normalise_phone(bad)


def test_encrypted_field_round_trip_and_lookup_hash(settings, tmp_path):
    token = crypto.encrypt("+8613812345678")
    assert "13812345678" not in token
    assert crypto.decrypt(token) == "+8613812345678"
    assert crypto.lookup_hash("+8613812345678") == crypto.lookup_hash("+8613812345678")
    assert crypto.lookup_hash("+8613812345678") != crypto.lookup_hash("+8613812345679")
    assert crypto.decrypt("not-a-token") == ""
