"""Request parsers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import JSONParser as DRFJSONParser
from rest_framework.settings import api_settings

from facts.domain import storable


class JSONParser(DRFJSONParser):
    """DRF's JSON parser, refusing with a 400, on the field at fault where there is one:

    - a body nested deeper than MAX_JSON_DEPTH, before a serializer, a model or a renderer
      recurses into it: no field takes such a shape;
    - a lone surrogate anywhere (a "\\ud800" escape with no second half): it is no Unicode,
      like the invalid UTF-8 the parser already refuses, and once in a field's error message
      ('"\\ud800" is not a valid choice') or stored, no response can be encoded. A NUL is a
      character, refused by the fields and models that cannot store it, with their messages.
    """

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the body is nested too deep.") from None
        check_depth(data)
        check_surrogates(data)
        return data


def check_depth(data: object) -> None:
    """Refuse a body nested deeper than MAX_JSON_DEPTH levels (the body itself is one)."""
    limit = storable.MAX_JSON_DEPTH
    if storable.nesting_depth(data) <= limit:
        return
    message = f"Nested more than {limit} levels deep (counting the body): no field takes that."
    if isinstance(data, dict):
        fields = [key for key, value in data.items() if storable.nesting_depth(value) >= limit]
        raise exceptions.ValidationError({key: [message] for key in fields})
    raise exceptions.ParseError(
        f"JSON parse error - the body is nested more than {limit} levels deep."
    )


def check_surrogates(data: object) -> None:
    """Refuse a body holding a lone surrogate, on the field that holds it."""
    problem_of = storable.surrogate_problem
    if isinstance(data, dict):
        for key, value in data.items():
            problem = problem_of(key)
            if problem:
                raise exceptions.ValidationError(
                    {api_settings.NON_FIELD_ERRORS_KEY: [f"A field name {problem}."]}
                )
            problem = storable.value_problem(value, problem_of)
            if problem:
                raise exceptions.ValidationError({key: [problem]})
    else:
        problem = storable.value_problem(data, problem_of)
        if problem:
            raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [problem]})
