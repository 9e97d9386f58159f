"""/measures/...: two route lists, one per group of pages (see views/__init__.py)."""

from inclusion.measures import urls_manage, urls_pages

app_name = "measures"

urlpatterns = [*urls_pages.urlpatterns, *urls_manage.urlpatterns]
