"""The fact table: outlets publish articles; articles make claims about facts of subjects.

One module per family of models; everything is re-exported here, so `facts.models.Claim` stays
the name the rest of the code uses."""

from facts.models.actors import Actor, ActorKind
from facts.models.base import (
    NAMES_SEPARATOR,
    DatePrecision,
    Named,
    NamesText,
    SlugManager,
    Tracked,
    check_aliases,
    choice_values,
    named_constraints,
)
from facts.models.claims import (
    AnchorState,
    AttributionMode,
    Bound,
    Claim,
    ClaimQuerySet,
    ClaimStatus,
)
from facts.models.ingest import BoilerplateKind, BoilerplateRule
from facts.models.jobs import ImportJob, ImportJobState, ImportRequest
from facts.models.outlet_standings import OutletFact, OutletPair, OutletSummary
from facts.models.sources import Article, ArticleManager, ArticleQuerySet, Outlet, OutletKind
from facts.models.stories import ArticleStory, StoryBand
from facts.models.subjects import (
    LIKELY_FIELDS,
    VERDICT_FIELDS,
    DisputedFact,
    Fact,
    FactManager,
    FactQuerySet,
    Subject,
    SubjectKind,
    ValueKind,
    Verdict,
)
from facts.models.tokens import TOKEN_PREFIX_LENGTH, ApiToken, token_prefix
from facts.models.track_records import TrackRecord, TrackStanding, TrackSubject

__all__ = [
    "LIKELY_FIELDS",
    "NAMES_SEPARATOR",
    "TOKEN_PREFIX_LENGTH",
    "VERDICT_FIELDS",
    "Actor",
    "ActorKind",
    "AnchorState",
    "ApiToken",
    "Article",
    "ArticleManager",
    "ArticleQuerySet",
    "ArticleStory",
    "AttributionMode",
    "BoilerplateKind",
    "BoilerplateRule",
    "Bound",
    "Claim",
    "ClaimQuerySet",
    "ClaimStatus",
    "DatePrecision",
    "DisputedFact",
    "Fact",
    "FactManager",
    "FactQuerySet",
    "ImportJob",
    "ImportJobState",
    "ImportRequest",
    "Named",
    "NamesText",
    "Outlet",
    "OutletFact",
    "OutletKind",
    "OutletPair",
    "OutletSummary",
    "SlugManager",
    "StoryBand",
    "Subject",
    "SubjectKind",
    "TrackRecord",
    "TrackStanding",
    "TrackSubject",
    "Tracked",
    "ValueKind",
    "Verdict",
    "check_aliases",
    "choice_values",
    "named_constraints",
    "token_prefix",
]
