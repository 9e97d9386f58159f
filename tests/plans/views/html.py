"""Reading the pages in tests: the parsed document and its visible words."""

from bs4 import BeautifulSoup


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response) -> str:
    """The visible words of a page, with whitespace collapsed."""
    soup = page(response)
    for hidden in soup.select("script, style"):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


def main_text(response) -> str:
    """The words of <main> only (no navigation, breadcrumbs or footer)."""
    main = page(response).select_one("main")
    return " ".join(main.get_text(" ").split()) if main else ""
