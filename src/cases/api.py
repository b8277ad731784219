"""REST API for cases: the same gate, the same access log as the pages."""

from django.db.models import Prefetch, Q
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from accounts.permissions import DoesCasework
from people.models import names_of
from privacy.models import Action, Purpose
from privacy.services import log_access
from wijkteam.api import ChoiceLabelField, FullNameField

from .access import get_case_for, involved_case_ids
from .models import Case, CaseEvent, LegalFramework
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


urlpatterns = [
    path("cases/", CaseList.as_view(), name="case-list"),
    path("cases/<int:pk>/", CaseDetail.as_view(), name="case-detail"),
]
