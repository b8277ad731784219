"""REST API for providers' software: the iWmo/iJw messages over HTTPS, with the key of the
provider's organisation (the partner API keys of ``intake``; the organisation needs an AGB code).

- ``POST /api/v1/berichten/``: send a message (the XML file as the body, ``application/xml``); it
  is read and checked exactly as an upload by a beschikker: refused as a whole (400 problem with
  the reasons in plain Dutch, nothing stored) or received (201, with the iJw retour message);
- ``GET /api/v1/berichten/``: the messages exchanged with the municipality, newest first
  (``?na=<id>`` for those after one already fetched);
- ``GET /api/v1/berichten/<id>/``: one of them, the XML exactly as it was sent or received.
"""

from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from intake.api import PartnerTokenAuthentication
from intake.models import PartnerToken
from privacy.models import Action, Purpose
from privacy.services import log_access
from wijkteam.api import PROBLEM_CONTENT_TYPE, problem

from . import istandaarden, services
from .models import Message

app_name = "maatwerk_api"


class IsProvider(BasePermission):
    """A provider's software with its organisation's key: the organisation has an AGB code."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        return bool(
            isinstance(token, PartnerToken) and token.organisation.agb_code and token.organisation.municipality_id
        )


class ProviderView(APIView):
    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [IsProvider]

    @property
    def provider(self):
        return self.request.auth.organisation

    def messages(self):
        return Message.objects.visible_to(self.request.user)


class MessageSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "kind",
            "label",
            "direction",
            "message_id",
            "dated",
            "status",
            "status_label",
            "due_on",
            "answers",
        ]

    def get_answers(self, message) -> str | None:
        """The identification of the message this one answers."""
        return message.answers.message_id if message.answers_id else None


class ReceivedSerializer(serializers.Serializer):
    message = MessageSerializer()
    retour = MessageSerializer(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())


def _refused(request, errors: list[str], kind: str = "") -> Response:
    body = problem(
        status.HTTP_400_BAD_REQUEST,
        _("The message was refused and nothing was stored."),
        instance=request.path,
        kind=kind,
        errors=errors,
    )
    return Response(body, status=status.HTTP_400_BAD_REQUEST, content_type=PROBLEM_CONTENT_TYPE)


class Messages(ProviderView):
    @extend_schema(
        summary="The messages exchanged with the municipality, newest first",
        parameters=[OpenApiParameter("na", int, description="Only messages after this id (for polling).")],
        responses=MessageSerializer(many=True),
    )
    def get(self, request):
        messages = self.messages().select_related("answers").order_by("-pk")
        after = request.query_params.get("na", "")
        if after:
            if not after.isdigit():
                raise exceptions.ValidationError({"na": [_("Give the id of a message.")]})
            messages = messages.filter(pk__gt=int(after))
        return Response(MessageSerializer(messages[:200], many=True).data)

    @extend_schema(
        summary="Send an iWmo/iJw 3.2 message (305, 307, 315, 317, 323, JW302, JW320)",
        description="A message that is refused is refused as a whole and nothing is stored: the 400 problem "
        "adds `kind` (the message type found in the file, if any) and `errors` (every reason, in plain Dutch, "
        "with the line, the field and the value).",
        request={"application/xml": OpenApiTypes.BINARY},
        responses={201: ReceivedSerializer},
    )
    def post(self, request):
        length = request.META.get("CONTENT_LENGTH") or "0"
        size = int(length) if length.isdigit() else 0
        if size > istandaarden.MAX_BYTES:
            refused = istandaarden.too_large(size, request._request.read(65536))
            return _refused(request, refused.errors, refused.kind)
        content = request._request.read(istandaarden.MAX_BYTES + 1)
        if len(content) > istandaarden.MAX_BYTES:
            refused = istandaarden.too_large(len(content), content[:65536])
            return _refused(request, refused.errors, refused.kind)
        try:
            received = services.message_receive(
                municipality=self.provider.municipality, content=content, provider=self.provider
            )
        except istandaarden.Refused as refused:
            return _refused(request, refused.errors, refused.kind)
        body = {
            "message": MessageSerializer(received.message).data,
            "retour": MessageSerializer(received.retour).data if received.retour else None,
            "warnings": [],  # what the beschikker must resolve stays with the municipality
        }
        return Response(body, status=status.HTTP_201_CREATED)


class MessageDetail(ProviderView):
    @extend_schema(
        summary="One message, exactly as it was sent or received (application/xml)",
        responses={(200, "application/xml"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk: int):
        message = self.messages().filter(pk=pk).first()
        if message is None:
            raise exceptions.NotFound
        log_access(
            user=None,
            action=Action.API_READ,
            purpose=Purpose.DECISION,
            resident_id=message.resident_id,
            detail=f"provider {self.provider.agb_code}: {message.kind} {message.message_id}",
        )
        response = HttpResponse(message.xml.encode("utf-8"), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{message.filename}"'
        return response


urlpatterns = [
    path("berichten/", Messages.as_view(), name="message-list"),
    path("berichten/<int:pk>/", MessageDetail.as_view(), name="message-detail"),
]
