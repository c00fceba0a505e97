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
    # --- Issue 4: decisions, allocation, progress, evaluation, reports -------------------------
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/pdf/", views.decision_pdf, name="decision_pdf"),
    path("decisions/<int:pk>/edit/", views.decision_update, name="decision_update"),
    path("decisions/<int:pk>/issue/", views.decision_issue, name="decision_issue"),
    path("decisions/<int:pk>/scan/", views.decision_scan, name="decision_scan"),
    path("decisions/<int:pk>/goals/", views.amendment_goal_choose, name="amendment_choose"),
    path(
        "decisions/<int:pk>/goals/<int:goal_pk>/",
        views.amendment_goal,
        name="amendment_goal",
    ),
    path(
        "decisions/<int:pk>/goals/<int:goal_pk>/remove/",
        views.amendment_goal_remove,
        name="amendment_goal_remove",
    ),
    path("allocations/", views.allocations, name="allocations"),
    path("goals/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("goals/<int:pk>/progress/", views.progress, name="progress"),
    path("goals/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("cycles/<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path(
        "cycles/<int:pk>/evaluation/open/",
        views.cycle_open_evaluation,
        name="cycle_open_evaluation",
    ),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("reports/<str:code>/", views.directorate_report, name="report"),
    path("reports/<str:code>/pdf/", views.directorate_report_pdf, name="report_pdf"),
]

# Spreadsheets: export and import.
urlpatterns += [
    path("goals/export.xlsx", views.goal_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("goals/export.csv", views.goal_export, {"fmt": "csv"}, name="export_csv"),
    path("goals/import/", views.goal_import, name="import"),
    path("goals/import/template.xlsx", views.goal_import_template, name="import_template"),
    path("goals/import/confirm/", views.goal_import_confirm, name="import_confirm"),
]
urlpatterns += [
    path("reports/<str:code>/workbook.xlsx", views.directorate_workbook, name="report_xlsx"),
]
urlpatterns += [
    path("progress/workbook.xlsx", views.progress_workbook, name="progress_workbook"),
    path("progress/import/", views.progress_import, name="progress_import"),
    path("progress/import/confirm/", views.progress_import_confirm, name="progress_import_confirm"),
]
