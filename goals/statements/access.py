"""Whose statements a person may download.

- A person's statement: the person, their evaluators (the head of their department and the
  head above, as `directorates.headship` says who leads which unit today), the General
  Secretary and the admins (the coordinators).
- A unit's statement: its head and the head above, and the oversight (the Mayor and the deputies
  as well as the coordinators).

Anyone else gets a 404: the statements are fetched through these querysets.
"""

from django.db.models import Q, QuerySet

from directorates.models import Department, Directorate, User


def statement_directorates(user) -> QuerySet:
    """The directorates whose statement this person may download."""
    if not user.is_authenticated or not user.is_active:
        return Directorate.objects.none()
    if user.sees_everything:
        return Directorate.objects.all()
    return Directorate.objects.filter(pk__in=user.headship.directorate_ids)


def statement_departments(user) -> QuerySet:
    """The departments whose statement this person may download: those they lead, and those of
    the directorates they lead."""
    if not user.is_authenticated or not user.is_active:
        return Department.objects.none()
    if user.sees_everything:
        return Department.objects.all()
    led = user.headship
    return Department.objects.filter(
        Q(pk__in=led.department_ids) | Q(directorate_id__in=led.directorate_ids)
    )


def statement_people(user) -> QuerySet:
    """The people whose statement this person may download: themselves, the people of the units
    they lead (whom they evaluate, or evaluate as the head above), everyone for the
    coordinators."""
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if user.is_coordinator:
        return User.objects.all()
    led = user.headship
    return User.objects.filter(
        Q(pk=user.pk)
        | Q(department_id__in=led.department_ids)
        | Q(directorate_id__in=led.directorate_ids)
    )
