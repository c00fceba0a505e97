from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from directorates.forms import LoginForm
from directorates.views import set_language
from stoxothesia import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("language/", set_language, name="set_language"),
    path("", include("directorates.urls")),
    path("", include("goals.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = settings.MUNICIPALITY_NAME + " · Stoxothesia"
admin.site.site_title = "Stoxothesia"
