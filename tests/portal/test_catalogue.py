"""The DCAT-AP catalogue: the mandatory and recommended properties a harvester reads."""

import json

import pytest
from django.urls import reverse

from goals.services.cycles import publish_cycle
from tests.factories import GoalCycleFactory, GoalFactory, issued_adoption

pytestmark = pytest.mark.django_db

CATALOGUE = ["dct:title", "dct:description", "dct:publisher", "dcat:dataset", "dct:license"]
CATALOGUE_RECOMMENDED = ["foaf:homepage", "dct:language", "dct:issued", "dct:modified"]
DATASET = ["dct:title", "dct:description"]
DATASET_RECOMMENDED = [
    "dcat:contactPoint",
    "dcat:distribution",
    "dcat:keyword",
    "dct:publisher",
    "dct:temporal",
    "dcat:theme",
    "dct:language",
    "dct:issued",
    "dct:modified",
    "dcat:landingPage",
]
DISTRIBUTION = ["dcat:accessURL"]
DISTRIBUTION_RECOMMENDED = [
    "dct:description",
    "dct:format",
    "dcat:mediaType",
    "dct:license",
    "dcat:downloadURL",
    "dct:title",
]


def catalogue(client) -> dict:
    response = client.get(reverse("portal:catalogue"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(response.content)


def test_the_catalogue_has_a_dataset_per_published_cycle_with_what_dcat_ap_asks(
    published, client, settings
):
    settings.SITE_URL = "https://stoxothesia.example.gr"
    document = catalogue(client)

    assert document["@type"] == "dcat:Catalog"
    assert {"dcat", "dct", "foaf", "vcard"} <= document["@context"].keys()
    for name in CATALOGUE + CATALOGUE_RECOMMENDED:
        assert document[name], name
    (dataset,) = document["dcat:dataset"]
    assert dataset["@type"] == "dcat:Dataset"
    for name in DATASET + DATASET_RECOMMENDED:
        assert dataset[name], name
    assert {t["@language"] for t in dataset["dct:title"]} == {"el", "en"}
    assert dataset["dcat:contactPoint"]["vcard:hasEmail"]["@id"].startswith("mailto:")
    assert dataset["dct:publisher"]["foaf:name"][0]["@value"] == settings.MUNICIPALITY_NAME
    assert dataset["dcat:theme"][0]["@id"].endswith("/data-theme/GOVE")
    assert dataset["dct:temporal"]["dcat:startDate"]["@value"] == "2024-01-01"

    formats = []
    for distribution in dataset["dcat:distribution"]:
        assert distribution["@type"] == "dcat:Distribution"
        for name in DISTRIBUTION + DISTRIBUTION_RECOMMENDED:
            assert distribution[name], name
        url = distribution["dcat:downloadURL"]["@id"]
        assert url.startswith("https://stoxothesia.example.gr/public/data/")
        path = url.removeprefix("https://stoxothesia.example.gr")
        assert client.get(path).status_code == 200  # each address answers
        assert distribution["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        formats.append(distribution["dct:format"]["@id"].rsplit("/", 1)[1])
    assert sorted(formats) == ["CSV", "CSV", "JSON"]


def test_each_published_cycle_is_a_dataset_newest_first(published, secretary, mayor, client):
    cycle = GoalCycleFactory(year=2023)
    goal = GoalFactory(cycle=cycle, code="PROG-01", directorate=published.goal.directorate)
    issued_adoption(cycle=cycle, goals=[goal], mayor=mayor, ada="9ΖΤ1ΩΗΓ-Λ4Φ")
    publish_cycle(cycle=cycle, by=secretary)

    identifiers = [d["dct:identifier"] for d in catalogue(client)["dcat:dataset"]]

    assert identifiers == ["stoxothesia-2024", "stoxothesia-2023"]


def test_an_empty_catalogue_is_still_valid(db, client):
    document = catalogue(client)

    assert document["dcat:dataset"] == []
    for name in ("dct:title", "dct:description", "dct:publisher"):
        assert document[name]
