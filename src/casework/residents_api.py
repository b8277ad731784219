"""REST API for residents: search, with the same rules and access logging as the search page."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import DoesCasework
from cases.access import visible_residents
from people.search import search_residents
from privacy.models import Action, Purpose
from privacy.services import log_access

app_name = "people_api"


class ResidentSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    birth_date = serializers.DateField()
    postcode = serializers.CharField()
    huisnummer = serializers.IntegerField(allow_null=True)
    area = serializers.CharField(source="area.name", default=None, allow_null=True)
    household = serializers.IntegerField(source="household_id", allow_null=True)


class ResidentSearch(APIView):
    permission_classes = [DoesCasework]

    @extend_schema(
        summary="Find residents",
        description="Name fragments, a date of birth (dd-mm-yyyy), a BSN or a postcode with house number, combined.",
        parameters=[OpenApiParameter("q", str, required=True)],
        responses=ResidentSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = request.query_params.get("q", "")
        if len(query) > 100:
            raise serializers.ValidationError({"q": ["Ensure this field has no more than 100 characters."]})
        results, parsed = search_residents(visible_residents(request.user), query)
        if not parsed.empty:
            log_access(
                user=request.user,
                action=Action.API_READ,
                purpose=Purpose.SEARCH,
                detail=f"{parsed.kind}: {len(results)}",
            )
        return Response(ResidentSummarySerializer(results, many=True).data)


urlpatterns = [path("residents/", ResidentSearch.as_view(), name="resident-search")]
