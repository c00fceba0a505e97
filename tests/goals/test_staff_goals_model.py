"""An employee's goal: its achievement, its weight and who may read it."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from directorates.roles import Role
from goals.models import StaffGoal
from tests.factories import StaffGoalFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_achievement_is_worked_out_from_the_final_value_like_a_goals():
    staff_goal = StaffGoalFactory(baseline=20, target=40)
    staff_goal.final_value = Decimal(35)
    staff_goal.evaluated_at = staff_goal.set_at
    staff_goal.save()
    staff_goal.refresh_from_db()
    assert staff_goal.achievement == Decimal("75.0")


def test_achievement_is_unknown_without_a_final_value():
    assert StaffGoalFactory().achievement is None


def test_weight_above_100_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        StaffGoalFactory(weight=101)


def test_visible_to_the_person_and_not_to_a_colleague():
    staff_goal = StaffGoalFactory()
    colleague = UserFactory(
        directorate=staff_goal.employee.directorate,
        department=staff_goal.employee.department,
        roles=[Role.STAFF],
    )
    assert list(StaffGoal.objects.visible_to(staff_goal.employee)) == [staff_goal]
    assert not StaffGoal.objects.visible_to(colleague).exists()
