"""GOV.UK pagination for any Django page of results (one copy for every app)."""

from typing import Any

from django.core.paginator import Page
from django.http import QueryDict


def pagination(page: Page, query: QueryDict) -> dict[str, Any] | None:
    """`govukPagination` parameters keeping the filters; None when one page is enough."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def href(number: int) -> str:
        params = query.copy()
        params["page"] = str(number)
        return f"?{params.urlencode()}"

    wanted = {1, paginator.num_pages, page.number - 1, page.number, page.number + 1}
    items: list[dict[str, Any]] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= paginator.num_pages):
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.number})
        previous = number
    params: dict[str, Any] = {"items": items}
    if page.has_previous():
        params["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": href(page.next_page_number())}
    return params
