"""Facts: one per subject and property, with a value kind, a unit or categories."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from facts.models import Fact
from tests.factories import ClaimFactory, FactFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def test_a_subject_has_one_fact_per_property():
    fact = FactFactory()
    twin = FactFactory.build(subject=fact.subject, property=fact.property, slug="other")
    with pytest.raises(ValidationError, match="already"):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_categorical_fact_lists_its_categories():
    fact = FactFactory.build(subject=SubjectFactory(), value_kind="categorical", categories=["yes"])
    with pytest.raises(ValidationError) as refused:
        fact.full_clean()
    assert "at least two categories" in refused.value.message_dict["categories"][0]
    fact.categories = ["yes", "yes"]
    with pytest.raises(ValidationError, match="listed once"):
        fact.full_clean()


def test_only_a_quantity_has_a_unit():
    fact = FactFactory.build(subject=SubjectFactory(), date=True, unit="day")
    with pytest.raises(ValidationError) as refused:
        fact.full_clean()
    assert "Only a quantity has a unit" in refused.value.message_dict["unit"][0]
    saved = FactFactory(date=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fact.objects.filter(pk=saved.pk).update(unit="day")


def test_it_refuses_a_unit_the_units_library_does_not_know():
    fact = FactFactory.build(subject=SubjectFactory(), unit="parsecz")
    with pytest.raises(ValidationError, match="not a unit"):
        fact.full_clean()


def test_the_value_kind_stays_while_the_fact_has_claims():
    fact = ClaimFactory().fact
    fact.value_kind = "date"
    with pytest.raises(ValidationError, match="cannot change while the fact has claims"):
        fact.full_clean()


def test_its_natural_key_is_the_subject_and_its_slug():
    fact = FactFactory()
    assert Fact.objects.get_by_natural_key(*fact.natural_key()) == fact
