"""The public Local Offer: no sign-in, search with filters, service pages, pathways, the
guide, 'was this page useful?' and the booklet download."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from inclusion.directory.models import Feedback
from inclusion.directory.views import content

pytestmark = pytest.mark.django_db


def test_every_public_page_answers_without_signing_in_and_names_the_partnership(client, world):
    pages = [
        reverse("directory:home"),
        reverse("directory:search"),
        reverse("directory:service_detail", kwargs={"service_id": world.salt.pk}),
        reverse("directory:pathway_list"),
        *[reverse("directory:pathway_detail", kwargs={"slug": p.slug}) for p in content.PATHWAYS],
        reverse("directory:guide"),
        reverse("directory:booklet"),
        reverse("directory:feedback_thanks"),
    ]
    for url in pages:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert "Lincolnshire SEND Partnership: Local Offer" in body, url
        if url != reverse("directory:feedback_thanks"):
            assert "Was this page useful?" in body, url
            assert f'action="{reverse("directory:feedback")}"' in body, url


def test_the_search_page_lists_results_with_a_count(client, world):
    response = client.get(reverse("directory:search"), {"need": str(world.autism.pk)})

    body = response.content.decode()
    assert "2 services found" in body
    assert "Virtual autism hub" in body and "Sensory processing workshops" in body
    assert "Closed autism drop-in" not in body
    assert "Children&#39;s speech and language therapy" not in body


def test_the_age_filter_and_distance_show_in_the_results(client, world):
    response = client.get(reverse("directory:search"), {"age": "15", "postcode": "PE21 6XX"})

    body = response.content.decode()
    assert "2 services found" in body  # the workshops are for ages 2 to 11
    assert "Showing services for age 15, nearest to PE21 6XX first." in body
    assert body.index("speech and language") < body.index("Virtual autism hub")  # located first
    assert "28 miles" in body or "27 miles" in body


def test_a_bad_postcode_is_shown_against_the_field(client, world):
    response = client.get(reverse("directory:search"), {"postcode": "Lincoln"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#postcode"' in body and 'id="postcode-error"' in body
    assert body.count("Enter a real postcode, like LN1 1YL") == 2  # the summary and the field
    assert "<title>Error: Find services" in body


def test_a_postcode_not_found_is_shown_against_the_field(client, world):
    response = client.get(reverse("directory:search"), {"postcode": "BT1 1AA"})

    assert response.status_code == 400
    assert "We could not find the postcode BT1 1AA" in response.content.decode()


def test_a_distance_needs_a_postcode(client, world):
    response = client.get(reverse("directory:search"), {"distance": "5"})

    assert response.status_code == 400
    assert "Enter a postcode to search within a distance" in response.content.decode()


def test_a_service_page_says_what_a_family_needs(client, world):
    response = client.get(reverse("directory:service_detail", kwargs={"service_id": world.salt.pk}))

    body = response.content.decode()
    for expected in (
        "Help for children who find talking hard.",
        "Ages 0 to 19",
        "Speech, language and communication needs",
        "Free",
        "Lincoln clinic",
        "Monday to Friday, 8:30am to 4:30pm",
        'href="tel:01632960101"',
        "salt@lchs.example",
        "https://lchs.example/salt",
        "Information last checked:",
    ):
        assert expected in body, expected
    assert "It may be out of date" not in body


def test_a_service_not_checked_for_12_months_warns_families(client, world):
    response = client.get(reverse("directory:service_detail", kwargs={"service_id": world.hub.pk}))

    assert "It may be out of date" in response.content.decode()


def test_an_unpublished_or_unknown_service_is_not_found(client, world):
    for service_id in (world.closed.pk, "6f1d7c52-3f7e-4a51-9a0e-2d3c4b5a6978"):
        response = client.get(
            reverse("directory:service_detail", kwargs={"service_id": service_id})
        )
        assert response.status_code == 404


def test_an_unknown_pathway_is_not_found(client, world):
    assert (
        client.get(reverse("directory:pathway_detail", kwargs={"slug": "nope"})).status_code == 404
    )


def test_feedback_is_kept_and_thanked_without_javascript(client, world):
    page = reverse("directory:service_detail", kwargs={"service_id": world.salt.pk})

    response = client.post(
        reverse("directory:feedback"),
        {
            "useful": "no",
            "comment": "  The phone line was busy. ",
            "page": page,
            "service": str(world.salt.pk),
        },
    )

    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert "Thank you for your feedback" in thanks.content.decode()
    assert f'href="{page}"' in thanks.content.decode()
    kept = Feedback.objects.get()
    assert (kept.useful, kept.comment, kept.page_path, kept.service) == (
        False,
        "The phone line was busy.",
        page,
        world.salt,
    )
    assert kept.partnership == world.partnership and kept.status == Feedback.Status.NEW


def test_feedback_without_an_answer_says_what_to_do_and_keeps_nothing(client, world):
    response = client.post(
        reverse("directory:feedback"), {"comment": "hello", "page": "/local-offer/"}
    )

    assert response.status_code == 400
    assert "Select yes if this page was useful" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_never_sends_the_visitor_to_another_site(client, world):
    response = client.post(
        reverse("directory:feedback"), {"useful": "yes", "page": "//evil.example/"}
    )

    thanks = client.get(response["Location"])
    assert 'href="//evil.example/"' not in thanks.content.decode()
    assert Feedback.objects.get().page_path == reverse("directory:home")


def test_the_booklet_downloads_as_word_for_the_filters_chosen(client, world):
    response = client.get(
        reverse("directory:booklet_download"), {"format": "docx", "need": str(world.slcn.pk)}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    assert ".docx" in response["Content-Disposition"]


def test_the_booklet_download_without_a_format_asks_for_one(client, world):
    response = client.get(reverse("directory:booklet_download"), {"need": str(world.slcn.pk)})

    assert response.status_code == 400
    assert "Select a format" in response.content.decode()


def test_the_results_link_to_a_booklet_of_the_same_services(client, world):
    response = client.get(reverse("directory:search"), {"q": "speech", "age": "4"})

    assert f"{reverse('directory:booklet')}?q=speech&amp;age=4" in response.content.decode()


def test_the_booklet_page_keeps_the_search_it_came_from(client, world):
    response = client.get(reverse("directory:booklet"), {"q": "speech", "age": "4"})

    body = response.content.decode()
    assert re.search(r'<input[^>]*id="q"[^>]*value="speech"', body)
    assert re.search(r'<input[^>]*id="age"[^>]*value="4"', body)
    assert re.search(r'<input[^>]*value="pdf"[^>]*checked', body)


def test_search_results_cost_the_same_queries_however_many_services_they_show(
    client, world, django_assert_max_num_queries
):
    """A result shows a name, summary, ages, costs and a place: read in a fixed number of
    queries (not the full record of every service, nor a query per result)."""
    client.get(reverse("directory:search"))  # the search index and the session are ready
    with django_assert_max_num_queries(12):
        everything = client.get(reverse("directory:search"))
    with django_assert_max_num_queries(12):
        one_need = client.get(reverse("directory:search"), {"need": str(world.autism.pk)})

    assert everything.status_code == one_need.status_code == 200
    salt = reverse("directory:service_detail", kwargs={"service_id": world.salt.pk})
    assert salt in everything.content.decode()


def test_the_guide_quotes_the_statutory_time_limits_from_the_calendar(client, world):
    """The families' guide states each EHC time limit as the one definition in core has it."""
    from inclusion.core import timescales

    body = client.get(reverse("directory:guide")).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", body).split())

    assert "decides whether to assess 6 weeks" in text
    assert "there will be no plan 16 weeks" in text
    assert "The final EHC plan 20 weeks" in text
    assert "at least 15 calendar days from getting the draft" in text
    final = timescales.final_plan_due(request_received=dt.date(2025, 9, 1))
    assert f"{final.amount} {final.unit.label}" == "20 weeks"
