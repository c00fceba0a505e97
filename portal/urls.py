"""Public addresses: the pages under /public/, the open data under /public/data/, the
accessibility statement, and the API under /api/v1/ (its own namespace, "api")."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portal import views
from portal.api import api

app_name = "portal"

urlpatterns = [
    path("public/", views.index, name="index"),
    path("public/<int:year>/", views.cycle, name="cycle"),
    path("public/<int:year>/goals/<str:code>/", views.goal, name="goal"),
    path("public/open-data/", views.open_data, name="open_data"),
    path("public/open-data/fields/", views.fields, name="fields"),
    path("public/data/catalogue.jsonld", views.catalogue, name="catalogue"),
    path("public/data/<int:year>/goals.csv", views.goals_csv, name="goals_csv"),
    path("public/data/<int:year>/values.csv", views.values_csv, name="values_csv"),
    path("public/data/<int:year>.json", views.cycle_json, name="cycle_json"),
    path("accessibility/", views.accessibility, name="accessibility"),
]


def api_urls():
    """The API's patterns, open to requests without a session: its token is the login (and
    no cookie authenticates it, so it needs no CSRF token either)."""
    patterns, app, namespace = api.urls
    for pattern in patterns:
        pattern.callback = login_not_required(csrf_exempt(pattern.callback))
    return patterns, app, namespace
