"""Request bodies for the API's writes, shared by the API tests."""

from __future__ import annotations

from typing import Any

from facts.api import inputs

INPUTS = {
    "outlets": inputs.OutletInput,
    "articles": inputs.ArticleInput,
    "actors": inputs.ActorInput,
    "subjects": inputs.SubjectInput,
    "facts": inputs.FactInput,
    "claims": inputs.ClaimInput,
}


def writable_part(resource: str, read: dict[str, Any]) -> dict[str, Any]:
    """What a client sends back of a row it read, to PUT it: the fields it may set (the API
    refuses the ones the server sets)."""
    fields = INPUTS[resource]().fields
    return {name: value for name, value in read.items() if name in fields}
