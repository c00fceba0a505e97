"""The DCAT-AP catalogue (JSON-LD) of the open data, for data.gov.gr and other harvesters.

One `dcat:Dataset` per published cycle, one `dcat:Distribution` per file (the goals as CSV,
the monthly values as CSV, everything as JSON), with DCAT-AP's mandatory and recommended
properties: titles and descriptions in Greek and English, publisher, contact point, licence,
language, theme, period, keywords, dates, access and download addresses, format and media
type. Addresses are absolute, from SITE_URL, so they stay the same whoever asks.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from goals.models import GoalCycle
from portal.opendata import LICENCE_URL
from portal.visibility import modified_on

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LANGUAGES = ("el", "en")


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _both(make) -> list[dict]:
    """A text in Greek and in English, as JSON-LD language-tagged values."""
    values = []
    for language in LANGUAGES:
        with translation.override(language):
            values.append({"@value": str(make()), "@language": language})
    return values


def _municipality() -> list[dict]:
    return [
        {"@value": settings.MUNICIPALITY_NAME, "@language": "el"},
        {"@value": settings.MUNICIPALITY_NAME_EN or settings.MUNICIPALITY_NAME, "@language": "en"},
    ]


def _date(value, kind: str = "dateTime") -> dict:
    return {"@value": value.isoformat(), "@type": f"xsd:{kind}"}


def publisher() -> dict:
    return {
        "@id": absolute(reverse("portal:index")) + "#publisher",
        "@type": "foaf:Agent",
        "foaf:name": _municipality(),
        "dct:type": {"@id": "http://purl.org/adms/publishertype/LocalAuthority"},
    }


def contact_point() -> dict:
    point = {
        "@type": "vcard:Organization",
        "vcard:fn": _municipality(),
        "vcard:hasEmail": {"@id": f"mailto:{settings.MUNICIPALITY_CONTACT_EMAIL}"},
    }
    if settings.MUNICIPALITY_WEBSITE:
        point["vcard:hasURL"] = {"@id": settings.MUNICIPALITY_WEBSITE}
    return point


def _distribution(dataset_id: str, cycle: GoalCycle, name: str, fmt: str, media: str, title):
    url = absolute(reverse(name, kwargs={"year": cycle.year}))
    return {
        "@id": f"{dataset_id}#{name.split(':')[1]}",
        "@type": "dcat:Distribution",
        "dct:title": _both(lambda: title(cycle.year)),
        "dct:description": _both(
            lambda: _("Field by field as the documentation of the open data describes it.")
        ),
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": f"{EU}file-type/{fmt}"},
        "dcat:mediaType": {"@id": f"{IANA}{media}"},
        "dct:license": {"@id": LICENCE_URL},
        "dct:conformsTo": {"@id": absolute(reverse("portal:fields"))},
        "dct:issued": _date(cycle.published_at),
        "dct:modified": _date(modified_on(cycle)),
        "dcat:availability": {"@id": "http://data.europa.eu/r5r/availability/stable"},
    }


def dataset(cycle: GoalCycle) -> dict:
    page = absolute(reverse("portal:cycle", kwargs={"year": cycle.year}))
    dataset_id = page + "#dataset"
    return {
        "@id": dataset_id,
        "@type": "dcat:Dataset",
        "dct:identifier": f"stoxothesia-{cycle.year}",
        "dct:title": _both(
            lambda: (
                _("Goals of the municipality's services for %(year)s and their progress")
                % {"year": cycle.year}
            )
        ),
        "dct:description": _both(
            lambda: (
                _(
                    "The goals of the municipality's directorates for %(year)s as the Mayor's "
                    "decision adopted them (Law 4940/2022): indicator, baseline, target, deadline "
                    "and weight of each goal, the values measured each month and how far each goal "
                    "is achieved."
                )
                % {"year": cycle.year}
            )
        ),
        "dcat:keyword": _both(lambda: _("goal setting"))
        + _both(lambda: _("performance"))
        + _both(lambda: _("municipality")),
        "dct:publisher": publisher(),
        "dcat:contactPoint": contact_point(),
        "dcat:theme": [{"@id": f"{EU}data-theme/GOVE"}],
        "dct:language": [{"@id": f"{EU}language/ELL"}, {"@id": f"{EU}language/ENG"}],
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{cycle.year}-01-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{cycle.year}-12-31", "@type": "xsd:date"},
        },
        "dct:accrualPeriodicity": {"@id": f"{EU}frequency/MONTHLY"},
        "dct:issued": _date(cycle.published_at),
        "dct:modified": _date(modified_on(cycle)),
        "dcat:landingPage": {"@id": page},
        "dct:accessRights": {"@id": f"{EU}access-right/PUBLIC"},
        "dcat:distribution": [
            _distribution(
                dataset_id,
                cycle,
                "portal:goals_csv",
                "CSV",
                "text/csv",
                lambda year: _("Goals %(year)s (CSV)") % {"year": year},
            ),
            _distribution(
                dataset_id,
                cycle,
                "portal:values_csv",
                "CSV",
                "text/csv",
                lambda year: _("Monthly values %(year)s (CSV)") % {"year": year},
            ),
            _distribution(
                dataset_id,
                cycle,
                "portal:cycle_json",
                "JSON",
                "application/json",
                lambda year: _("Goals, values and decisions %(year)s (JSON)") % {"year": year},
            ),
        ],
    }


def catalogue(cycles: list[GoalCycle]) -> dict:
    datasets = [dataset(cycle) for cycle in cycles]
    document = {
        "@context": CONTEXT,
        "@id": absolute(reverse("portal:catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": _both(lambda: _("Open data of the municipality's goal setting")),
        "dct:description": _both(
            lambda: _(
                "The goals the Mayor adopted for the municipality's services, year by year, and "
                "how far they are achieved, as open data under the CC BY 4.0 licence."
            )
        ),
        "dct:publisher": publisher(),
        "foaf:homepage": {"@id": absolute(reverse("portal:index"))},
        "dct:language": [{"@id": f"{EU}language/ELL"}, {"@id": f"{EU}language/ENG"}],
        "dct:license": {"@id": LICENCE_URL},
        "dcat:themeTaxonomy": {"@id": f"{EU}data-theme"},
        "dcat:dataset": datasets,
    }
    if cycles:
        document["dct:issued"] = _date(min(c.published_at for c in cycles))
        document["dct:modified"] = _date(max(modified_on(c) for c in cycles))
    return document
