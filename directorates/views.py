from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from directorates.forms import ProfileForm
from directorates.models import Department, Directorate, User


def _units_with_people():
    """Active directorates with their active departments and heads, in three queries."""
    departments = Department.objects.active().select_related("head").order_by("order", "name")
    return (
        Directorate.objects.active()
        .select_related("head")
        .prefetch_related(
            Prefetch("departments", queryset=departments, to_attr="active_departments")
        )
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
    )


def directorate_list(request):
    directorates = list(_units_with_people())
    ctx = {
        "directorates": [d for d in directorates if d.kind == Directorate.Kind.DIRECTORATE],
        "independent_units": [d for d in directorates if d.kind != Directorate.Kind.DIRECTORATE],
    }
    return render(request, "directorates/directorate_list.html", ctx)


def directorate_detail(request, code):
    directorate = get_object_or_404(_units_with_people(), code=code)
    members = (
        User.objects.filter(directorate=directorate, is_active=True)
        .select_related("department")
        .prefetch_related("groups")
    )
    ctx = {"directorate": directorate, "members": members}
    return render(request, "directorates/directorate_detail.html", ctx)


def profile(request):
    user = get_object_or_404(
        User.objects.select_related("directorate", "department").prefetch_related("groups"),
        pk=request.user.pk,
    )
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile was saved."))
            response = redirect("directorates:profile")
            if user.language:
                response.set_cookie("django_language", user.language, max_age=60 * 60 * 24 * 365)
            return response
    else:
        form = ProfileForm(instance=user)
    return render(request, "directorates/profile.html", {"profile_user": user, "form": form})


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the person's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(
        ProfileForm.base_fields["language"].choices
    ):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response
