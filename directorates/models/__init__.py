"""The organisation: units, people, the municipality's details and acting heads."""

from directorates.models.acting import ActingHead, ActingHeadQuerySet
from directorates.models.municipality import (
    DAYS_TO_POST,
    HERAKLION_CONSIDERATIONS,
    HERAKLION_DISTRIBUTION,
    Municipality,
)
from directorates.models.units import (
    BilingualNameMixin,
    Department,
    Directorate,
    OrganisationAct,
    UnitInForce,
    UnitQuerySet,
    UnitSuccession,
)
from directorates.models.users import StoxothesiaUserManager, User

__all__ = [
    "DAYS_TO_POST",
    "HERAKLION_CONSIDERATIONS",
    "HERAKLION_DISTRIBUTION",
    "ActingHead",
    "ActingHeadQuerySet",
    "BilingualNameMixin",
    "Department",
    "Directorate",
    "Municipality",
    "OrganisationAct",
    "StoxothesiaUserManager",
    "UnitInForce",
    "UnitQuerySet",
    "UnitSuccession",
    "User",
]
