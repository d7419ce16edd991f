"""GET /api/tokens/ and DELETE /api/tokens/{id}/: a user's API token, listed by its prefix and
revoked by its owner; admins (the authtoken view and delete permissions) list and revoke
anyone's. A user has one token (DRF's), so a token is named by its user's id: the key itself
never goes in a URL. A token is shown in full once, when it is made (the admin's add page,
`manage.py drf_create_token`), and never again."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response

from facts.models.tokens import token_prefix
from facts.services import tokens as token_services


class TokenSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id", read_only=True, help_text="Its user's id.")
    user = serializers.CharField(source="user.username", read_only=True)
    prefix = serializers.SerializerMethodField(help_text="The token's first characters.")

    class Meta:
        model = Token
        fields = ["id", "user", "prefix", "created"]

    def get_prefix(self, token: Token) -> str:
        return token_prefix(token.key)


@extend_schema_view(
    list=extend_schema(
        summary="API tokens",
        description="Your API token (by its prefix); an admin sees everyone's.",
    ),
    destroy=extend_schema(
        summary="Revoke an API token",
        description="Revoke the token of the user with this id: your own, or, for an admin, "
        "anyone's. The next request that sends it is refused.",
    ),
)
class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = TokenSerializer
    permission_classes = [permissions.IsAuthenticated]
    # One token a user, and a newsroom's users number tens: one page, ordered by user.
    pagination_class = None
    filter_backends: list = []
    lookup_field = "user_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = r"\d+"
    queryset = Token.objects.none()

    def get_queryset(self) -> QuerySet[Token]:
        tokens = Token.objects.select_related("user").order_by("user__username", "user_id")
        user = self.request.user
        admin_permission = (
            "authtoken.view_token" if self.action == "list" else "authtoken.delete_token"
        )
        if user.has_perm(admin_permission):
            return tokens
        return tokens.filter(user_id=user.pk)

    def destroy(self, request: Request, *args: object, **kwargs: object) -> Response:
        # Another's token, for a user who may not revoke it, is not found (404): its
        # existence is not told either.
        token = self.get_object()
        token_services.revoke_token(token=token, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
