"""/local-offer/...: the public site (no sign-in) and the editors' pages (/local-offer/editors/)."""

from django.urls import path

from inclusion.directory.views import editors, public

app_name = "directory"

service = "editors/services/<uuid:service_id>/"

urlpatterns = [
    # The public Local Offer
    path("", public.home, name="home"),
    path("search/", public.search, name="search"),
    path("services/<uuid:service_id>/", public.service_detail, name="service_detail"),
    path("pathways/", public.pathway_list, name="pathway_list"),
    path("pathways/<slug:slug>/", public.pathway_detail, name="pathway_detail"),
    path("guide/", public.guide, name="guide"),
    path("feedback/", public.feedback, name="feedback"),
    path("feedback/thanks/", public.feedback_thanks, name="feedback_thanks"),
    path("booklet/", public.booklet_page, name="booklet"),
    path("booklet/download/", public.booklet_download, name="booklet_download"),
    # Editors (signed in)
    path("editors/", editors.editor_home, name="editor_home"),
    path("editors/services/", editors.service_list, name="editor_service_list"),
    path("editors/assurance/", editors.assurance_list, name="assurance_list"),
    path(service, editors.editor_service, name="editor_service"),
    path(f"{service}edit/", editors.service_edit, name="service_edit"),
    path(f"{service}assure/", editors.service_assure, name="service_assure"),
    path("editors/changes/", editors.change_list, name="change_list"),
    path("editors/changes/<uuid:change_id>/", editors.change_detail, name="change_detail"),
    path("editors/feedback/", editors.feedback_list, name="feedback_list"),
    path("editors/feedback/<uuid:feedback_id>/", editors.feedback_detail, name="feedback_detail"),
]
