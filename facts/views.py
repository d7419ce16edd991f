"""The REST API's views: public reads, writes for editors with the model permission."""

from rest_framework import viewsets

from facts import serializers
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject


class OutletViewSet(viewsets.ModelViewSet):
    queryset = Outlet.objects.all()
    serializer_class = serializers.OutletSerializer


class ArticleViewSet(viewsets.ModelViewSet):
    queryset = Article.objects.select_related("outlet")
    serializer_class = serializers.ArticleSerializer


class ActorViewSet(viewsets.ModelViewSet):
    queryset = Actor.objects.select_related("parent")
    serializer_class = serializers.ActorSerializer


class SubjectViewSet(viewsets.ModelViewSet):
    queryset = Subject.objects.all()
    serializer_class = serializers.SubjectSerializer


class FactViewSet(viewsets.ModelViewSet):
    queryset = Fact.objects.select_related("subject")
    serializer_class = serializers.FactSerializer


class ClaimViewSet(viewsets.ModelViewSet):
    queryset = Claim.objects.select_related("article__outlet", "fact", "actor")
    serializer_class = serializers.ClaimSerializer
