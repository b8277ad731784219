"""REST API for the household plan: read it through the same gate, with the same access log."""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import DoesCasework
from cases.access import get_household_for
from privacy.models import Action as AccessAction
from privacy.models import Purpose

from .models import Action, Arrangement, Goal, Plan
from .services import plan_costs

app_name = "plans_api"


class ActionSerializer(serializers.ModelSerializer):
    who = serializers.CharField()

    class Meta:
        model = Action
        fields = ["id", "description", "actor", "who", "due_on", "status"]


class GoalSerializer(serializers.ModelSerializer):
    domain = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # Explicit bounds: the model field's range differs per database and the schema must not.
    target_score = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, read_only=True)
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = ["id", "domain", "description", "target_score", "due_on", "status", "actions"]


class ArrangementSerializer(serializers.ModelSerializer):
    cost = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Expected cost; open-ended: one year")

    class Meta:
        model = Arrangement
        fields = [
            "id",
            "asked_for",
            "source",
            "description",
            "provision",
            "goal",
            "quantity",
            "frequency",
            "unit_price",
            "starts_on",
            "ends_on",
            "cost",
        ]


class CostsSerializer(serializers.Serializer):
    asked = serializers.DecimalField(max_digits=12, decimal_places=2)
    arranged = serializers.DecimalField(max_digits=12, decimal_places=2)


class PlanSerializer(serializers.ModelSerializer):
    regisseur = serializers.CharField(source="regisseur.get_full_name")
    version = serializers.IntegerField(min_value=1, read_only=True)
    goals = GoalSerializer(many=True, read_only=True)
    arrangements = ArrangementSerializer(many=True, read_only=True)
    costs = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "household",
            "version",
            "regisseur",
            "summary",
            "agreed_on",
            "agreement",
            "evaluate_on",
            "updated_at",
            "goals",
            "arrangements",
            "costs",
        ]

    @extend_schema_field(CostsSerializer)
    def get_costs(self, plan: Plan) -> dict:
        costs = plan_costs(plan)
        return CostsSerializer({"asked": costs.asked, "arranged": costs.arranged}).data


class PlanDetail(APIView):
    """The household's plan, its goals, actions and arrangements; ``version`` is the number a
    change must be based on."""

    permission_classes = [DoesCasework]

    @extend_schema(responses=PlanSerializer)
    def get(self, request, household_pk: int):
        household = get_household_for(
            request.user, household_pk, purpose=Purpose.CASEWORK, action=AccessAction.API_READ, dossier=True
        )
        plan = (
            Plan.objects.filter(household=household)
            .select_related("regisseur")
            .prefetch_related("goals__domain", "goals__actions__network_member", "arrangements")
            .first()
        )
        if plan is None:
            raise Http404
        return Response(PlanSerializer(plan).data)


urlpatterns = [path("households/<int:household_pk>/plan/", PlanDetail.as_view(), name="plan-detail")]
