"""/local-offer/...: the public site and the editors' pages."""

app_name = "directory"

urlpatterns: list = []
