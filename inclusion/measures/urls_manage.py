"""Routes of views/manage (included by urls.py)."""

urlpatterns: list = []
