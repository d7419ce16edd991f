"""Every factory builds a row that passes validation, so tests start from valid data."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory",
    [
        factories.OutletFactory,
        factories.ArticleFactory,
        factories.ActorFactory,
        factories.SubjectFactory,
        factories.FactFactory,
        factories.ClaimFactory,
    ],
)
def test_each_factory_makes_a_valid_row(factory):
    row = factory()
    row.full_clean()
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("trait", ["date", "categorical", "own_voice"])
def test_each_claim_trait_makes_a_valid_claim(trait):
    claim = factories.ClaimFactory(**{trait: True})
    claim.full_clean()
    assert claim.article.text[claim.start : claim.end] == claim.wording
