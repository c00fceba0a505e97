from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued here: the secret is shown once, on the page after saving."""

    list_display = ["name", "owner", "scope", "prefix", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["scope"]
    list_select_related = ["owner"]
    search_fields = ["name", "prefix", "owner__username", "owner__last_name"]
    autocomplete_fields = ["owner", "goals"]
    fields = ["name", "owner", "scope", "goals", "expires_at"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return self.fields + (self.readonly_fields if obj else [])

    def save_model(self, request, obj, form, change):
        if not change:
            secret = obj.issue_key()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            messages.warning(
                request,
                _(
                    "The token is %(token)s — copy it now and give it to the system that uses "
                    "it: it is not shown again, and only its digest is kept."
                )
                % {"token": secret},
            )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        messages.success(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
        )
