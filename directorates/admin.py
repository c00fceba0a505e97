from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from directorates.models import (
    ActingHead,
    Department,
    Directorate,
    Municipality,
    OrganisationAct,
    UnitSuccession,
    User,
)

# A permission's name is stored in English when its model is migrated ("Can add goal"); the
# admin's lists of permissions read it in the active language from its parts instead.
PERMISSION_ACTIONS = {
    "add": pgettext_lazy("permission", "Can add"),
    "change": pgettext_lazy("permission", "Can change"),
    "delete": pgettext_lazy("permission", "Can delete"),
    "view": pgettext_lazy("permission", "Can view"),
}


def permission_label(permission: Permission) -> str:
    """ "Οργάνωση | διεύθυνση | Μπορεί να προσθέτει", history models as "ιστορικό: …"."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    action = PERMISSION_ACTIONS.get(permission.codename.split("_", 1)[0])
    original = getattr(model, "instance_type", None)  # django-simple-history's rows
    if original is not None:
        name = _("history: %(name)s") % {"name": original._meta.verbose_name}
    else:
        name = model._meta.verbose_name
    app = permission.content_type.app_labeled_name.split(" | ")[0]
    return f"{app} | {name} | {action}" if action else f"{app} | {name} | {permission.name}"


def with_permission_labels(formfield):
    if formfield is not None:
        formfield.label_from_instance = permission_label
    return formfield


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        return with_permission_labels(formfield) if db_field.name == "permissions" else formfield


class DepartmentInline(admin.TabularInline):
    model = Department
    fields = ["code", "name", "name_en", "head", "order", "is_active"]
    autocomplete_fields = ["head"]
    extra = 0


@admin.register(Directorate)
class DirectorateAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "head", "order", "is_active", "valid_from", "valid_to"]
    list_filter = ["kind", "is_active", "created_by_act", "abolished_by_act"]
    list_editable = ["order"]
    search_fields = ["code", "name", "name_en", "head__last_name", "head__username"]
    autocomplete_fields = ["head"]
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "directorate",
        "head",
        "order",
        "is_active",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["directorate", "is_active", "created_by_act", "abolished_by_act"]
    list_select_related = ["directorate", "head"]
    search_fields = ["code", "name", "name_en", "directorate__name"]
    autocomplete_fields = ["head", "directorate"]


@admin.register(ActingHead)
class ActingHeadAdmin(SimpleHistoryAdmin):
    list_display = ["person", "directorate", "department", "starts_on", "ends_on", "act"]
    list_filter = ["directorate", "starts_on"]
    list_select_related = ["person", "directorate", "department"]
    search_fields = [
        "person__last_name",
        "person__username",
        "directorate__name",
        "department__name",
        "act",
    ]
    autocomplete_fields = ["person", "directorate", "department"]
    date_hierarchy = "starts_on"


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "email",
        "directorate",
        "department",
        "is_active",
        "is_staff",
    ]
    list_filter = ["groups", "directorate", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["directorate", "department"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["directorate", "department"]

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "user_permissions":
            kwargs["queryset"] = Permission.objects.select_related("content_type")
            formfield = super().formfield_for_manytomany(db_field, request=request, **kwargs)
            return with_permission_labels(formfield)
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)

    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Organisation"),
            {
                "fields": [
                    "directorate",
                    "department",
                    "job_title",
                    "registry_number",
                    "gender",
                    "language",
                ]
            },
        ),
    ]


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    """The details that head the municipality's documents: one row, never a second one."""

    list_display = ["name", "region", "place", "phone", "email"]
    search_fields = ["name", "name_en"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "mayor_of", "mayor_of_en", "region", "region_en"]}),
        (
            _("Documents' header"),
            {
                "fields": [
                    "issuing_service",
                    "issuing_service_en",
                    "place",
                    "place_en",
                    "address",
                    "postcode",
                    "phone",
                    "email",
                    "website",
                ]
            },
        ),
        (
            _("Decisions on the goals"),
            {"fields": ["considerations", "distribution", "days_to_post"]},
        ),
        (
            _("Monthly reporting rounds"),
            {"fields": ["round_department_days", "round_directorate_days", "local_holidays"]},
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Municipality.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class UnitSuccessionInline(admin.TabularInline):
    """The act's map, as the General Secretary saved it on the organisation changes page."""

    model = UnitSuccession
    fields = ["old_directorate", "new_directorate", "old_department", "new_department"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OrganisationAct)
class OrganisationActAdmin(SimpleHistoryAdmin):
    """The acts of the internal services organisation (ΟΕΥ); the units they create and abolish
    are marked on each directorate and department."""

    list_display = ["title", "decision_number", "gazette_issue", "effective_on", "applied_at"]
    list_filter = ["effective_on"]
    search_fields = ["title", "decision_number", "gazette_issue"]
    readonly_fields = ["applied_at", "applied_by"]
    fields = ["title", "decision_number", "gazette_issue", "effective_on", *readonly_fields]
    inlines = [UnitSuccessionInline]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_applied:
            return False
        return super().has_delete_permission(request, obj)
