from django.urls import path

from goals.views.allocation_acts import (
    allocation_act,
    allocation_act_delete,
    allocation_act_pdf,
    allocation_act_prepare,
    allocation_acts,
)
from goals.views.blockers import blocker_add, blocker_step
from goals.views.cycles import (
    cycle_advance,
    cycle_close,
    cycle_create,
    cycle_list,
    cycle_open_evaluation,
    cycle_publish,
    cycle_update,
    cycle_withdraw,
)
from goals.views.decisions import (
    amendment_goal,
    amendment_goal_choose,
    amendment_goal_remove,
    decision_correct,
    decision_create,
    decision_detail,
    decision_list,
    decision_pdf,
    decision_post,
    decision_scan,
    decision_sign,
    decision_update,
)
from goals.views.departments import department_detail
from goals.views.goals import goal_create, goal_detail, goal_list, goal_update
from goals.views.monitoring import (
    allocate,
    allocations,
    directorate_report,
    directorate_report_pdf,
    evaluate,
    evaluation,
    progress,
)
from goals.views.observations import (
    consultation,
    observation_answer,
    observation_create,
    observation_create_general,
    observation_detail,
)
from goals.views.programme import programme_export, programme_report
from goals.views.reorganisation import (
    organisation_act_apply,
    organisation_act_map,
    organisation_acts,
)
from goals.views.revision import (
    amendment_goal_add,
    amendment_goal_withdraw,
    decision_window_override,
)
from goals.views.rounds import round_close, round_create, round_detail, round_list
from goals.views.sheets import (
    directorate_workbook,
    goal_export,
    goal_import,
    goal_import_confirm,
    goal_import_template,
    progress_import,
    progress_import_confirm,
    progress_workbook,
)
from goals.views.staff import (
    my_goals,
    staff_goal_acknowledge,
    staff_goal_create,
    staff_goal_delete,
    staff_goal_detail,
    staff_goal_midyear,
    staff_goal_update,
    staff_goal_year_end,
    staff_goals,
    staff_person,
)
from goals.views.statements import (
    national_export,
    national_import,
    national_import_confirm,
    statement_department,
    statement_directorate,
    statement_list,
    statement_person,
)
from goals.views.yearend import (
    evidence_download,
    evidence_remove,
    final_value,
    final_value_queue,
    final_value_review,
    final_values,
)

app_name = "goals"

urlpatterns = [
    path("goals/", goal_list, name="list"),
    path("goals/new/", goal_create, name="create"),
    path("goals/<int:pk>/", goal_detail, name="detail"),
    path("goals/<int:pk>/edit/", goal_update, name="update"),
    path("goals/<int:pk>/observations/new/", observation_create, name="observe"),
    path("consultation/", consultation, name="consultation"),
    path(
        "consultation/general-observation/",
        observation_create_general,
        name="observe_general",
    ),
    path("observations/<int:pk>/", observation_detail, name="observation"),
    path("observations/<int:pk>/answer/", observation_answer, name="answer"),
    path("organisation-acts/", organisation_acts, name="organisation_acts"),
    path("organisation-acts/<int:pk>/", organisation_act_map, name="organisation_act"),
    path(
        "organisation-acts/<int:pk>/apply/", organisation_act_apply, name="organisation_act_apply"
    ),
    path("cycles/", cycle_list, name="cycles"),
    path("cycles/new/", cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/edit/", cycle_update, name="cycle_update"),
    path("cycles/<int:pk>/advance/", cycle_advance, name="cycle_advance"),
    path("cycles/<int:pk>/publish/", cycle_publish, name="cycle_publish"),
    path("cycles/<int:pk>/withdraw/", cycle_withdraw, name="cycle_withdraw"),
    path("decisions/", decision_list, name="decisions"),
    path("decisions/new/", decision_create, name="decision_create"),
    path("decisions/<int:pk>/", decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/pdf/", decision_pdf, name="decision_pdf"),
    path("decisions/<int:pk>/edit/", decision_update, name="decision_update"),
    path("decisions/<int:pk>/sign/", decision_sign, name="decision_sign"),
    path("decisions/<int:pk>/post/", decision_post, name="decision_post"),
    path("decisions/<int:pk>/correct/", decision_correct, name="decision_correct"),
    path("decisions/<int:pk>/scan/", decision_scan, name="decision_scan"),
    path("decisions/<int:pk>/goals/", amendment_goal_choose, name="amendment_choose"),
    path("decisions/<int:pk>/goals/add/", amendment_goal_add, name="amendment_goal_add"),
    path(
        "decisions/<int:pk>/goals/<int:goal_pk>/withdraw/",
        amendment_goal_withdraw,
        name="amendment_goal_withdraw",
    ),
    path(
        "decisions/<int:pk>/window-override/",
        decision_window_override,
        name="decision_window_override",
    ),
    path(
        "decisions/<int:pk>/goals/<int:goal_pk>/",
        amendment_goal,
        name="amendment_goal",
    ),
    path(
        "decisions/<int:pk>/goals/<int:goal_pk>/remove/",
        amendment_goal_remove,
        name="amendment_goal_remove",
    ),
    path("allocations/", allocations, name="allocations"),
    path("goals/<int:pk>/allocate/", allocate, name="allocate"),
    path("organisation/departments/<str:code>/", department_detail, name="department"),
    path("allocation-acts/<int:pk>/", allocation_act, name="allocation_act"),
    path("allocation-acts/<int:pk>/pdf/", allocation_act_pdf, name="allocation_act_pdf"),
    path("allocation-acts/<int:pk>/delete/", allocation_act_delete, name="allocation_act_delete"),
    path("allocation-acts/of/<str:code>/", allocation_acts, name="allocation_acts"),
    path(
        "allocation-acts/of/<str:code>/prepare/",
        allocation_act_prepare,
        name="allocation_act_prepare",
    ),
    path("goals/<int:pk>/progress/", progress, name="progress"),
    path("goals/<int:pk>/blockers/new/", blocker_add, name="blocker_add"),
    path("blockers/<int:pk>/<slug:step>/", blocker_step, name="blocker_step"),
    path("goals/<int:pk>/evaluate/", evaluate, name="evaluate"),
    path("cycles/<int:pk>/evaluation/", evaluation, name="evaluation"),
    path(
        "cycles/<int:pk>/evaluation/open/",
        cycle_open_evaluation,
        name="cycle_open_evaluation",
    ),
    path("cycles/<int:pk>/close/", cycle_close, name="cycle_close"),
    # Final values submitted by the heads, confirmed or returned by the General Secretary.
    path("final-values/", final_values, name="final_values"),
    path("goals/<int:pk>/final-value/", final_value, name="final_value"),
    path("final-values/review/", final_value_queue, name="final_value_queue"),
    path("final-values/<int:pk>/", final_value_review, name="final_value_review"),
    path("evidence/<int:pk>/", evidence_download, name="evidence"),
    path("evidence/<int:pk>/remove/", evidence_remove, name="evidence_remove"),
    path("reports/<str:code>/", directorate_report, name="report"),
    path("reports/<str:code>/pdf/", directorate_report_pdf, name="report_pdf"),
]

# Monthly reporting rounds.
urlpatterns += [
    path("rounds/", round_list, name="rounds"),
    path("rounds/new/", round_create, name="round_create"),
    path("rounds/<int:pk>/", round_detail, name="round"),
    path("rounds/<int:pk>/close/", round_close, name="round_close"),
]
# Spreadsheets: export and import.
urlpatterns += [
    path("goals/export.xlsx", goal_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("goals/export.csv", goal_export, {"fmt": "csv"}, name="export_csv"),
    path("goals/import/", goal_import, name="import"),
    path("goals/import/template.xlsx", goal_import_template, name="import_template"),
    path("goals/import/confirm/", goal_import_confirm, name="import_confirm"),
]
# The year's goals rolled up along the Operational Plan.
urlpatterns += [
    path("programme/", programme_report, name="programme"),
    path("programme/export.xlsx", programme_export, {"fmt": "xlsx"}, name="programme_xlsx"),
    path("programme/export.csv", programme_export, {"fmt": "csv"}, name="programme_csv"),
]
urlpatterns += [
    path("reports/<str:code>/workbook.xlsx", directorate_workbook, name="report_xlsx"),
]
urlpatterns += [
    path("progress/workbook.xlsx", progress_workbook, name="progress_workbook"),
    path("progress/import/", progress_import, name="progress_import"),
    path("progress/import/confirm/", progress_import_confirm, name="progress_import_confirm"),
    # Each employee's goals: set by their head, acknowledged by them, reviewed and evaluated.
    path("staff-goals/", staff_goals, name="staff_goals"),
    path("my-goals/", my_goals, name="my_goals"),
    path("staff-goals/<int:cycle_pk>/<int:person_pk>/", staff_person, name="staff_person"),
    path(
        "staff-goals/<int:cycle_pk>/<int:person_pk>/new/",
        staff_goal_create,
        name="staff_goal_create",
    ),
    path("staff-goals/goal/<int:pk>/", staff_goal_detail, name="staff_goal"),
    path("staff-goals/goal/<int:pk>/edit/", staff_goal_update, name="staff_goal_update"),
    path("staff-goals/goal/<int:pk>/delete/", staff_goal_delete, name="staff_goal_delete"),
    path("staff-goals/goal/<int:pk>/midyear/", staff_goal_midyear, name="staff_goal_midyear"),
    path("staff-goals/goal/<int:pk>/year-end/", staff_goal_year_end, name="staff_goal_year_end"),
    path(
        "staff-goals/goal/<int:pk>/acknowledge/",
        staff_goal_acknowledge,
        name="staff_goal_acknowledge",
    ),
]
# Evaluation statements, and the national platform's sheet per evaluator.
urlpatterns += [
    path("statements/", statement_list, name="statements"),
    path(
        "statements/directorates/<str:code>.pdf",
        statement_directorate,
        {"fmt": "pdf"},
        name="statement_directorate_pdf",
    ),
    path(
        "statements/directorates/<str:code>.xlsx",
        statement_directorate,
        {"fmt": "xlsx"},
        name="statement_directorate_xlsx",
    ),
    path(
        "statements/departments/<str:code>.pdf",
        statement_department,
        {"fmt": "pdf"},
        name="statement_department_pdf",
    ),
    path(
        "statements/departments/<str:code>.xlsx",
        statement_department,
        {"fmt": "xlsx"},
        name="statement_department_xlsx",
    ),
    path(
        "statements/people/<int:pk>.pdf",
        statement_person,
        {"fmt": "pdf"},
        name="statement_person_pdf",
    ),
    path(
        "statements/people/<int:pk>.xlsx",
        statement_person,
        {"fmt": "xlsx"},
        name="statement_person_xlsx",
    ),
    path("statements/national.xlsx", national_export, {"fmt": "xlsx"}, name="national_xlsx"),
    path("statements/national.csv", national_export, {"fmt": "csv"}, name="national_csv"),
    path("statements/national/import/", national_import, name="national_import"),
    path(
        "statements/national/import/confirm/",
        national_import_confirm,
        name="national_import_confirm",
    ),
]
