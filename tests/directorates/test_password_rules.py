"""Password rules as OWASP ASVS level 2 asks (V2.1): length over composition."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return error.messages
    return []


def test_a_password_needs_at_least_twelve_characters():
    assert refusals("kalimera-11") != []
    assert refusals("kalimera-12c") == []


@pytest.mark.parametrize(
    "password",
    [
        "all lower case words in a row",  # no capitals, digits or symbols required
        "ΚΑΛΗΜΕΡΑ ΗΡΑΚΛΕΙΟ",  # any Unicode letters
        "πράσινο 🌿 φύλλο ελιάς",  # emoji and accents
        "472918365027",  # digits only are fine when long and uncommon (ASVS V2.1.9)
        "x" * 3 + " long passphrase " * 8,  # well over 64 characters
    ],
)
def test_no_composition_rules_and_long_passphrases_are_allowed(password):
    assert refusals(password) == []


def test_passwords_of_64_and_128_characters_are_kept_whole(staff):
    password = "ελιά-" * 25 + "abc"  # 128 characters
    staff.set_password(password)

    assert len(password) == 128
    assert staff.check_password(password)
    assert not staff.check_password(password[:64])  # no truncation


@pytest.mark.parametrize("password", ["123456789qwerty", "1q2w3e4r5t6y", "123qweasdzxc"])
def test_common_passwords_are_refused(password):
    assert refusals(password) != []


def test_a_password_close_to_the_persons_name_is_refused(staff):
    staff.username = "eleni.papadaki"
    staff.email = "eleni.papadaki@heraklion.gr"

    assert refusals("eleni.papadaki", user=staff) != []


def test_the_password_change_form_applies_the_rules(client_for, staff):
    staff.set_password("correct-horse-battery")
    staff.save()

    response = client_for(staff).post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "short-one",
            "new_password2": "short-one",
        },
    )

    assert response.status_code == 200
    assert "τουλάχιστον 12 χαρακτήρες" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password("correct-horse-battery")
