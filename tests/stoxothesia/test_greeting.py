"""The start page greets without a name: Greek would need the vocative ("Καλώς ήρθατε, Μαρία"
reads, "Καλώς ήρθατε, Γεώργιος" does not)."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
def test_start_page_greets_without_a_name_in_the_nominative(client_for):
    person = UserFactory(first_name="Γεώργιος")
    page = client_for(person).get(reverse("home")).content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL).group(1).strip()
    assert heading == "Καλώς ήρθατε"
