"""The lists' filter forms are made once a process (issue 16: django-filter built a form class,
and a form field for every filter, on every request), and still check each request's values
on their own."""

from __future__ import annotations

import pytest

from facts.api.filters import ClaimFilter, FactFilter
from facts.models import Claim, Fact

pytestmark = pytest.mark.django_db


def test_it_makes_a_lists_filter_form_class_once_not_on_each_request():
    first = ClaimFilter({"status": "verified"}, queryset=Claim.objects.all()).form
    second = ClaimFilter({"fact": "7"}, queryset=Claim.objects.all()).form
    assert type(first) is type(second)
    assert type(FactFilter({}, queryset=Fact.objects.all()).form) is not type(first)


def test_each_request_keeps_its_own_values_and_errors():
    wrong = ClaimFilter({"fact": "zero"}, queryset=Claim.objects.all())
    right = ClaimFilter({"fact": "7"}, queryset=Claim.objects.all())
    assert not wrong.is_valid()
    assert right.is_valid()
    assert right.form.cleaned_data["fact"] == 7
    assert "fact" in wrong.form.errors
    assert wrong.form.fields["fact"] is not right.form.fields["fact"]


def test_a_list_filtered_twice_in_a_row_answers_each_by_its_own_filter(client, seeds):
    verified = client.get("/api/claims/", {"status": "verified", "page_size": 500}).json()
    refused = client.get("/api/claims/", {"fact": "zero"})
    assert {row["status"] for row in verified["results"]} == {"verified"}
    assert refused.status_code == 400
