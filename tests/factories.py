"""factory_boy factories for every model; tests build their data with these."""

import datetime
import time

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from directorates.models import ActingHead, Department, Directorate, User
from goals.models import OperationalPlan, ProgrammeAxis, ProgrammeMeasure
from goals.services.monitoring import store_achievement


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"Διεύθυνση Δοκιμών {n}")
    name_en = factory.Sequence(lambda n: f"Test Directorate {n}")
    order = factory.Sequence(lambda n: n)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    directorate = factory.SubFactory(DirectorateFactory)
    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Τμήμα Δοκιμών {n}")
    name_en = factory.Sequence(lambda n: f"Test Department {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A user; `roles=[Role.X, ...]` puts them in the roles' groups."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Δοκιμή"
    last_name = factory.Sequence(lambda n: f"Χρήστης {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gr")
    password = "!"  # unusable: tests log in with force_login

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in extracted))


class ActingHeadFactory(factory.django.DjangoModelFactory):
    """An acting head in force from thirty days ago until further notice; give `directorate` or
    `department`."""

    class Meta:
        model = ActingHead

    person = factory.SubFactory(UserFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    ends_on = None
    act = "Απόφαση Δημάρχου 245/2026"


def totp_device_for(user: User) -> TOTPDevice:
    """A confirmed authenticator-app device, as after set-up."""
    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """A code the device accepts now, and that it has not accepted before.

    django-otp accepts the codes of the previous, current and next 30-second step, each once;
    so up to three logins in a row work without waiting. The previous step's code is not given
    in the last seconds of the current step: it would expire before a slow test sends it.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    totp.time = now
    step = max(device.last_t + 1, totp.t() - device.tolerance)
    if step < totp.t() and device.step - (now - device.t0) % device.step < 10:
        step = totp.t()
    # `step` already counts the device's drift (django-otp learns it at each code): the code of
    # that step is worked out without adding the drift a second time.
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    code.time = device.t0 + step * device.step
    return f"{code.token():0{device.digits}d}"


class GoalCycleFactory(factory.django.DjangoModelFactory):
    """A cycle; `GoalCycleFactory(open=True)` puts it in consultation, open today."""

    class Meta:
        model = "goals.GoalCycle"
        django_get_or_create = ["year"]

    class Params:
        open = factory.Trait(
            phase="consultation",
            consultation_opens_on=factory.LazyFunction(
                lambda: datetime.date.today() - datetime.timedelta(days=7)
            ),
            consultation_closes_on=factory.LazyFunction(
                lambda: datetime.date.today() + datetime.timedelta(days=21)
            ),
        )

    year = 2024
    phase = "drafting"


class GoalFactory(factory.django.DjangoModelFactory):
    """An accepted goal to raise a number, due by the end of its cycle's year."""

    class Meta:
        model = "goals.Goal"
        skip_postgeneration_save = True

    cycle = factory.SubFactory(GoalCycleFactory)
    directorate = factory.SubFactory(DirectorateFactory)
    category = "services"
    code = factory.Sequence(lambda n: f"G-{n:03d}")
    title = factory.Sequence(lambda n: f"Ταχύτερη εξυπηρέτηση {n}")
    description = "Μείωση του χρόνου αναμονής των πολιτών."
    indicator = "Αιτήσεις που διεκπεραιώθηκαν"
    unit_of_measure = "αιτήσεις"
    target_kind = "increase"
    baseline = 100
    target = 150
    deadline = factory.LazyAttribute(lambda goal: datetime.date(goal.cycle.year, 12, 31))
    weight = 10
    status = "accepted"

    @factory.post_generation
    def participating_directorates(self, create, extracted, **kwargs):
        if create and extracted:
            self.participating_directorates.set(extracted)


class GoalIndicatorFactory(factory.django.DjangoModelFactory):
    """A further indicator of a goal: a percentage to reach, weighing 40 of the 100."""

    class Meta:
        model = "goals.GoalIndicator"

    goal = factory.SubFactory(GoalFactory)
    name = factory.Sequence(lambda n: f"Ικανοποίηση πολιτών {n}")
    unit_of_measure = "%"
    target_kind = "percentage"
    baseline = 50
    target = 90
    weight = 40
    order = factory.Sequence(lambda n: n + 1)


class ObservationFactory(factory.django.DjangoModelFactory):
    """A pending observation by the head of the goal's directorate."""

    class Meta:
        model = "goals.Observation"

    goal = factory.SubFactory(GoalFactory)
    cycle = factory.LazyAttribute(lambda obs: obs.goal.cycle)
    directorate = factory.LazyAttribute(lambda obs: obs.author.directorate)
    author = factory.LazyAttribute(
        lambda obs: obs.goal.directorate.head or UserFactory(directorate=obs.goal.directorate)
    )
    text = "Ο στόχος είναι φιλόδοξος για το προσωπικό που διαθέτουμε."


class OperationalPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "goals.OperationalPlan"

    title = "Επιχειρησιακό Πρόγραμμα"
    start_year = 2024
    end_year = 2028
    council_decision = "245/2023"


class ProgrammeActionFactory(factory.django.DjangoModelFactory):
    """An action of measure 1.1 of axis 1 of the first plan (2024–2028), made if missing."""

    class Meta:
        model = "goals.ProgrammeAction"

    measure = factory.LazyFunction(
        lambda: ProgrammeMeasure.objects.get_or_create(
            code="1.1",
            axis=ProgrammeAxis.objects.get_or_create(
                code="1",
                plan=OperationalPlan.objects.order_by("pk").first() or OperationalPlanFactory(),
                defaults={"title": "Διοικητική ικανότητα"},
            )[0],
            defaults={"title": "Ψηφιακός δήμος"},
        )[0]
    )
    code = factory.Sequence(lambda n: f"1.1.{n}")
    title = factory.Sequence(lambda n: f"Δράση {n}")


class ActionProgrammeFactory(factory.django.DjangoModelFactory):
    """A year's action programme; pass `actions=[...]` to list actions in it."""

    class Meta:
        model = "goals.ActionProgramme"
        django_get_or_create = ["year"]
        skip_postgeneration_save = True

    plan = factory.LazyFunction(
        lambda: OperationalPlan.objects.order_by("pk").first() or OperationalPlanFactory()
    )
    year = 2026
    council_decision = "12/2026"

    @factory.post_generation
    def actions(self, create, extracted, **kwargs):
        if create and extracted:
            self.actions.add(*extracted)


# --- Coordination meetings --------------------------------------------------------------------
class MeetingFactory(factory.django.DjangoModelFactory):
    """A stand-alone meeting; pass `date=` (planned_date follows it)."""

    class Meta:
        model = "meetings.Meeting"

    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    planned_date = factory.SelfAttribute("date")
    start_time = datetime.time(10, 0)
    duration = 90
    place = "Αίθουσα εκδηλώσεων Βικελαίας Δημοτικής Βιβλιοθήκης"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Θέμα {n}")
    duration = 10


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.ActionItem"

    meeting = factory.SubFactory(MeetingFactory, status="held")
    description = factory.Sequence(lambda n: f"Ενέργεια {n}")
    directorate = factory.SubFactory(DirectorateFactory)
    due_date = factory.LazyAttribute(lambda a: a.meeting.date + datetime.timedelta(days=14))


# =================================================================================================
# Decisions, allocations, progress.
# =================================================================================================
class MayoralDecisionFactory(factory.django.DjangoModelFactory):
    """A draft decision adopting its cycle's goals."""

    class Meta:
        model = "goals.MayoralDecision"

    cycle = factory.SubFactory(GoalCycleFactory, phase="consultation")
    kind = "adoption"
    subject = factory.LazyAttribute(lambda d: f"Έγκριση στοχοθεσίας έτους {d.cycle.year}")
    considerations = "Τις διατάξεις του ν. 3852/2010\nΤις διατάξεις του ν. 4940/2022"
    text = "Εγκρίνουμε τους στόχους του Δήμου."
    prepared_by = factory.SubFactory(UserFactory)


def _store_achievement(obj, create: bool, extracted, **kwargs) -> None:
    """Made directly, not by a service: store the goal's achievement as a bulk load does."""
    if create:
        store_achievement(goal_ids=[obj.goal_id])


class AllocationFactory(factory.django.DjangoModelFactory):
    """A department's share of an adopted goal; the goal's achievement is stored after it, as
    after a bulk load, so that tests building data directly see the figures `save_allocations`
    would leave."""

    class Meta:
        model = "goals.Allocation"
        skip_postgeneration_save = True

    goal = factory.SubFactory(GoalFactory, status="adopted")
    department = factory.SubFactory(
        DepartmentFactory, directorate=factory.SelfAttribute("..goal.directorate")
    )
    title = factory.LazyAttribute(lambda a: a.goal.title)
    indicator = factory.LazyAttribute(lambda a: a.goal.indicator)
    unit_of_measure = factory.LazyAttribute(lambda a: a.goal.unit_of_measure)
    target = 150
    deadline = factory.LazyAttribute(lambda a: a.goal.deadline)
    share = 100
    allocated_by = factory.SubFactory(UserFactory)
    stored_achievement = factory.PostGeneration(_store_achievement)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    """A measurement of an adopted goal; the goal's achievement is stored after it, as after a
    bulk load, so that tests building data directly see the figures `record_progress` would
    leave."""

    class Meta:
        model = "goals.ProgressUpdate"
        skip_postgeneration_save = True

    goal = factory.SubFactory(GoalFactory, status="adopted")
    value = 120
    measured_on = factory.LazyFunction(datetime.date.today)
    status = "on_track"
    author = factory.SubFactory(UserFactory)
    stored_achievement = factory.PostGeneration(_store_achievement)


def issued_adoption(*, cycle, goals, mayor, decision_date=None, ada="Ψ4ΚΣΩΗΓ-3ΞΛ", pk=None):
    """Sign and post an adoption of these goals through the real services: it is in force and
    the cycle ends in allocation.

    `pk` fixes the decision's primary key, for tests that name its pages in advance.
    """
    cycle.phase = "consultation"
    cycle.save()
    decision = MayoralDecisionFactory(cycle=cycle, pk=pk)
    signed = signed_decision(decision, mayor=mayor, decision_date=decision_date)
    return posted_decision(signed, by=mayor, ada=ada)


def signed_decision(decision, *, mayor, decision_date=None, number="12"):
    """Sign a draft through the real service, as the Mayor."""
    from goals.services.decisions import sign_decision

    return sign_decision(
        decision=decision,
        by=mayor,
        signatory=mayor,
        number=number,
        protocol_number="4567",
        decision_date=decision_date or datetime.date(decision.cycle.year, 3, 1),
        expected_version=decision.version,
    )


def posted_decision(decision, *, by, ada="Ψ4ΚΣΩΗΓ-3ΞΛ", posted_on=None):
    """Post a signed decision on Diavgeia through the real service."""
    from goals.services.decisions import post_decision

    return post_decision(
        decision=decision,
        by=by,
        ada=ada,
        posted_on=posted_on or decision.decision_date,
        expected_version=decision.version,
    )


class OrganisationActFactory(factory.django.DjangoModelFactory):
    """An internal services organisation (ΟΕΥ) that took effect in June 2024."""

    class Meta:
        model = "directorates.OrganisationAct"

    title = "Οργανισμός Εσωτερικής Υπηρεσίας"
    decision_number = factory.Sequence(lambda n: f"{n + 1}/2024")
    gazette_issue = factory.Sequence(lambda n: f"ΦΕΚ Β' {n + 1000}/2024")
    effective_on = datetime.date(2024, 6, 3)


class StaffGoalFactory(factory.django.DjangoModelFactory):
    """An employee's goal for the year: a member of a department serving its allocation of an
    adopted goal of the directorate, set by the department's head, weighing 50 of the 100."""

    class Meta:
        model = "goals.StaffGoal"

    allocation = factory.SubFactory(AllocationFactory)
    goal = factory.SelfAttribute("allocation.goal")
    cycle = factory.SelfAttribute("goal.cycle")
    employee = factory.SubFactory(
        UserFactory,
        directorate=factory.SelfAttribute("..allocation.department.directorate"),
        department=factory.SelfAttribute("..allocation.department"),
    )
    title = factory.Sequence(lambda n: f"Διεκπεραίωση αιτήσεων πολιτών {n}")
    indicator = "Αιτήσεις που διεκπεραιώθηκαν"
    unit_of_measure = "αιτήσεις"
    baseline = 20
    target = 40
    deadline = factory.LazyAttribute(lambda goal: datetime.date(goal.cycle.year, 12, 31))
    weight = 50
    set_by = factory.SubFactory(UserFactory)
