from django.urls import path

from directorates import views

app_name = "directorates"

urlpatterns = [
    path("organisation/", views.directorate_list, name="list"),
    path("organisation/<str:code>/", views.directorate_detail, name="detail"),
    path("profile/", views.profile, name="profile"),
]
