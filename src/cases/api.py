"""REST API for cases: the same gate, the same access log as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import CASEWORK_ROLES, User
from accounts.permissions import DoesCasework
from people.models import names_of
from privacy.models import Action, Purpose
from privacy.services import log_access
from wijkteam.api import ChoiceLabelField, FullNameField

from . import services
from .access import get_case_for, involved_case_ids
from .models import Case, CaseEvent, CaseInvolvement, LegalFramework
from .workflow import Status

app_name = "cases_api"


class CaseSummarySerializer(serializers.ModelSerializer):
    resident = serializers.CharField(source="resident.display_name")
    team = serializers.CharField(source="team.name")
    regisseur = FullNameField(allow_null=True)
    status_label = ChoiceLabelField(source="status")
    frameworks = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "status",
            "status_label",
            "resident",
            "household",
            "team",
            "regisseur",
            "frameworks",
            "melding_date",
            "onderzoek_due",
            "opened_at",
            "closed_at",
        ]


class CaseEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_full_name", allow_null=True, default=None)
    text = serializers.CharField()

    class Meta:
        model = CaseEvent
        fields = ["at", "by", "kind", "text", "note", "data"]


class CaseDetailSerializer(CaseSummarySerializer):
    life_domains = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    events = serializers.SerializerMethodField()

    class Meta(CaseSummarySerializer.Meta):
        fields = [
            *CaseSummarySerializer.Meta.fields,
            "question",
            "triage",
            "triage_reason",
            "life_domains",
            "end_reason",
            "end_note",
            "version",
            "events",
        ]

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, case: Case) -> list[dict]:
        return CaseEventSerializer(case.events.select_related("by")[:200], many=True).data


_RELATED = ("resident", "team", "regisseur")


class CaseList(generics.ListAPIView):
    """The cases you may see; ``mine=true`` for those you are regisseur of or involved in."""

    permission_classes = [DoesCasework]
    serializer_class = CaseSummarySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[s.value for s in Status]),
            OpenApiParameter("mine", bool),
        ]
    )
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        log_access(
            user=request.user,
            action=Action.API_READ,
            purpose=Purpose.CASEWORK,
            detail=f"case list: {len(response.data.get('results', []))}",
        )
        return response

    def get_queryset(self):
        user = self.request.user
        queryset = (
            Case.objects.visible_to(user)
            .select_related(*_RELATED)
            .only(  # what the summary shows: a page of 50 rows loads nothing else
                *("reference", "status", "household_id", "melding_date", "onderzoek_due", "opened_at", "closed_at"),
                *("team__name", "regisseur__first_name", "regisseur__last_name", *names_of("resident")),
            )
            .prefetch_related(Prefetch("frameworks", LegalFramework.objects.only("code")))
            .order_by("-opened_at", "-pk")
        )
        status = self.request.query_params.get("status")
        if status:
            if status not in Status.values:
                raise serializers.ValidationError(
                    {"status": [f"Unknown status: choose one of {', '.join(Status.values)}."]}
                )
            queryset = queryset.filter(status=status)
        if self.request.query_params.get("mine") in {"true", "1"}:
            queryset = queryset.filter(Q(regisseur=user) | Q(pk__in=involved_case_ids(user)))
        return queryset


class CaseDetail(generics.RetrieveAPIView):
    permission_classes = [DoesCasework]
    serializer_class = CaseDetailSerializer

    def get_object(self) -> Case:
        return get_case_for(
            self.request.user,
            self.kwargs["pk"],
            purpose=Purpose.CASEWORK,
            action=Action.API_READ,
            queryset=Case.objects.select_related(*_RELATED).prefetch_related("frameworks", "life_domains"),
        )


class InvolvementSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, role__in=CASEWORK_ROLES),
        help_text="The professional who works on the case beside the regisseur.",
    )
    user_name = FullNameField(source="user")
    reason = serializers.CharField(
        write_only=True, max_length=500, help_text="Why they need the dossier: kept in the history."
    )

    class Meta:
        model = CaseInvolvement
        fields = ["id", "user", "user_name", "added_at", "ended_at", "reason"]
        read_only_fields = ["id", "added_at", "ended_at"]


class InvolvementEndSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why the involvement ends: kept in the history.")


def _refused(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )


class CaseInvolvements(APIView):
    """GET: the professionals involved in the case now. POST: involve one, with the reason; they
    open the full dossier from then on. The reason is kept in the case's history and shown in the
    privacy officer's access review."""

    permission_classes = [DoesCasework]

    def _case(self, request, pk):
        return get_case_for(request.user, pk, purpose=Purpose.CASEWORK, action=Action.API_READ)

    @extend_schema(responses=InvolvementSerializer(many=True))
    def get(self, request, pk: int):
        case = self._case(request, pk)
        involvements = case.involvements.filter(ended_at__isnull=True).select_related("user").order_by("pk")
        return Response(InvolvementSerializer(involvements, many=True).data)

    @extend_schema(request=InvolvementSerializer, responses={201: InvolvementSerializer})
    def post(self, request, pk: int):
        case = self._case(request, pk)
        serializer = InvolvementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            involvement = services.case_involve(case=case, user=data["user"], by=request.user, reason=data["reason"])
        except DjangoValidationError as error:
            raise _refused(error) from error
        return Response(InvolvementSerializer(involvement).data, status=status.HTTP_201_CREATED)


class CaseInvolvementEnd(APIView):
    """POST: end an involvement, with the reason."""

    permission_classes = [DoesCasework]

    @extend_schema(request=InvolvementEndSerializer, responses=InvolvementSerializer)
    def post(self, request, pk: int, involvement_pk: int):
        case = get_case_for(request.user, pk, purpose=Purpose.CASEWORK, action=Action.API_READ)
        involvement = case.involvements.filter(pk=involvement_pk).select_related("user", "case").first()
        if involvement is None:
            raise Http404
        serializer = InvolvementEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.case_involvement_end(
                involvement=involvement, by=request.user, reason=serializer.validated_data["reason"]
            )
        except DjangoValidationError as error:
            raise _refused(error) from error
        return Response(InvolvementSerializer(involvement).data)


urlpatterns = [
    path("cases/", CaseList.as_view(), name="case-list"),
    path("cases/<int:pk>/", CaseDetail.as_view(), name="case-detail"),
    path("cases/<int:pk>/involvements/", CaseInvolvements.as_view(), name="case-involvements"),
    path(
        "cases/<int:pk>/involvements/<int:involvement_pk>/end/",
        CaseInvolvementEnd.as_view(),
        name="case-involvement-end",
    ),
]
