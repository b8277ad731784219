"""Maatwerk: from the team's indication advice to the municipality's decision (beschikking), the
allocation sent to the provider as an iWmo/iJw 301 message, the messages exchanged with providers
(requests 315/317 and their answers, start and stop of care 305/307, declarations 323, the iJw
retour messages) and budgets.

The team advises; a beschikker of the municipality decides. Reads of advices and decisions go
through ``maatwerk.access.get_advice_for`` (they carry a resident's personal data).
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkteam.reference import codelist


def _choices(standard: str, filename: str) -> list[tuple[str, str]]:
    return [(code, description) for code, description in codelist(standard, filename)]


# The iWmo/iJw code lists (the same codes in both standards).
UNIT_CHOICES = _choices("wmo", "WJ756_Eenheid.md")
FREQUENCY_CHOICES = _choices("wmo", "WMO757_Frequentie.md")


class Frequency:
    """WMO757: how often the volume is delivered."""

    PER_DAY = "1"
    PER_WEEK = "2"
    PER_MONTH = "4"
    TOTAL = "6"  # in total within the allocation's period


class DeliveryForm(models.TextChoices):
    IN_KIND = "natura", _("In kind (zorg in natura)")
    PGB = "pgb", _("Personal budget (PGB)")


class AdviceStatus(models.TextChoices):
    SUBMITTED = "ingediend", _("Waiting for a decision")
    GRANTED = "toegekend", _("Granted")
    REFUSED = "afgewezen", _("Refused")
    WITHDRAWN = "ingetrokken", _("Withdrawn")


# Open-ended support counts for one year in expected costs (as in plans.Arrangement).
OPEN_ENDED_DAYS = 365


def expected_cost(
    *, volume: int, frequency: str, unit_price: Decimal | None, starts_on: date, ends_on: date | None
) -> Decimal:
    """Volume times unit price times the number of periods (days, weeks, months) in the period."""
    if unit_price is None:
        return Decimal("0.00")
    amount = Decimal(volume) * unit_price
    if frequency == Frequency.TOTAL:
        return amount.quantize(Decimal("0.01"))
    days = Decimal(((ends_on - starts_on).days + 1) if ends_on else OPEN_ENDED_DAYS)
    periods = {
        Frequency.PER_DAY: days,
        Frequency.PER_WEEK: days / Decimal(7),
        Frequency.PER_MONTH: days / Decimal("30.4375"),
    }[frequency]
    return (amount * periods).quantize(Decimal("0.01"))


class IndicationAdviceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IndicationAdviceQuerySet":
        from .access import advice_visibility

        return self.filter(advice_visibility(user))


class IndicationAdvice(models.Model):
    """The team's advice on a customised provision: an advice, not a decision.

    The resident's application (aanvraag) starts the decision term: two weeks under the Wmo 2015
    (art. 2.3.5), eight weeks under the Jeugdwet (Awb 4:13).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="indication_advices")
    resident = models.ForeignKey(
        "people.Resident", verbose_name=_("for"), on_delete=models.PROTECT, related_name="indication_advices"
    )
    provision = models.ForeignKey(
        "provisions.Provision",
        verbose_name=_("advised provision"),
        on_delete=models.PROTECT,
        related_name="indication_advices",
    )
    requested_provision = models.ForeignKey(
        "provisions.Provision",
        verbose_name=_("asked for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("When the resident asked for something else (a stairlift) than is advised."),
    )
    volume = models.PositiveIntegerField(_("volume"))
    unit = models.CharField(_("unit"), max_length=2, choices=UNIT_CHOICES)
    frequency = models.CharField(_("frequency"), max_length=1, choices=FREQUENCY_CHOICES)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    delivery_form = models.CharField(
        _("delivery"), max_length=8, choices=DeliveryForm.choices, default=DeliveryForm.IN_KIND
    )
    preferred_provider = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("provider chosen by the resident"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    grounds = models.TextField(
        _("grounds"), help_text=_("Why this provision, and why own strength and general provisions are not enough.")
    )
    from_request = models.ForeignKey(
        "maatwerk.AllocationRequest",
        verbose_name=_("from the provider's request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advices",
    )
    reference = models.CharField(_("provider's reference"), max_length=36, blank=True)
    aanvraag_date = models.DateField(_("date of the application (aanvraag)"))
    decision_due = models.DateField(_("decision due"))
    status = models.CharField(_("status"), max_length=12, choices=AdviceStatus.choices, default=AdviceStatus.SUBMITTED)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    objects = IndicationAdviceQuerySet.as_manager()

    class Meta:
        ordering = ["decision_due", "pk"]
        verbose_name = _("indication advice")
        verbose_name_plural = _("indication advices")
        indexes = [models.Index(fields=["status", "decision_due"], name="advice_status_due")]

    def __str__(self) -> str:
        return f"{self.provision} ({self.aanvraag_date:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.status == AdviceStatus.SUBMITTED

    @property
    def overdue(self) -> bool:
        return self.is_open and self.decision_due < timezone.localdate()

    @property
    def expected_cost(self) -> Decimal:
        return expected_cost(
            volume=self.volume,
            frequency=self.frequency,
            unit_price=self.provision.unit_price,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
        )


class DecisionOutcome(models.TextChoices):
    GRANTED = "toegekend", _("Granted")
    REFUSED = "afgewezen", _("Refused")


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DecisionQuerySet":
        from .access import advice_visibility

        return self.filter(advice_visibility(user, via="advice__"))


class Decision(models.Model):
    """The beschikking: the municipality's decision on an indication advice."""

    advice = models.OneToOneField(IndicationAdvice, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=10, choices=DecisionOutcome.choices)
    provision = models.ForeignKey(
        "provisions.Provision", verbose_name=_("provision"), on_delete=models.PROTECT, related_name="decisions"
    )
    volume = models.PositiveIntegerField(_("volume"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=2, choices=UNIT_CHOICES, blank=True)
    frequency = models.CharField(_("frequency"), max_length=1, choices=FREQUENCY_CHOICES, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    delivery_form = models.CharField(_("delivery"), max_length=8, choices=DeliveryForm.choices, blank=True)
    provider = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    grounds = models.TextField(_("grounds"))
    unit_price = models.DecimalField(_("unit price (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True)
    expected_cost = models.DecimalField(_("expected cost (EUR)"), max_digits=12, decimal_places=2, default=0)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("date of the decision"))
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("decision (beschikking)")
        verbose_name_plural = _("decisions (beschikkingen)")
        indexes = [models.Index(fields=["outcome", "starts_on"], name="decision_outcome_start")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.provision}"

    @property
    def granted(self) -> bool:
        return self.outcome == DecisionOutcome.GRANTED

    @property
    def number(self) -> int:
        """The beschikkingnummer (LDT_Nummer)."""
        return self.pk


# Every iWmo/iJw 3.2 message the municipality sends or receives (maatwerk.istandaarden).
MessageKind = models.TextChoices(
    "MessageKind",
    [
        (kind, kind)
        for kind in (
            *(f"WMO{n}" for n in (301, 305, 307, 315, 317, 319, 323)),
            *(f"JW{n}" for n in (301, 302, 305, 306, 307, 308, 315, 316, 317, 318, 319, 320, 323, 325)),
        )
    ],
)


class AllocationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AllocationQuerySet":
        from .access import advice_visibility

        return self.filter(advice_visibility(user, via="decision__advice__"))


class Allocation(models.Model):
    """A toewijzing: a granted in-kind decision sent to the provider as a 301 message. The message
    is kept exactly as it was made."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="allocation")
    provider = models.ForeignKey("partners.Organisation", on_delete=models.PROTECT, related_name="allocations")
    kind = models.CharField(_("message"), max_length=6, choices=MessageKind.choices)
    message_id = models.CharField(_("message identification"), max_length=12, unique=True, null=True)  # noqa: DJ001
    xml = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    reference = models.CharField(_("provider's reference"), max_length=36, blank=True)
    ends_on = models.DateField(_("allocated until"), null=True, blank=True)
    # The real delivery, as the provider reports it (305 start, 307 stop of care).
    started_on = models.DateField(_("care started"), null=True, blank=True)
    stopped_on = models.DateField(_("care stopped"), null=True, blank=True)
    end_reason = models.CharField(_("reason care stopped"), max_length=2, blank=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("allocation (toewijzing)")
        verbose_name_plural = _("allocations (toewijzingen)")
        indexes = [models.Index(fields=["provider", "-created_at"], name="allocation_provider")]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"

    @property
    def number(self) -> int:
        """The toewijzingnummer (LDT_Nummer)."""
        return self.pk

    @property
    def filename(self) -> str:
        return f"{self.kind}_{self.message_id}.xml"

    @property
    def standard(self) -> str:
        return "jw" if self.kind.startswith("JW") else "wmo"

    @property
    def end_reason_display(self) -> str:
        from .istandaarden import end_reason_text

        return end_reason_text(self.end_reason, standard=self.standard) if self.end_reason else ""


class RequestStatus(models.TextChoices):
    PENDING = "open", _("To be handled")
    IN_PROGRESS = "in_onderzoek", _("Being looked into")
    ADVICE = "advies", _("Decision to make")
    GRANTED = "toegekend", _("Granted")
    REFUSED = "afgewezen", _("Refused")
    HANDLED = "afgehandeld", _("Handled")  # before the message cycle: marked by hand


OPEN_REQUEST = (RequestStatus.PENDING, RequestStatus.IN_PROGRESS)


class ResidentCheck(models.TextChoices):
    MATCH = "gelijk", _("Matches the registered resident")
    MISMATCH = "afwijkend", _("Name or date of birth differ from the registered resident")
    CONFIRMED = "bevestigd", _("Confirmed as the registered resident")
    UNKNOWN = "onbekend", _("Not known to the municipality")


class AllocationRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AllocationRequestQuerySet":
        from .access import allocation_request_visibility

        return self.filter(allocation_request_visibility(user))


class AllocationRequest(models.Model):
    """A provider's request for an allocation (verzoek om toewijzing, WMO315/JW315) or for a change
    of one (verzoek om wijziging, WMO317/JW317) that passed the XSD and the checks. Matched to a
    resident by BSN when the municipality knows them; a name or date of birth that differs is a
    warning the beschikker resolves."""

    municipality = models.ForeignKey("areas.Municipality", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="allocation_requests"
    )
    provider_agb = models.CharField(_("AGB code of the sender"), max_length=8)
    kind = models.CharField(_("message"), max_length=6, choices=MessageKind.choices)
    message_id = models.CharField(_("message identification"), max_length=12)
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="allocation_requests"
    )
    client_name = models.CharField(_("client"), max_length=250)
    birth_date = models.DateField(_("date of birth in the message"), null=True, blank=True)
    resident_check = models.CharField(
        _("resident"), max_length=10, choices=ResidentCheck.choices, default=ResidentCheck.UNKNOWN
    )
    products = models.JSONField(_("requested products"), default=list)
    reference = models.CharField(_("provider's reference"), max_length=36, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=1, blank=True)
    incoming = models.OneToOneField(
        "maatwerk.Message",
        verbose_name=_("received message"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="request",
    )
    xml = models.TextField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = AllocationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("request for an allocation")
        verbose_name_plural = _("requests for an allocation")
        constraints = [
            models.UniqueConstraint(fields=["provider_agb", "message_id"], name="allocation_request_unique_message")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"

    @property
    def is_change(self) -> bool:
        return self.kind.endswith("317")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST

    @property
    def needs_resident_check(self) -> bool:
        return self.resident_check == ResidentCheck.MISMATCH

    @property
    def standard(self) -> str:
        return "jw" if self.kind.startswith("JW") else "wmo"


class Direction(models.TextChoices):
    IN = "in", _("Received")
    OUT = "uit", _("Sent")


class MessageStatus(models.TextChoices):
    RECEIVED = "ontvangen", _("Received")
    AWAITING_ANSWER = "te_beantwoorden", _("Awaits our answer")
    ANSWERED = "beantwoord", _("Answered")
    SENT = "verstuurd", _("Sent")
    AWAITING_RETOUR = "wacht_op_retour", _("Awaits the provider's return message")
    ACCEPTED = "geaccepteerd", _("Accepted by the provider")
    REJECTED = "afgekeurd", _("Rejected by the provider")


AWAITING = (MessageStatus.AWAITING_ANSWER, MessageStatus.AWAITING_RETOUR)


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MessageQuerySet":
        from .access import message_visibility

        return self.filter(message_visibility(user))


class Message(models.Model):
    """One iWmo/iJw message exchanged with a provider, kept exactly as it was sent or received:
    the inbox and outbox per provider. ``due_on`` is when an answer is due (ours, or the
    provider's return message), as the iStandaarden set it."""

    municipality = models.ForeignKey("areas.Municipality", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("partners.Organisation", on_delete=models.PROTECT, related_name="istandaard_messages")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("message"), max_length=6, choices=MessageKind.choices)
    message_id = models.CharField(_("message identification"), max_length=12)
    dated = models.DateField(_("dated"))
    status = models.CharField(_("status"), max_length=16, choices=MessageStatus.choices)
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    answers = models.ForeignKey(
        "self", verbose_name=_("answers"), on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="istandaard_messages"
    )
    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    xml = models.TextField(editable=False)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    via_api = models.BooleanField(_("through the API"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("iWmo/iJw message")
        verbose_name_plural = _("iWmo/iJw messages")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "provider", "direction", "message_id"], name="message_unique_identification"
            )
        ]
        indexes = [
            models.Index(fields=["provider", "-created_at"], name="message_provider"),
            models.Index(fields=["municipality", "status", "due_on"], name="message_awaiting"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"

    @property
    def label(self) -> str:
        from .istandaarden import message_type

        return message_type(self.kind).label

    @property
    def filename(self) -> str:
        return f"{self.kind}_{self.message_id}.xml"

    @property
    def awaiting(self) -> bool:
        return self.status in AWAITING

    @property
    def overdue(self) -> bool:
        return self.awaiting and self.due_on is not None and self.due_on < timezone.localdate()


class DeclaredService(models.Model):
    """One service (prestatie) of a received declaration (323), checked against its allocation:
    accepted, or refused with the retour codes of the code list (WJ001). Amounts in euros; a
    credit is negative."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="services")
    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, null=True, blank=True, related_name="declared_services"
    )
    reference = models.CharField(_("reference"), max_length=20)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    volume = models.PositiveIntegerField(_("delivered volume"))
    unit = models.CharField(_("unit"), max_length=2, choices=UNIT_CHOICES)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    accepted = models.BooleanField(_("accepted"))
    codes = models.JSONField(_("retour codes"), default=list)

    class Meta:
        ordering = ["message", "pk"]
        verbose_name = _("declared service")
        verbose_name_plural = _("declared services")
        indexes = [models.Index(fields=["allocation", "accepted"], name="declared_allocation")]

    def __str__(self) -> str:
        return self.reference


class Budget(models.Model):
    """What the municipality budgets for customised provisions in a year: per provision, or for
    all provisions together when ``provision`` is empty."""

    municipality = models.ForeignKey("areas.Municipality", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    provision = models.ForeignKey(
        "provisions.Provision",
        verbose_name=_("provision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budgets",
    )
    amount = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["year", "provision__name"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year", "provision"], name="budget_unique"),
            models.UniqueConstraint(
                fields=["municipality", "year"], condition=models.Q(provision__isnull=True), name="budget_unique_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.provision or ''}".strip()
