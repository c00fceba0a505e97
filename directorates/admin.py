from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from directorates.models import Department, Directorate, Municipality, User


class DepartmentInline(admin.TabularInline):
    model = Department
    fields = ["code", "name", "name_en", "head", "order", "is_active"]
    autocomplete_fields = ["head"]
    extra = 0


@admin.register(Directorate)
class DirectorateAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "head", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["order"]
    search_fields = ["code", "name", "name_en", "head__last_name", "head__username"]
    autocomplete_fields = ["head"]
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "directorate", "head", "order", "is_active"]
    list_filter = ["directorate", "is_active"]
    list_select_related = ["directorate", "head"]
    search_fields = ["code", "name", "name_en", "directorate__name"]
    autocomplete_fields = ["head", "directorate"]


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
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Organisation"),
            {"fields": ["directorate", "department", "job_title", "gender", "language"]},
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
        (_("Decisions on the goals"), {"fields": ["considerations", "distribution"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Municipality.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
