"""A rendered file: its download headers work for any filename."""

from inclusion.reporting.rendered import PDF, RenderedFile


def test_a_download_names_the_file_in_ascii_and_in_utf8():
    rendered = RenderedFile(content=b"%PDF-", content_type=PDF, filename='Plan "é" update.pdf')

    assert rendered.size == 5
    disposition = rendered.content_disposition()
    assert disposition.startswith('attachment; filename="Plan _ update.pdf"')
    assert "filename*=UTF-8''Plan%20%22%C3%A9%22%20update.pdf" in disposition


def test_the_http_response_carries_the_bytes_type_and_disposition():
    rendered = RenderedFile(content=b"%PDF-", content_type=PDF, filename="report.pdf")

    response = rendered.http_response(inline=True)

    assert response.content == b"%PDF-"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="report.pdf"')
    assert response["Content-Length"] == "5"
