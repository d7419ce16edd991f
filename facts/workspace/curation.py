"""The curation rules (docs/CURATION.md), served to the editors from the admin index."""

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CURATION_RULES = Path(settings.BASE_DIR) / "docs" / "CURATION.md"


def curation_rules(request: HttpRequest) -> HttpResponse:
    """docs/CURATION.md as plain text, as it stands in the repository."""
    text = CURATION_RULES.read_text(encoding="utf-8")
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
