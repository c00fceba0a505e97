from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.decorators import method_decorator
from django_otp.admin import OTPAdminSite


class AdminSite(OTPAdminSite):
    """Django admin for people whose session passed the second factor.

    There is one way in: the application's login page, then the code page. An anonymous visitor
    of the admin's own login page is sent there; a logged-in person who may not use the admin
    sees the admin's refusal.
    """

    def __init__(self, name: str = "admin"):
        super().__init__(name)

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        if not request.user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
        return super().login(request, extra_context)
