"""Applying a new internal services organisation (ΟΕΥ): the General Secretary's map of old units
to new ones, what moves, what keeps its unit, and the maps that are refused."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from directorates.models import Department, Directorate, UnitSuccession, User
from directorates.roles import Role
from goals.models import Allocation, Goal, GoalVersion, Observation, ProgressUpdate
from goals.services import reorganisation
from goals.services.reorganisation import apply_unit_map, reorganisation_plan, save_unit_map
from tests.factories import (
    AllocationFactory,
    DepartmentFactory,
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
    ObservationFactory,
    OrganisationActFactory,
    ProgressUpdateFactory,
    UserFactory,
    issued_adoption,
)

pytestmark = pytest.mark.django_db

EFFECT = datetime.date(2024, 6, 3)


@pytest.fixture
def act(db):
    return OrganisationActFactory(effective_on=EFFECT)


@pytest.fixture
def monitored_cycle(db):
    return GoalCycleFactory(year=2024, phase="monitoring")


@pytest.fixture
def renamed(act, planning, planning_department):
    """The act renames the Department of Organisation: a new unit succeeds it."""
    new = DepartmentFactory(
        directorate=planning,
        code="PROG-NEW",
        created_by_act=act,
        name="Τμήμα Οργάνωσης & Ποιότητας",
    )
    planning_department.abolished_by_act = act
    planning_department.save()
    return new


def map_departments(act, secretary, mapping):
    save_unit_map(act=act, by=secretary, directorate_successors={}, department_successors=mapping)


def map_directorates(act, secretary, mapping):
    save_unit_map(act=act, by=secretary, directorate_successors=mapping, department_successors={})


def test_a_renamed_department_takes_the_open_allocations_and_people(
    act, renamed, planning_department, monitored_cycle, secretary, head_of_department
):
    allocation = AllocationFactory(
        goal__cycle=monitored_cycle,
        goal__directorate=renamed.directorate,
        department=planning_department,
    )
    map_departments(act, secretary, {planning_department.pk: [renamed]})

    apply_unit_map(act=act, by=secretary)

    allocation.refresh_from_db()
    head_of_department.refresh_from_db()
    planning_department.refresh_from_db()
    renamed.refresh_from_db()
    act.refresh_from_db()
    assert allocation.department == renamed
    assert head_of_department.department == renamed
    assert head_of_department.directorate == renamed.directorate
    assert planning_department.valid_to == datetime.date(2024, 6, 2)
    assert not planning_department.is_active
    assert renamed.valid_from == EFFECT
    assert act.applied_by == secretary and act.applied_at is not None
    moved = allocation.history.latest()
    assert moved.history_user == secretary
    assert act.gazette_issue in moved.history_change_reason


def test_a_closed_cycle_keeps_its_units(act, renamed, planning_department, secretary):
    closed = GoalCycleFactory(year=2023, phase="closed")
    allocation = AllocationFactory(
        goal__cycle=closed, goal__directorate=renamed.directorate, department=planning_department
    )
    map_departments(act, secretary, {planning_department.pk: [renamed]})

    apply_unit_map(act=act, by=secretary)

    allocation.refresh_from_db()
    assert allocation.department == planning_department


def test_records_keep_the_unit_they_were_made_for(
    act, planning, finance, monitored_cycle, secretary, mayor, head_of_planning
):
    successor = DirectorateFactory(code="PROG2", created_by_act=act)
    planning.abolished_by_act = act
    planning.save()
    goal = GoalFactory(directorate=planning, cycle=monitored_cycle, status="accepted")
    observation = ObservationFactory(goal=goal, directorate=planning, author=head_of_planning)
    decision = issued_adoption(cycle=monitored_cycle, goals=[goal], mayor=mayor)
    before = ProgressUpdateFactory(goal=goal, measured_on=datetime.date(2024, 4, 30))
    after = ProgressUpdateFactory(goal=goal, measured_on=datetime.date(2024, 6, 30))
    map_directorates(act, secretary, {planning.pk: [successor]})

    apply_unit_map(act=act, by=secretary)

    goal.refresh_from_db()
    assert goal.directorate == successor
    assert Observation.objects.get(pk=observation.pk).directorate == planning
    assert GoalVersion.objects.get(decision=decision, goal=goal).directorate == planning
    before = ProgressUpdate.objects.get(pk=before.pk)
    after = ProgressUpdate.objects.get(pk=after.pk)
    assert before.unit_when_recorded == planning
    assert after.unit_when_recorded == successor


def test_a_split_sends_each_item_where_the_secretary_chose(
    act, renamed, planning_department, monitored_cycle, secretary, staff, head_of_department
):
    second = DepartmentFactory(directorate=renamed.directorate, code="PROG-B", created_by_act=act)
    goal_a = GoalFactory(cycle=monitored_cycle, directorate=renamed.directorate, status="adopted")
    goal_b = GoalFactory(cycle=monitored_cycle, directorate=renamed.directorate, status="adopted")
    to_a = AllocationFactory(goal=goal_a, department=planning_department)
    to_b = AllocationFactory(goal=goal_b, department=planning_department)
    map_departments(act, secretary, {planning_department.pk: [renamed, second]})

    apply_unit_map(
        act=act,
        by=secretary,
        destinations={
            ("allocation", to_a.pk): renamed.pk,
            ("allocation", to_b.pk): second.pk,
            ("person", staff.pk): second.pk,
            ("person", head_of_department.pk): renamed.pk,
        },
    )

    assert Allocation.objects.get(pk=to_a.pk).department == renamed
    assert Allocation.objects.get(pk=to_b.pk).department == second
    assert User.objects.get(pk=staff.pk).department == second
    assert User.objects.get(pk=head_of_department.pk).department == renamed


def test_a_split_without_every_choice_is_refused_and_nothing_moves(
    act, renamed, planning_department, monitored_cycle, secretary, staff
):
    second = DepartmentFactory(directorate=renamed.directorate, code="PROG-B", created_by_act=act)
    allocation = AllocationFactory(
        goal__cycle=monitored_cycle,
        goal__directorate=renamed.directorate,
        department=planning_department,
    )
    map_departments(act, secretary, {planning_department.pk: [renamed, second]})

    with pytest.raises(ValidationError) as refused:
        apply_unit_map(
            act=act, by=secretary, destinations={("allocation", allocation.pk): renamed.pk}
        )

    assert any(
        str(staff) in message and "διασπάται" in message for message in refused.value.messages
    )
    assert User.objects.get(pk=staff.pk).department == planning_department
    assert Allocation.objects.get(pk=allocation.pk).department == planning_department
    act.refresh_from_db()
    assert not act.is_applied


def test_a_unit_without_successor_is_refused(act, renamed, planning_department, secretary):
    with pytest.raises(ValidationError) as refused:
        apply_unit_map(act=act, by=secretary)

    assert refused.value.messages == [
        f"Επιλέξτε τη μονάδα που διαδέχεται τη μονάδα «{planning_department}»."
    ]


def test_an_act_that_abolishes_nothing_is_refused(act, secretary):
    with pytest.raises(ValidationError, match="δεν καταργεί καμία μονάδα"):
        apply_unit_map(act=act, by=secretary)


def test_an_abolished_directorate_may_not_keep_a_department_in_force(
    act, planning, planning_department, secretary
):
    successor = DirectorateFactory(code="PROG2", created_by_act=act)
    planning.abolished_by_act = act
    planning.save()
    map_directorates(act, secretary, {planning.pk: [successor]})

    with pytest.raises(ValidationError, match="πρέπει να καταργεί και αυτό"):
        apply_unit_map(act=act, by=secretary)


def test_a_merge_that_would_allocate_a_goal_twice_is_refused(
    act, renamed, planning_department, monitored_cycle, secretary
):
    other = DepartmentFactory(directorate=renamed.directorate, code="PROG-C", abolished_by_act=act)
    goal = GoalFactory(cycle=monitored_cycle, directorate=renamed.directorate, status="adopted")
    AllocationFactory(goal=goal, department=planning_department, share=50)
    AllocationFactory(goal=goal, department=other, share=50)
    map_departments(act, secretary, {planning_department.pk: [renamed], other.pk: [renamed]})

    with pytest.raises(ValidationError, match="θα επιμεριζόταν δύο φορές"):
        apply_unit_map(act=act, by=secretary)


def test_a_map_is_applied_once(act, renamed, planning_department, secretary):
    map_departments(act, secretary, {planning_department.pk: [renamed]})
    apply_unit_map(act=act, by=secretary)

    with pytest.raises(ValidationError, match="έχει ήδη εφαρμοστεί"):
        apply_unit_map(act=act, by=secretary)
    with pytest.raises(ValidationError, match="έχει ήδη εφαρμοστεί"):
        map_departments(act, secretary, {planning_department.pk: [renamed]})


def test_a_map_waits_for_the_act_to_take_effect(act, renamed, planning_department, secretary):
    map_departments(act, secretary, {planning_department.pk: [renamed]})

    with pytest.raises(ValidationError, match="τίθεται σε ισχύ στις 3 Ιουνίου 2024"):
        apply_unit_map(act=act, by=secretary, today=EFFECT - datetime.timedelta(days=1))


def test_only_the_general_secretary_maps_and_applies(act, renamed, planning_department, mayor):
    with pytest.raises(ValidationError):
        map_departments(act, mayor, {planning_department.pk: [renamed]})
    with pytest.raises(ValidationError):
        apply_unit_map(act=act, by=mayor)


def test_an_error_halfway_leaves_nothing_half_moved(
    act, renamed, planning_department, monitored_cycle, secretary, staff
):
    allocation = AllocationFactory(
        goal__cycle=monitored_cycle,
        goal__directorate=renamed.directorate,
        department=planning_department,
    )
    ProgressUpdateFactory(goal=allocation.goal, allocation=allocation, measured_on=EFFECT)
    map_departments(act, secretary, {planning_department.pk: [renamed]})

    with (
        mock.patch.object(reorganisation, "_move_people", side_effect=IntegrityError("broken")),
        pytest.raises(IntegrityError),
    ):
        apply_unit_map(act=act, by=secretary)

    assert Allocation.objects.get(pk=allocation.pk).department == planning_department
    assert not ProgressUpdate.objects.filter(recorded_department__isnull=False).exists()
    assert Department.objects.get(pk=planning_department.pk).valid_to is None
    assert not type(act).objects.get(pk=act.pk).is_applied


def test_heads_of_abolished_units_lose_their_rights(act, planning, finance, secretary):
    successor = DirectorateFactory(code="PROG2", created_by_act=act)
    head = UserFactory(directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE])
    planning.head = head
    planning.abolished_by_act = act
    planning.save()
    map_directorates(act, secretary, {planning.pk: [successor]})

    apply_unit_map(act=act, by=secretary)

    head = User.objects.get(pk=head.pk)
    assert head.directorate == successor
    assert not head.is_head_of_directorate


def test_the_head_named_for_the_successor_keeps_the_role(act, planning, secretary):
    head = UserFactory(directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE])
    successor = DirectorateFactory(code="PROG2", created_by_act=act, head=head)
    planning.head = head
    planning.abolished_by_act = act
    planning.save()
    map_directorates(act, secretary, {planning.pk: [successor]})

    apply_unit_map(act=act, by=secretary)

    assert User.objects.get(pk=head.pk).is_head_of_directorate


def test_a_participating_directorate_is_replaced_by_its_successors(
    act, planning, finance, monitored_cycle, secretary
):
    successor = DirectorateFactory(code="OIK2", created_by_act=act)
    finance.abolished_by_act = act
    finance.save()
    goal = GoalFactory(
        cycle=monitored_cycle, directorate=planning, participating_directorates=[finance]
    )
    map_directorates(act, secretary, {finance.pk: [successor]})

    apply_unit_map(act=act, by=secretary)

    assert list(Goal.objects.get(pk=goal.pk).participating_directorates.all()) == [successor]


def test_saving_the_map_again_replaces_it(act, renamed, planning_department, secretary):
    second = DepartmentFactory(directorate=renamed.directorate, code="PROG-B", created_by_act=act)
    map_departments(act, secretary, {planning_department.pk: [renamed, second]})
    map_departments(act, secretary, {planning_department.pk: [second]})

    assert list(UnitSuccession.objects.values_list("new_department", flat=True)) == [second.pk]
    assert reorganisation_plan(act).departments[0].successors == [second]


def test_the_plan_takes_the_same_queries_whatever_the_organisation_size(
    act, planning, monitored_cycle, secretary, django_assert_num_queries
):
    def grow(count):
        for _ in range(count):
            department = DepartmentFactory(directorate=planning, abolished_by_act=act)
            AllocationFactory(goal__cycle=monitored_cycle, department=department)
            UserFactory(directorate=planning, department=department)
            Directorate.objects.create(code=f"X{Directorate.objects.count()}", name="x")

    grow(2)
    with django_assert_num_queries(7):
        reorganisation_plan(act)
    grow(5)
    with django_assert_num_queries(7):
        reorganisation_plan(act)
