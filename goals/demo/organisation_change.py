"""Demo: Heraklion's new internal services organisation (ΟΕΥ) takes effect in June 2024.

It renames the Building Permits Department of the Urban Planning Directorate into the Building
Service (ΥΔΟΜ) Permits Department: a new unit succeeds the old one, and the General Secretary's
map moves the goals still open, their allocations and the people there; what was recorded before
keeps showing the old department. Loaded after the rest of the story, through the real
workflows, and only once (the applied act is found again by its Government Gazette issue).
"""

import datetime

from django.utils import timezone

from directorates.models import Department, OrganisationAct, User
from goals.services.reorganisation import apply_unit_map, save_unit_map

ACT = {
    "title": "Οργανισμός Εσωτερικής Υπηρεσίας Δήμου Ηρακλείου",
    "decision_number": "56/2024",
    "gazette_issue": "ΦΕΚ Β' 3120/2024",
    "effective_on": datetime.date(2024, 6, 3),
}
OLD_DEPARTMENT = "POLE-ADE"
NEW_DEPARTMENT = {
    "code": "POLE-YDOM",
    "name": "Τμήμα Οικοδομικών Αδειών (ΥΔΟΜ)",
    "name_en": "Building Permits Department (Building Service)",
}


def seed_organisation_change() -> dict[str, int]:
    """Create and apply the 2024 ΟΕΥ where it is missing."""
    created = {"organisation acts": 0}
    if OrganisationAct.objects.filter(gazette_issue=ACT["gazette_issue"]).exists():
        return created
    old = Department.objects.filter(code=OLD_DEPARTMENT).first()
    secretary = User.objects.filter(username="secretary").first()
    if old is None or secretary is None:
        return created
    act = OrganisationAct.objects.create(**ACT)
    new, _new = Department.objects.get_or_create(
        code=NEW_DEPARTMENT["code"],
        defaults={
            "directorate": old.directorate,
            "name": NEW_DEPARTMENT["name"],
            "name_en": NEW_DEPARTMENT["name_en"],
            "order": old.order,
            "head": old.head,
            "created_by_act": act,
            "valid_from": act.effective_on,
        },
    )
    old.abolished_by_act = act
    old.save(update_fields=["abolished_by_act"])
    save_unit_map(
        act=act, by=secretary, directorate_successors={}, department_successors={old.pk: [new]}
    )
    apply_unit_map(act=act, by=secretary)
    # Applied by the General Secretary on the day the act took effect, not the day of loading.
    applied = datetime.datetime.combine(
        act.effective_on, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    OrganisationAct.objects.filter(pk=act.pk).update(applied_at=applied)
    created["organisation acts"] += 1
    return created
