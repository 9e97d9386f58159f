from django.urls import path

from inclusion.plans import views

app_name = "plans"

action = "plans/<slug:slug>/actions/<uuid:action_id>/"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    # Before "plans/<slug>/": a plan cannot be called "import" (docs/adr/0009-pages.md).
    path("plans/import/", views.import_upload, name="import_upload"),
    path("plans/import/<uuid:import_id>/", views.import_detail, name="import_detail"),
    path("plans/import/<uuid:import_id>/apply/", views.import_apply, name="import_apply"),
    path("plans/import/<uuid:import_id>/discard/", views.import_discard, name="import_discard"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("plans/<slug:slug>/report/", views.plan_report, name="plan_report"),
    path("plans/<slug:slug>/report-date/", views.plan_report_date, name="plan_report_date"),
    path("plans/<slug:slug>/actions/", views.action_list, name="action_list"),
    path(action, views.action_detail, name="action_detail"),
    path(f"{action}updates/new/", views.update_add, name="update_add"),
    path(f"{action}edit/", views.action_edit, name="action_edit"),
    path(f"{action}deadline/", views.deadline_change, name="deadline_change"),
    path("p/<slug:partnership_slug>/", views.public_plans, name="public_plans"),
]
