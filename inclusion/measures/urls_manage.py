"""Routes of views/manage and views/uploads (included by urls.py).

Fixed words (`manage/new/`, `manage/neighbours/`) come before `manage/<code>/`, and the
management form refuses them as codes (forms.RESERVED_CODES)."""

from django.urls import path

from inclusion.measures.views import manage, uploads

measure = "manage/<slug:code>/"

urlpatterns = [
    path("manage/", manage.manage_index, name="manage_index"),
    path("manage/new/", manage.manage_create, name="manage_create"),
    path("manage/neighbours/", manage.manage_neighbours, name="manage_neighbours"),
    path(measure, manage.manage_measure, name="manage_measure"),
    path(f"{measure}edit/", manage.manage_edit, name="manage_edit"),
    path(f"{measure}use/", manage.manage_use, name="manage_use"),
    path(f"{measure}targets/new/", manage.manage_target_add, name="manage_target_add"),
    path(
        f"{measure}targets/<uuid:target>/delete/",
        manage.manage_target_delete,
        name="manage_target_delete",
    ),
    path(f"{measure}evidence/", manage.manage_evidence, name="manage_evidence"),
    path(f"{measure}values/new/", manage.manage_observation_add, name="manage_observation_add"),
    path("uploads/", uploads.upload_list, name="upload_list"),
    path("uploads/new/", uploads.upload_create, name="upload_create"),
    path("uploads/<uuid:upload>/", uploads.upload_detail, name="upload_detail"),
    path("uploads/<uuid:upload>/import/", uploads.upload_import, name="upload_import"),
    path("uploads/<uuid:upload>/discard/", uploads.upload_discard, name="upload_discard"),
    path("uploads/<uuid:upload>/retry/", uploads.upload_retry, name="upload_retry"),
]
