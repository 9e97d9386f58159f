"""Routes of views/pages (included by urls.py)."""

urlpatterns: list = []
