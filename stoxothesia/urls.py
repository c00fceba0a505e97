from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from directorates import views as people
from portal.urls import api_urls
from stoxothesia import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Authentication: Django's views, each logging its events (directorates/views.py).
    path("accounts/login/", people.LoginView.as_view(), name="login"),
    path("accounts/logout/", people.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", people.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password_reset/", people.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        people.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/two-factor/", people.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", people.two_factor_setup, name="two_factor_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        people.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("accounts/two-factor/disable/", people.two_factor_disable, name="two_factor_disable"),
    path("language/", people.set_language, name="set_language"),
    path("", include("directorates.urls")),
    path("", include("goals.urls")),
    path("meetings/", include("meetings.urls")),
    path("", include("portal.urls")),
    path("api/v1/", api_urls()),
    path("admin/", admin.site.urls),
]

handler500 = "stoxothesia.views.server_error"

admin.site.site_header = settings.MUNICIPALITY_NAME + " · Stoxothesia"
admin.site.site_title = "Stoxothesia"
