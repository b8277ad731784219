"""REST API for ZRM assessments of a case: read the trend, record an assessment of only the
domains the question needs."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import DoesCasework
from cases.access import get_case_for
from privacy.models import Action, Purpose

from .models import Assessment, DomainScore, LifeDomain, Moment, Score
from .services import Rating, assessment_record

app_name = "zrm_api"


class DomainScoreSerializer(serializers.ModelSerializer):
    domain = serializers.SlugRelatedField(slug_field="code", queryset=LifeDomain.objects.all())
    score = serializers.ChoiceField(choices=Score.choices)
    reason = serializers.CharField(min_length=5, max_length=500)

    class Meta:
        model = DomainScore
        fields = ["domain", "score", "reason"]


class AssessmentSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_full_name", read_only=True)
    scores = DomainScoreSerializer(many=True)
    moment = serializers.ChoiceField(choices=Moment.choices, required=False, allow_blank=True)

    class Meta:
        model = Assessment
        fields = ["id", "assessed_on", "moment", "by", "note", "scores"]
        read_only_fields = ["id", "by"]

    def validate_scores(self, scores):
        if not scores:
            raise serializers.ValidationError("Score at least one life domain: only those the question needs.")
        return scores


class CaseAssessments(APIView):
    """GET: every assessment of the case, oldest first. POST: a new assessment of the chosen
    domains, each with a score from 1 to 5 and a reason; never all thirteen by default."""

    permission_classes = [DoesCasework]

    def _case(self, request, pk, action):
        return get_case_for(request.user, pk, purpose=Purpose.CASEWORK, action=action)

    @extend_schema(responses=AssessmentSerializer(many=True))
    def get(self, request, pk: int):
        case = self._case(request, pk, Action.API_READ)
        assessments = case.assessments.select_related("by").prefetch_related("scores__domain")
        return Response(AssessmentSerializer(assessments.order_by("assessed_on", "pk"), many=True).data)

    @extend_schema(request=AssessmentSerializer, responses={201: AssessmentSerializer})
    def post(self, request, pk: int):
        case = self._case(request, pk, Action.API_READ)
        serializer = AssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            assessment = assessment_record(
                case=case,
                by=request.user,
                ratings=[Rating(s["domain"], int(s["score"]), s["reason"]) for s in data["scores"]],
                assessed_on=data.get("assessed_on"),
                moment=data.get("moment", ""),
                note=data.get("note", ""),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"scores": error.messages}
            ) from error
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


urlpatterns = [path("cases/<int:pk>/zrm/", CaseAssessments.as_view(), name="case-assessments")]
