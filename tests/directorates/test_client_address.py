"""The client's address behind the documented reverse proxy, for lockouts and the log."""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from directorates.audit import client_address

pytestmark = pytest.mark.django_db


def request_from(remote: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.PROXY_COUNT = 0

    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_client_is_the_address_it_appended(settings):
    settings.PROXY_COUNT = 1

    assert client_address(request_from("10.0.0.2", "198.51.100.23")) == "198.51.100.23"


def test_spoofed_entries_on_the_left_are_ignored(settings):
    settings.PROXY_COUNT = 1

    address = client_address(request_from("10.0.0.2", "1.2.3.4, 5.6.7.8, 198.51.100.23"))

    assert address == "198.51.100.23"


def test_behind_two_proxies_the_client_is_second_from_the_right(settings):
    settings.PROXY_COUNT = 2

    address = client_address(request_from("10.0.0.3", "6.6.6.6, 198.51.100.23, 10.0.0.2"))

    assert address == "198.51.100.23"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "198.51.100.23"])
def test_a_missing_short_or_garbled_header_falls_back_to_the_connection(settings, forwarded):
    settings.PROXY_COUNT = 2 if forwarded == "198.51.100.23" else 1

    assert client_address(request_from("10.0.0.2", forwarded)) == "10.0.0.2"


def test_failed_logins_behind_the_proxy_are_counted_and_logged_per_client(
    client, settings, staff, caplog
):
    settings.PROXY_COUNT = 1
    caplog.set_level(logging.INFO, logger="stoxothesia.security")

    client.post(
        reverse("login"),
        {"username": "staff", "password": "wrong-password"},
        REMOTE_ADDR="10.0.0.2",
        headers={"X-Forwarded-For": "6.6.6.6, 198.51.100.23"},
    )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.23"]
    logged = [r.getMessage() for r in caplog.records if r.name == "stoxothesia.security"]
    assert logged[-1].startswith("login.failed user='-' ip='198.51.100.23'")


def test_a_lockout_behind_the_proxy_holds_for_that_client_only(client, settings, staff):
    settings.PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 2
    staff.set_password("a-long-enough-password")
    staff.save()

    def login_from(address: str, password: str):
        return client.post(
            reverse("login"),
            {"username": "staff", "password": password},
            REMOTE_ADDR="10.0.0.2",
            headers={"X-Forwarded-For": address},
        )

    login_from("198.51.100.23", "wrong-password")
    login_from("198.51.100.23", "wrong-password")

    assert login_from("198.51.100.23", "a-long-enough-password").status_code == 429
    assert login_from("192.0.2.44", "a-long-enough-password").status_code == 302
