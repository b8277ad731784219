"""REST API for neighbourhood insight and policy: practice signals (scenario 7), neighbourhood
initiatives (scenario 5) and district profiles. Aggregates come suppressed exactly as on the pages."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import CASEWORK_ROLES, Role, User
from areas.models import Area
from cases.access import get_household_for
from cases.models import Case
from people.validators import validate_not_future
from privacy.models import Purpose
from teams.models import Team
from teams.services import led_team_ids_of, team_ids_of
from wijkteam.limits import MAX_AMOUNT, MAX_BUDGET, MIN_BUDGET, amount_serializer_field
from wijkteam.suppression import as_data
from zrm.models import LifeDomain

from .aggregates import district_profile, initiative_reach
from .forms import PeriodForm
from .models import Initiative, Signal
from .services import (
    initiative_join,
    initiative_spend,
    initiative_start,
    signal_answer,
    signal_forward,
    signal_raise,
)

app_name = "insights_api"


class InsightRole(BasePermission):
    """Social workers, team leaders and policy officers."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and (user.role in CASEWORK_ROLES or user.role == Role.POLICY_OFFICER)
        )


def allowed(condition: bool) -> None:
    """Who may not do this hears so before their input is checked: 403, not 400. The service
    checks again; this only puts the answers in the right order."""
    if not condition:
        raise exceptions.PermissionDenied


@contextmanager
def service_errors():
    """A service's ValidationError as a 400 problem with ``invalid_params``."""
    try:
        yield
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        raise serializers.ValidationError(detail) from error


# --- signals ------------------------------------------------------------------------------------


class SignalSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", read_only=True)
    area = serializers.CharField(source="area.cbs_code", allow_null=True, read_only=True)
    theme = serializers.CharField(source="theme.code", allow_null=True, read_only=True)
    policy_officer = serializers.CharField(source="policy_officer.get_full_name", allow_null=True, read_only=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Signal
        fields = [
            "id",
            "team",
            "title",
            "description",
            "area",
            "theme",
            "evidence",
            "status",
            "raised_at",
            "policy_officer",
            "due_on",
            "forward_note",
            "answer",
            "answered_at",
            "overdue",
        ]


class SignalInSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    area = serializers.CharField(required=False, allow_blank=True, help_text="CBS district code, e.g. WK008041")
    theme = serializers.SlugRelatedField(
        slug_field="code", queryset=LifeDomain.objects.all(), required=False, allow_null=True
    )
    evidence = serializers.CharField(required=False, allow_blank=True)


class ForwardInSerializer(serializers.Serializer):
    policy_officer = serializers.IntegerField()
    due_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True)


class AnswerInSerializer(serializers.Serializer):
    answer = serializers.CharField()


def _signals(user):
    return Signal.objects.visible_to(user).select_related("team", "area", "theme", "policy_officer")


class SignalList(generics.ListCreateAPIView):
    """Signals you may see: your teams' signals, or those forwarded to you as policy officer."""

    permission_classes = [InsightRole]
    serializer_class = SignalSerializer

    def get_queryset(self):
        return _signals(self.request.user).order_by("-raised_at", "-pk")

    @extend_schema(request=SignalInSerializer, responses={201: SignalSerializer})
    def post(self, request, *args, **kwargs):
        allowed(request.user.role in CASEWORK_ROLES)  # the team raises signals; policy answers them
        data = SignalInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        team = Team.objects.filter(pk=values.pop("team"), pk__in=team_ids_of(request.user)).first()
        if team is None:
            raise serializers.ValidationError({"team": [_("Choose one of your teams.")]})
        code = values.pop("area", "")
        area = Area.objects.filter(cbs_code=code, municipality=team.municipality).first() if code else None
        if code and area is None:
            raise serializers.ValidationError({"area": [_("Unknown district code.")]})
        with service_errors():
            signal = signal_raise(by=request.user, team=team, area=area, **values)
        return Response(SignalSerializer(signal).data, status=status.HTTP_201_CREATED)


class SignalDetail(generics.RetrieveAPIView):
    permission_classes = [InsightRole]
    serializer_class = SignalSerializer

    def get_queryset(self):
        return _signals(self.request.user)


class SignalForward(APIView):
    """The team leader forwards a signal to a policy officer with a due date."""

    permission_classes = [InsightRole]

    @extend_schema(request=ForwardInSerializer, responses={200: SignalSerializer})
    def post(self, request, pk: int):
        signal = get_object_or_404(_signals(request.user), pk=pk)
        allowed(signal.team_id in led_team_ids_of(request.user))
        data = ForwardInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        officer = User.objects.filter(pk=data.validated_data["policy_officer"]).first()
        if officer is None:
            raise serializers.ValidationError({"policy_officer": [_("Unknown user.")]})
        with service_errors():
            signal = signal_forward(
                signal=signal,
                by=request.user,
                to=officer,
                due_on=data.validated_data["due_on"],
                note=data.validated_data.get("note", ""),
            )
        return Response(SignalSerializer(_signals(request.user).get(pk=signal.pk)).data)


class SignalAnswer(APIView):
    """The policy officer answers; the team sees the answer."""

    permission_classes = [InsightRole]

    @extend_schema(request=AnswerInSerializer, responses={200: SignalSerializer})
    def post(self, request, pk: int):
        signal = get_object_or_404(_signals(request.user), pk=pk)
        allowed(signal.policy_officer_id == request.user.pk)
        data = AnswerInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            signal = signal_answer(signal=signal, by=request.user, answer=data.validated_data["answer"])
        return Response(SignalSerializer(signal).data)


# --- initiatives --------------------------------------------------------------------------------


class InitiativeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="provision.name")
    description = serializers.CharField(source="provision.description")
    team = serializers.CharField(source="team.name")
    area = serializers.CharField(source="area.cbs_code")
    theme = serializers.CharField(source="theme.code", allow_null=True)
    spent = serializers.SerializerMethodField()
    reach = serializers.SerializerMethodField(help_text="Households that take part; '< 10' outside the team.")

    class Meta:
        model = Initiative
        fields = [
            "id",
            "name",
            "description",
            "team",
            "area",
            "theme",
            "budget",
            "spent",
            "started_on",
            "reach",
            "evaluation",
            "evaluated_on",
        ]

    def get_spent(self, initiative) -> str:
        return str(sum((e.amount for e in initiative.expenses.all()), 0))

    def get_reach(self, initiative) -> str:
        own_team = initiative.team_id in team_ids_of(self.context["request"].user)
        return as_data(initiative_reach(initiative, initiative.participants.count(), own_team=own_team))


class InitiativeInSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    name = serializers.CharField(max_length=200)
    description = serializers.CharField()
    area = serializers.CharField(help_text="CBS district code")
    theme = serializers.SlugRelatedField(
        slug_field="code", queryset=LifeDomain.objects.all(), required=False, allow_null=True
    )
    budget = amount_serializer_field(minimum=MIN_BUDGET, maximum=MAX_BUDGET)
    started_on = serializers.DateField()


class ExpenseInSerializer(serializers.Serializer):
    spent_on = serializers.DateField(
        validators=[validate_not_future], help_text="From the initiative's start up to today."
    )
    amount = amount_serializer_field(maximum=MAX_AMOUNT)
    description = serializers.CharField(max_length=200)


class ParticipantInSerializer(serializers.Serializer):
    case_reference = serializers.CharField(max_length=20)


def _initiatives(user):
    return (
        Initiative.objects.filter(team__municipality=user.municipality_id)
        .select_related("provision", "team", "area", "theme")
        .prefetch_related("expenses", "participants")
    )


class InitiativeList(generics.ListCreateAPIView):
    permission_classes = [InsightRole]
    serializer_class = InitiativeSerializer

    def get_queryset(self):
        return _initiatives(self.request.user).order_by("-started_on", "-pk")

    @extend_schema(request=InitiativeInSerializer, responses={201: InitiativeSerializer})
    def post(self, request, *args, **kwargs):
        allowed(bool(led_team_ids_of(request.user)))
        data = InitiativeInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        team = Team.objects.filter(pk=values.pop("team"), municipality=request.user.municipality_id).first()
        area = Area.objects.filter(cbs_code=values.pop("area"), municipality=request.user.municipality_id).first()
        if team is None or area is None:
            raise serializers.ValidationError(
                {"team" if team is None else "area": [_("Unknown in your municipality.")]}
            )
        with service_errors():
            initiative = initiative_start(by=request.user, team=team, area=area, **values)
        return Response(
            InitiativeSerializer(initiative, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class InitiativeDetail(generics.RetrieveAPIView):
    permission_classes = [InsightRole]
    serializer_class = InitiativeSerializer

    def get_queryset(self):
        return _initiatives(self.request.user)


class InitiativeExpenses(APIView):
    permission_classes = [InsightRole]

    @extend_schema(request=ExpenseInSerializer, responses={201: InitiativeSerializer})
    def post(self, request, pk: int):
        initiative = get_object_or_404(_initiatives(request.user), pk=pk)
        allowed(initiative.team_id in led_team_ids_of(request.user))
        data = ExpenseInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            initiative_spend(initiative=initiative, by=request.user, **data.validated_data)
        fresh = _initiatives(request.user).get(pk=pk)
        return Response(InitiativeSerializer(fresh, context={"request": request}).data, status=status.HTTP_201_CREATED)


class InitiativeParticipants(APIView):
    """Link the household of one of your cases; only the count of households leaves the team."""

    permission_classes = [InsightRole]

    @extend_schema(request=ParticipantInSerializer, responses={201: InitiativeSerializer})
    def post(self, request, pk: int):
        initiative = get_object_or_404(_initiatives(request.user), pk=pk)
        allowed(initiative.team_id in team_ids_of(request.user))
        data = ParticipantInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = Case.objects.visible_to(request.user).filter(reference=data.validated_data["case_reference"]).first()
        if case is None:
            raise Http404
        household = get_household_for(request.user, case.household_id, purpose=Purpose.CASEWORK)
        with service_errors():
            initiative_join(
                initiative=initiative, by=request.user, household=household, joined_on=timezone.localdate()
            )
        fresh = _initiatives(request.user).get(pk=pk)
        return Response(InitiativeSerializer(fresh, context={"request": request}).data, status=status.HTTP_201_CREATED)


# --- district profiles --------------------------------------------------------------------------


class AggregateRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    district = serializers.CharField(help_text="A count, or '< 10' when suppressed")
    district_figure = serializers.CharField(allow_null=True)
    municipality = serializers.CharField(allow_null=True)
    municipality_figure = serializers.CharField(allow_null=True)


class FigureRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()
    unit = serializers.CharField()
    municipality_value = serializers.CharField()
    provenance = serializers.CharField()


class ProfileSerializer(serializers.Serializer):
    code = serializers.CharField(source="area.cbs_code")
    name = serializers.CharField(source="area.name")
    start = serializers.DateField()
    end = serializers.DateField()
    figures = FigureRowSerializer(many=True)
    cases = AggregateRowSerializer(many=True, source="period_rows")
    domains = AggregateRowSerializer(many=True)
    triage = AggregateRowSerializer(many=True)
    provisions = AggregateRowSerializer(many=True)
    initiatives = AggregateRowSerializer(many=True)


def _as_text(profile):
    """Every count and derived figure as the text the page shows ('< 10' when suppressed)."""
    for rows in (profile.period_rows, profile.domains, profile.triage, profile.provisions, profile.initiatives):
        for row in rows:
            for name in ("district", "district_figure", "municipality", "municipality_figure"):
                value = getattr(row, name)
                setattr(row, name, None if value is None else as_data(value))
    return profile


class DistrictProfile(APIView):
    """Published figures with provenance beside anonymous case aggregates: whole calendar months,
    protected against differencing and suppressed below the threshold, as on the page."""

    permission_classes = [InsightRole]

    @extend_schema(
        parameters=[
            OpenApiParameter("van", OpenApiTypes.DATE, description="First day; widened to its month's first day."),
            OpenApiParameter("tot", OpenApiTypes.DATE, description="Last day; widened to its month's last day."),
        ],
        responses={200: ProfileSerializer},
    )
    def get(self, request, code: str):
        area = get_object_or_404(
            Area.objects.select_related("municipality"), cbs_code=code, municipality=request.user.municipality_id
        )
        form = PeriodForm(request.query_params or None)
        if form.refused:
            raise serializers.ValidationError(form.errors)
        start, end = form.period()
        return Response(ProfileSerializer(_as_text(district_profile(area, start=start, end=end))).data)


urlpatterns = [
    path("signals/", SignalList.as_view(), name="signal-list"),
    path("signals/<int:pk>/", SignalDetail.as_view(), name="signal-detail"),
    path("signals/<int:pk>/forward/", SignalForward.as_view(), name="signal-forward"),
    path("signals/<int:pk>/answer/", SignalAnswer.as_view(), name="signal-answer"),
    path("initiatives/", InitiativeList.as_view(), name="initiative-list"),
    path("initiatives/<int:pk>/", InitiativeDetail.as_view(), name="initiative-detail"),
    path("initiatives/<int:pk>/expenses/", InitiativeExpenses.as_view(), name="initiative-expenses"),
    path("initiatives/<int:pk>/participants/", InitiativeParticipants.as_view(), name="initiative-participants"),
    path("districts/<str:code>/profile/", DistrictProfile.as_view(), name="district-profile"),
]
