"""/local-offer/...: the public site and the editors' pages."""

from django.urls import path

from inclusion.directory.views import editors

app_name = "directory"

urlpatterns = [
    path("editors/", editors.editor_home, name="editor_home"),
]
