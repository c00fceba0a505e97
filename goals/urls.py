from django.urls import path

from goals import views

app_name = "goals"

urlpatterns = [
    path("goals/", views.goal_list, name="list"),
    path("goals/new/", views.goal_create, name="create"),
    path("goals/<int:pk>/", views.goal_detail, name="detail"),
    path("goals/<int:pk>/edit/", views.goal_update, name="update"),
    path("goals/<int:pk>/observations/new/", views.observation_create, name="observe"),
    path("consultation/", views.consultation, name="consultation"),
    path(
        "consultation/general-observation/",
        views.observation_create_general,
        name="observe_general",
    ),
    path("observations/<int:pk>/", views.observation_detail, name="observation"),
    path("observations/<int:pk>/answer/", views.observation_answer, name="answer"),
    path("cycles/", views.cycle_list, name="cycles"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/edit/", views.cycle_update, name="cycle_update"),
    path("cycles/<int:pk>/advance/", views.cycle_advance, name="cycle_advance"),
]
