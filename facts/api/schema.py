"""The OpenAPI schema as clients need it: separate request and response bodies, every error an
operation can answer with its problem detail, the ETag and Location headers, and reads declared
open to anyone."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import SAFE_METHODS, AllowAny

from facts.api.permissions import EditorOrReadOnly
from facts.api.problem_detail import PROBLEM_MEDIA_TYPE
from facts.api.problems import ProblemSerializer, ValidationProblemSerializer

WRITES = {"create", "update", "partial_update"}


class FactsAutoSchema(AutoSchema):
    def _action(self) -> str:
        return str(getattr(self.view, "action", "") or "")

    def _is_detail(self) -> bool:
        return "{" in self.path

    def get_override_parameters(self) -> list:
        """The parameters of the view's action, declared once on the view (action_parameters),
        where the strict check of query parameters reads them too."""
        declared = getattr(self.view, "action_parameters", {}).get(self._action(), [])
        return [*super().get_override_parameters(), *declared]

    def get_response_serializers(self) -> Any:
        """A write answers with the resource's output, not its input."""
        output = getattr(self.view, "output_serializer_class", None)
        if output is not None and self._action() in WRITES:
            return output
        return super().get_response_serializers()

    def get_auth(self) -> list[dict]:
        """Anyone may read: a GET needs no credentials, and says so (an empty requirement)."""
        auths = super().get_auth()
        open_to_anyone = any(
            isinstance(permission, (EditorOrReadOnly, AllowAny))
            for permission in self.view.get_permissions()
        )
        if open_to_anyone and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def error_serializers(self) -> dict[int, Any]:
        """The errors this operation can answer with, each a problem detail."""
        errors: dict[int, Any] = {400: ValidationProblemSerializer, 429: ProblemSerializer}
        writes = self.method not in SAFE_METHODS
        anonymous_reads = {} in self.get_auth()
        # A fact's comparison with include_drafts=true is for staff.
        if writes or not anonymous_reads or self._action() == "comparison":
            errors[401] = ProblemSerializer
            errors[403] = ProblemSerializer
        if self._is_detail():
            errors[404] = ProblemSerializer
        if (writes and self.method != "POST") or self._action() == "create":
            errors[409] = ProblemSerializer
        if self.method in ("PUT", "PATCH", "DELETE") and hasattr(self.view, "check_if_match"):
            errors[412] = ProblemSerializer
            errors[428] = ProblemSerializer
        if self.method in ("POST", "PUT", "PATCH"):
            errors[415] = ProblemSerializer
        return errors

    def _get_response_bodies(self, direction: Any = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        for code, serializer in self.error_serializers().items():
            if str(code) in responses:
                continue
            responses[str(code)] = self._get_response_for_code(
                serializer, str(code), media_types=[PROBLEM_MEDIA_TYPE], direction=direction
            )
        return responses

    def _get_response_headers_for_code(self, status_code: str, direction: Any = "response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        action = self._action()
        versioned = hasattr(self.view, "check_if_match")
        if versioned and (
            (status_code == "200" and action in ("retrieve", "update", "partial_update"))
            or (status_code == "201" and action == "create")
            or (status_code == "304" and action == "retrieve")
        ):
            headers["ETag"] = {
                "schema": {"type": "string"},
                "description": "The version read or written: send it back in If-Match to "
                "change or delete the row, or in If-None-Match to be told it has not changed.",
            }
        if (status_code == "201" and action == "create") or status_code == "202":
            headers["Location"] = {
                "schema": {"type": "string", "format": "uri"},
                "description": "The URL of what was created.",
            }
        return headers


def add_links(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """A drf-spectacular postprocessing hook: OpenAPI links from a row's creation (and from a
    read of it) to the operations on that row, with its id and, where a write needs one, its
    ETag as If-Match. A client, or schemathesis's stateful phase, follows them from a 201."""
    paths = result["paths"]
    for path, operations in paths.items():
        detail = paths.get(f"{path}{{id}}/")
        if detail is None:
            continue
        sources = [("post", "201")] if "post" in operations else []
        for method, code in sources:
            response = operations[method]["responses"].get(code)
            if response is not None:
                response["links"] = links_to(detail, id_from="$response.body#/id")
        read = detail.get("get", {}).get("responses", {}).get("200")
        if read is not None:
            writes = {m: op for m, op in detail.items() if m != "get"}
            read["links"] = links_to(writes, id_from="$request.path.id")
    return result


def links_to(operations: dict, *, id_from: str) -> dict:
    links = {}
    for operation in operations.values():
        parameters = {"id": id_from}
        if any(p.get("name") == "If-Match" for p in operation.get("parameters", [])):
            parameters["header.If-Match"] = "$response.header.ETag"
        links[operation["operationId"]] = {
            "operationId": operation["operationId"],
            "parameters": parameters,
        }
    return links
