"""/api/oruk/...: the Open Referral UK 3.0 API."""

urlpatterns: list = []
