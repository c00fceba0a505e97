from django import forms
from django.utils.translation import gettext_lazy as _

from directorates.models import Directorate, User
from directorates.roles import Role
from goals.forms.fields import ModelIdsField
from goals.models import Goal, Observation
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingSeries,
    Minutes,
    Rsvp,
)

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TIME = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class SeriesForm(forms.ModelForm):
    class Meta:
        model = MeetingSeries
        fields = [
            "title",
            "first_date",
            "start_time",
            "duration",
            "place",
            "interval",
            "frequency",
            "until",
            "count",
            "mayor_monthly",
        ]
        widgets = {"first_date": DATE, "until": DATE, "start_time": TIME}
        help_texts = {
            "interval": _("Every 2 weeks keeps the same weekday: the usual fortnightly rhythm."),
            "until": _("Fill in either the last date or the number of meetings."),
            "mayor_monthly": _("Each meeting can be changed on its own afterwards."),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("until") and cleaned.get("count"):
            self.add_error("count", _("Fill in the last date or the number, not both."))
        elif not cleaned.get("until") and not cleaned.get("count") and not self.errors:
            self.add_error("until", _("Fill in either the last date or the number of meetings."))
        return cleaned


class MeetingForm(forms.ModelForm):
    """Change one meeting by hand (reschedule, the Mayor, extra invitees), with a reason."""

    reason = forms.CharField(label=_("Reason for the change"), max_length=300)

    class Meta:
        model = Meeting
        fields = ["date", "start_time", "duration", "place", "mayor_attends", "extra_invitees"]
        widgets = {
            "date": DATE,
            "start_time": TIME,
            "extra_invitees": forms.SelectMultiple(attrs={"size": 8}),
        }
        field_classes = {"extra_invitees": ModelIdsField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Everyone but those a meeting invites anyway; a municipality has many people.
        self.fields["extra_invitees"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(groups__name__in=[Role.GENERAL_SECRETARY, Role.DEPUTY_MAYOR])
            .exclude(headed_directorates__is_active=True)
            .distinct()
        )
        self.fields["extra_invitees"].help_text = _(
            "The General Secretary, the deputies and the heads of directorates are invited "
            "anyway. Hold Ctrl (or ⌘) to choose several people."
        )
        self.initial["reason"] = ""


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the cancellation"), max_length=300)


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "description",
            "presenter",
            "duration",
            "directorates",
            "goals",
            "observations",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "directorates": forms.CheckboxSelectMultiple,
            "goals": forms.SelectMultiple(attrs={"size": 6}),
            "observations": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, meeting: Meeting, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = meeting.invitees()
        self.fields["presenter"].empty_label = _("(no presenter)")
        self.fields["directorates"].queryset = Directorate.objects.active()
        # The current cycle's goals, and the observations this person may read.
        self.fields["goals"].queryset = Goal.objects.visible_to(user).current()
        self.fields["observations"].queryset = (
            Observation.objects.visible_to(user).current().select_related("goal")
        )


class AttendanceForm(forms.Form):
    """One present / absent / excused choice per invitee."""

    def __init__(self, *args, invitees, recorded: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {}
        for person in invitees:
            name = f"person_{person.pk}"
            self.people[name] = person
            self.fields[name] = forms.ChoiceField(
                label=str(person),
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=recorded.get(person.pk, Attendance.Status.PRESENT),
            )

    def statuses(self) -> dict[int, str]:
        return {person.pk: self.cleaned_data[name] for name, person in self.people.items()}


class MinutesForm(forms.Form):
    """The general notes, and the discussion and decisions of each agenda item."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(
        label=_("General notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, minutes: Minutes, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update({"version": minutes.version, "notes": minutes.notes})
        self.items = items
        for item in items:
            for field, label in [("discussion", _("Discussion")), ("decisions", _("Decisions"))]:
                name = f"{field}_{item.pk}"
                self.fields[name] = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
                )
                self.initial[name] = getattr(item, field)

    def item_fields(self):
        """(item, discussion field, decisions field) for the template."""
        return [
            (item, self[f"discussion_{item.pk}"], self[f"decisions_{item.pk}"])
            for item in self.items
        ]

    def entries(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item.pk: (data[f"discussion_{item.pk}"], data[f"decisions_{item.pk}"])
            for item in self.items
        }


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["description", "directorate", "due_date", "agenda_item"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directorate"].queryset = Directorate.objects.active()
        self.fields["directorate"].empty_label = _("(choose a directorate)")
        self.fields["agenda_item"].queryset = meeting.agenda_items.on_agenda()
        self.fields["agenda_item"].empty_label = _("(no particular item)")


class RsvpForm(forms.Form):
    """One's own answer to an invitation; a head of directorate may name a deputy. The form
    has no field for the person: the answer is always the signed-in person's own."""

    answer = forms.ChoiceField(
        label=_("Answer"), choices=Rsvp.Answer.choices, widget=forms.RadioSelect
    )
    deputy = forms.ModelChoiceField(
        label=_("Deputy who attends in my place"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deputies is None:
            del self.fields["deputy"]
        else:
            self.fields["deputy"].queryset = deputies

    def clean(self):
        data = super().clean()
        if data.get("answer") == Rsvp.Answer.DEPUTY and not data.get("deputy"):
            if "deputy" not in self.fields:
                raise forms.ValidationError(_("Only a head of directorate sends a deputy."))
            self.add_error("deputy", _("Choose who attends in your place."))
        return data
