"""Coupon codes: random, signed, recognised as forged without the database."""

import pytest

from jiequ.offers import codes


def test_new_codes_are_signed_unique_and_readable():
    made = {codes.new_code() for _ in range(500)}
    assert len(made) == 500
    for code in made:
        assert len(code) == 16 and codes.signature_valid(code)
        assert not set(code) & set("ILOU")  # nothing to misread at a counter


def test_a_changed_character_breaks_the_signature():
    code = codes.new_code()
    for i in range(len(code)):
        other = "0" if code[i] != "0" else "1"
        assert not codes.signature_valid(code[:i] + other + code[i + 1 :])


def test_made_up_codes_and_wrong_shapes_are_refused():
    assert not codes.signature_valid("ABCDEFGHJKMNPQRS")
    assert not codes.signature_valid("")
    assert not codes.signature_valid("ABC")
    assert not codes.signature_valid("!" * 16)


def test_what_people_type_is_normalised():
    code = codes.new_code()
    shown = codes.display(code)
    assert shown.count("-") == 3
    assert codes.normalise(shown.lower()) == code
    assert codes.normalise(f"  {shown.replace('-', ' ')} ") == code
    assert codes.normalise(f"https://jiequ.example/p/o/r/{shown}/") == code
    # Crockford's rules: O is read as 0, I and L as 1.
    assert codes.normalise("o0il") == "0011"


def test_the_key_comes_from_secret_key_and_old_keys_still_verify(settings):
    code = codes.new_code()
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 30
    assert not codes.signature_valid(code)
    settings.SECRET_KEY_FALLBACKS = [old]
    assert codes.signature_valid(code)


@pytest.mark.django_db
def test_a_forged_code_is_refused_without_a_query(django_assert_num_queries):
    from jiequ.offers.redemption import Reason, Refused, check_code

    with django_assert_num_queries(0), pytest.raises(Refused) as refused:
        check_code("K7QM-2D9X-R4TB-3TXA")
    assert refused.value.reason == Reason.FORGED
    assert "伪造" in refused.value.message
