"""REST API for residents: search, with the same rules and access logging as the search page."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import DoesCasework
from cases.access import get_resident_for, visible_residents
from cases.queue import where_it_went
from casework.services import resident_change
from people.brp import client as brp_client
from people.brp.fill import FORM_FIELDS
from people.forms import ResidentChangeForm, ResidentForm
from people.models import NameUse, Resident, Sex
from people.search import search_residents
from people.services import resident_register
from people.validators import normalise_bsn
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


urlpatterns: list = []


# --- registering and changing residents: the same checks as the form (ResidentForm) ---------------


class BrpUnavailableProblem(APIException):
    status_code = 503
    default_detail = "The BRP does not answer now: send the resident's data yourself, or try again later."


class ResidentWriteSerializer(serializers.Serializer):
    """A resident's data as the form takes it; or ``from_brp`` with a ``bsn``: the BRP gives the rest."""

    from_brp = serializers.BooleanField(required=False, default=False)
    bsn = serializers.CharField(required=False, allow_blank=True, max_length=11)
    voornamen = serializers.CharField(required=False, allow_blank=True, max_length=200)
    adellijke_titel = serializers.CharField(required=False, allow_blank=True, max_length=2)
    voorvoegsel = serializers.CharField(required=False, allow_blank=True, max_length=20)
    geslachtsnaam = serializers.CharField(required=False, allow_blank=True, max_length=200)
    geslacht = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    naamgebruik = serializers.ChoiceField(choices=NameUse.choices, required=False)
    partner_adellijke_titel = serializers.CharField(required=False, allow_blank=True, max_length=2)
    partner_voorvoegsel = serializers.CharField(required=False, allow_blank=True, max_length=20)
    partner_geslachtsnaam = serializers.CharField(required=False, allow_blank=True, max_length=200)
    partner_ended = serializers.BooleanField(required=False)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=7)
    huisnummer = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=99999)
    huisletter = serializers.CharField(required=False, allow_blank=True, max_length=1)
    huisnummertoevoeging = serializers.CharField(required=False, allow_blank=True, max_length=4)
    straat = serializers.CharField(required=False, allow_blank=True, max_length=200)
    woonplaats = serializers.CharField(required=False, allow_blank=True, max_length=100)
    country = serializers.CharField(required=False, allow_blank=True, max_length=60)
    address_abroad = serializers.CharField(required=False, allow_blank=True, max_length=300)
    rni = serializers.BooleanField(required=False)
    geheimhouding = serializers.BooleanField(required=False)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    district = serializers.IntegerField(
        required=False, allow_null=True, help_text="Where the postcode lies in several districts: the one chosen."
    )
    confirm_different = serializers.BooleanField(
        required=False, help_text="Another person with the same surname and date of birth is registered: confirm."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, help_text="Why it changes.")


class ResidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    aanschrijfwijze = serializers.CharField()
    aanhef = serializers.CharField()
    birth_date = serializers.DateField()
    area = serializers.CharField(source="area.name", default=None, allow_null=True)
    household = serializers.IntegerField(allow_null=True)
    where = serializers.CharField(help_text="Which team serves the resident, or the municipal intake queue.")


def _as_form_data(data: dict, base: dict | None = None) -> dict:
    """The API's fields as the form's data (checkboxes "on", empty for None)."""
    form_data = dict(base or {})
    for key, value in data.items():
        if key in {"from_brp"}:
            continue
        if isinstance(value, bool):
            form_data.pop(key, None)
            if value:
                form_data[key] = "on"
        elif value is None:
            form_data[key] = ""
        else:
            form_data[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return form_data


def _with_brp(request: Request, data: dict, bsn: str) -> dict:
    """The data the BRP gives for the BSN, under what the request sent itself."""
    if not brp_client.configured():
        raise BrpUnavailableProblem
    try:
        found = brp_client.lookup_bsn(bsn=normalise_bsn(bsn), user=request.user, purpose=Purpose.REGISTRATION)
    except brp_client.BrpUnavailable:
        raise BrpUnavailableProblem from None
    if found is None:
        raise serializers.ValidationError({"bsn": ["The BRP knows no person with this BSN."]})
    filled = {k: v for k, v in found.fields.items() if k in FORM_FIELDS and v not in (None, "")}
    return {**_as_form_data(filled), **data, "bsn": found.bsn}


def _form_errors(form) -> serializers.ValidationError:
    return serializers.ValidationError({field: list(errors) for field, errors in form.errors.items()})


def _resident_out(resident: Resident) -> dict:
    household = resident.memberships.select_related("household__area", "household__team").first()
    resident.household = household.household_id if household else None
    resident.where = where_it_went(household.household) if household else ""
    return ResidentSerializer(resident).data


def _registered(form, create):
    data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_different"}
    try:
        return create(data)
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from None


class Residents(ResidentSearch):
    """GET: find residents; POST: register one."""

    permission_classes = [DoesCasework]
    problem_statuses = (503,)

    @extend_schema(
        summary="Register a resident",
        description="By BSN with ``from_brp`` (the BRP gives the names and address; the lookup is logged), or "
        "with the data yourself. The same checks as the form: the BSN's eleven-test, one resident per BSN, "
        "a second person with the same surname and date of birth only with ``confirm_different``, the "
        "district chosen where the postcode lies in several. A resident no team serves waits in the "
        "municipal intake queue; who registered them reaches them until a team takes them up.",
        request=ResidentWriteSerializer,
        responses={201: ResidentSerializer},
    )
    def post(self, request: Request) -> Response:
        incoming = ResidentWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        sent = (
            {k: v for k, v in request.data.items() if k in incoming.fields} if isinstance(request.data, dict) else {}
        )
        data = _as_form_data({k: incoming.validated_data[k] for k in sent if k in incoming.validated_data})
        if incoming.validated_data.get("from_brp"):
            data = _with_brp(request, data, incoming.validated_data.get("bsn", ""))
        form = ResidentForm(data, user=request.user)
        if not form.is_valid():
            raise _form_errors(form)
        with transaction.atomic():
            resident = _registered(form, lambda cleaned: resident_register(by=request.user, **cleaned))
        return Response(_resident_out(resident), status=201)


class ResidentUpdate(APIView):
    permission_classes = [DoesCasework]
    problem_statuses = (503,)

    @extend_schema(
        summary="Change a resident",
        description="Only the fields sent change (the history keeps old and new, with ``reason``); "
        "``from_brp``: refresh from the BRP by the resident's BSN. The same checks as the form.",
        request=ResidentWriteSerializer,
        responses={200: ResidentSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        resident = get_resident_for(request.user, pk, purpose=Purpose.REGISTRATION, action=Action.API_READ)
        incoming = ResidentWriteSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        sent = (
            {k: v for k, v in request.data.items() if k in incoming.fields} if isinstance(request.data, dict) else {}
        )
        changes = _as_form_data({k: incoming.validated_data[k] for k in sent if k in incoming.validated_data})
        if incoming.validated_data.get("from_brp"):
            changes = _with_brp(request, changes, incoming.validated_data.get("bsn") or resident.bsn)
            changes.pop("bsn", None)
        current = ResidentChangeForm(instance=resident, user=request.user)
        base = {name: current[name].value() for name in current.fields}
        form = ResidentChangeForm(_as_form_data(changes, _as_form_data(base)), instance=resident, user=request.user)
        if not form.is_valid():
            raise _form_errors(form)
        with transaction.atomic():
            changed = _registered(
                form, lambda _data: resident_change(resident=resident, by=request.user, **form.changes())
            )
        return Response(_resident_out(changed))


urlpatterns += [
    path("residents/", Residents.as_view(), name="resident-search"),
    path("residents/<int:pk>/", ResidentUpdate.as_view(), name="resident-update"),
]
