"""REST API for partner organisations: referrals, their status, and the bekendheidsvraag.

A partner system signs in with its organisation's key (``Authorization: Token <key>``); a
referrer signed in on the website may use the same endpoints. A partner sees the status of its
own organisation's referrals (ontvangen, in behandeling, afgesloten) and never case content.
"""

import time

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from accounts.models import Role
from people.validators import normalise_bsn, normalise_postcode, validate_birth_date, validate_bsn, validate_postcode
from zrm.models import LifeDomain

from . import services
from .models import PartnerToken, Referral, ReferralSource, ReferralStatus, hash_token

app_name = "intake_api"

MAX_BODY_BYTES = 16_384


class PartnerClient:
    """The partner system behind a token: authenticated, but not a user of the website."""

    is_authenticated = True
    is_active = True
    role = Role.REFERRER

    def __init__(self, token: PartnerToken):
        self.organisation = token.organisation
        self.organisation_id = token.organisation_id
        self.pk = None


class PartnerTokenAuthentication(BaseAuthentication):
    keyword = b"token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the key as: Token <key>."))
        token = (
            PartnerToken.objects.filter(
                key_hash=hash_token(parts[1].decode(errors="replace")),
                revoked_at__isnull=True,
                organisation__active=True,
            )
            .select_related("organisation__municipality")
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked key."))
        return PartnerClient(token), token

    def authenticate_header(self, request) -> str:
        return "Token"


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "intake.api.PartnerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <key> — one key per partner organisation.",
        }


class IsPartner(BasePermission):
    """A partner system with its key, or a referrer of a partner organisation signed in."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and getattr(user, "role", None) == Role.REFERRER
            and getattr(user, "organisation_id", None)
        )


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")


class PartnerView(APIView):
    authentication_classes = [PartnerTokenAuthentication, SessionAuthentication]
    permission_classes = [IsPartner]

    def initial(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            raise PayloadTooLarge
        super().initial(request, *args, **kwargs)

    @property
    def organisation(self):
        return self.request.user.organisation


class ReferralStatusSerializer(serializers.ModelSerializer):
    """All a referrer gets back: their reference, when it came in, and its status."""

    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    status_label = serializers.CharField(read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "client_reference", "received_at", "status", "status_label"]


class ReferralInSerializer(serializers.Serializer):
    client_reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=200)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    postcode = serializers.CharField(max_length=7)
    huisnummer = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=99999, default=None)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    concern = serializers.CharField(max_length=4000)
    life_domains = serializers.SlugRelatedField(
        slug_field="code", queryset=LifeDomain.objects.all(), many=True, required=False, default=list
    )
    resident_informed = serializers.BooleanField(default=False)

    def validate_postcode(self, value: str) -> str:
        try:
            validate_postcode(value)
        except Exception as error:  # Django's ValidationError, with its Dutch message
            raise serializers.ValidationError(list(getattr(error, "messages", [str(error)]))) from None
        return normalise_postcode(value)

    def validate_birth_date(self, value):
        if value is not None:
            try:
                validate_birth_date(value)
            except Exception as error:
                raise serializers.ValidationError(list(getattr(error, "messages", [str(error)]))) from None
        return value


class Referrals(PartnerView):
    @extend_schema(responses=ReferralStatusSerializer(many=True), summary="The status of your referrals")
    def get(self, request):
        referrals = Referral.objects.of_organisation(self.organisation).select_related("case")[:200]
        return Response(ReferralStatusSerializer(referrals, many=True).data)

    @extend_schema(
        request=ReferralInSerializer,
        responses={
            201: ReferralStatusSerializer,
            200: OpenApiResponse(ReferralStatusSerializer, description="Already received (same client_reference)"),
        },
        summary="Refer a resident to the neighbourhood team",
    )
    def post(self, request):
        serializer = ReferralInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user if not isinstance(request.auth, PartnerToken) else None
        submitted = services.referral_submit(
            municipality=self.organisation.municipality,
            source=ReferralSource.PARTNER,
            organisation=self.organisation,
            referred_by=user,
            **serializer.validated_data,
        )
        body = ReferralStatusSerializer(submitted.referral).data
        return Response(body, status=status.HTTP_201_CREATED if submitted.created else status.HTTP_200_OK)


class ReferralDetail(PartnerView):
    @extend_schema(responses=ReferralStatusSerializer, summary="The status of one of your referrals")
    def get(self, request, pk: int):
        referral = Referral.objects.of_organisation(self.organisation).select_related("case").filter(pk=pk).first()
        if referral is None:
            raise exceptions.NotFound
        return Response(ReferralStatusSerializer(referral).data)


class KnownQueryInSerializer(serializers.Serializer):
    bsn = serializers.CharField(max_length=11, help_text="The resident's BSN (nine digits, eleven-test).")
    purpose = serializers.CharField(max_length=300)

    def validate_bsn(self, value: str) -> str:
        value = normalise_bsn(value)
        try:
            validate_bsn(value)
        except Exception as error:
            raise serializers.ValidationError(list(getattr(error, "messages", [str(error)]))) from None
        return value


class KnownQueryOutSerializer(serializers.Serializer):
    known = serializers.BooleanField()


class KnownQueryThrottle(BaseThrottle):
    """At most ``services.KNOWN_QUERY_LIMIT`` questions an hour per partner key (or signed-in
    referrer), counted in the shared cache: 429 with Retry-After beyond it."""

    def allow_request(self, request, view) -> bool:
        who = f"key:{request.auth.pk}" if isinstance(request.auth, PartnerToken) else f"user:{request.user.pk}"
        return services.known_query_allowed(who)

    def wait(self) -> int:
        return services.KNOWN_QUERY_WINDOW - int(time.time()) % services.KNOWN_QUERY_WINDOW


class KnownQuery(PartnerView):
    throttle_classes = [KnownQueryThrottle]

    @extend_schema(
        request=KnownQueryInSerializer,
        responses=KnownQueryOutSerializer,
        summary="Bekendheidsvraag: is this household known to the team? (yes/no, by BSN, logged)",
        description=(
            "At most 20 questions an hour per key (429 with Retry-After beyond that). Every question is "
            "kept and shown to the team and to the privacy officer beside the referrals of your organisation."
        ),
    )
    def post(self, request):
        serializer = KnownQueryInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user if not isinstance(request.auth, PartnerToken) else None
        answer = services.known_query_ask(
            organisation=self.organisation,
            asked_by=user,
            via_api=isinstance(request.auth, PartnerToken),
            **serializer.validated_data,
        )
        return Response({"known": answer.known})


urlpatterns = [
    path("verwijzingen/", Referrals.as_view(), name="referral-list"),
    path("verwijzingen/<int:pk>/", ReferralDetail.as_view(), name="referral-detail"),
    path("bekendheidsvraag/", KnownQuery.as_view(), name="known-query"),
]
