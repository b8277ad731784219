"""The access log: who read which dossier, when, why and from where (NEN 7513).

Rows are only ever added. The queryset refuses update and delete, and on PostgreSQL a trigger
refuses UPDATE and DELETE on the table itself (migration 0002); the application's database role
may only add and read rows (wijkteam.database). Every row is a link of a chain: its position and a
seal over its content and the seal of the row before it, made with a key outside the database
(privacy.chain), so a row that was forged, changed or removed in the database shows. Subjects are
kept as plain ids so a purged dossier leaves its access history intact without personal data.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    SEARCH = "search", _("Searched")
    PRINT = "print", _("Printed")
    EXPORT = "export", _("Exported")
    API_READ = "api_read", _("Read through the API")
    BRP_LOOKUP = "brp_lookup", _("Looked up in the BRP")


class Purpose(models.TextChoices):
    CASEWORK = "casework", _("Casework")
    INTAKE = "intake", _("Intake of a question")
    SEARCH = "search", _("Finding a resident")
    DECISION = "decision", _("Decision on an application")
    CONSULTATION = "consultation", _("Advice asked by a colleague")
    BREAK_GLASS = "break_glass", _("Opened with a stated reason (break the glass)")
    PRIVACY_REQUEST = "privacy_request", _("Request of the resident (right of access)")
    KNOWN_QUERY = "known_query", _("A partner asked whether the household is known")
    REGISTRATION = "registration", _("Registering or updating a resident")
    POLICY = "policy", _("Policy information (aggregates only)")
    OWN_FILE = "own_file", _("The resident's own file (Mijn Wijkteam)")


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")


# The role of an access-log row written for a resident in Mijn Wijkteam: no user, the resident's id.
RESIDENT_ROLE = "resident"


class AccessLog(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=32)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    purpose = models.CharField(_("purpose"), max_length=32)
    resident_id = models.BigIntegerField(_("resident"), null=True, blank=True)
    household_id = models.BigIntegerField(_("household"), null=True, blank=True)
    case_id = models.BigIntegerField(_("case"), null=True, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    # The chain (privacy.chain): the row's position, and HMAC-SHA256 over the previous row's seal and
    # this row's content. Empty on rows written before the chain began.
    position = models.PositiveBigIntegerField(_("position in the chain"), null=True, blank=True, db_index=True)
    seal = models.CharField(_("seal"), max_length=64, blank=True, default="", db_default="")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["resident_id", "at"], name="accesslog_resident"),
            models.Index(fields=["household_id", "at"], name="accesslog_household"),
            models.Index(fields=["case_id", "at"], name="accesslog_case"),
            models.Index(fields=["user", "at"], name="accesslog_user"),
            models.Index(fields=["at"], name="accesslog_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.role} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")


class AccessLogHead(models.Model):
    """The last link of the access log's chain: its position and seal (one row). Locked by each
    writer in turn, so two processes never add the same position (privacy.chain). ``before_chain``:
    the last row id written before the chain began (those rows carry no seal)."""

    position = models.PositiveBigIntegerField(default=0)
    seal = models.CharField(max_length=64, blank=True, default="")
    before_chain = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("head of the access log's chain")

    def __str__(self) -> str:
        return f"{self.position} {self.seal[:12]}"


class DeletionRecord(models.Model):
    """What the retention purge deleted: the kind of record, how many, when and under which rule.
    No personal data and no ids that could be traced back to a person."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("kind of record"), max_length=40)
    count = models.PositiveIntegerField(_("number"))
    rule = models.CharField(_("rule"), max_length=200)

    class Meta:
        ordering = ["-at", "kind"]
        verbose_name = _("deletion record")
        verbose_name_plural = _("deletion records")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind} {self.count}"


class BreakGlassReason(models.TextChoices):
    CONTACT = "contact", _("The resident or a partner contacts us now and the regisseur is not available")
    STAND_IN = "stand_in", _("I stand in for the regisseur (absence, leave)")
    SAFETY = "safety", _("Crisis or concern about safety")
    OTHER = "other", _("Another reason")


class BreakGlassQuerySet(models.QuerySet):
    def active(self) -> "BreakGlassQuerySet":
        return self.filter(expires_at__gt=timezone.now())

    def unreviewed(self) -> "BreakGlassQuerySet":
        return self.filter(reviewed_at__isnull=True)


class BreakGlass(models.Model):
    """A team member who is neither regisseur nor involved opened the full dossier of a case of
    their team, with a stated reason ("break the glass"). The access lasts a working day; the team
    leader reviews every one, and the privacy officer sees those that were not followed up.

    The explanation may hold personal data: it is kept here, with the case, and never in the
    access log (which holds only the reason's code)."""

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="break_glasses"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    expires_at = models.DateTimeField(_("access until"))
    reason = models.CharField(_("reason"), max_length=16, choices=BreakGlassReason.choices)
    explanation = models.TextField(_("explanation"))
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("dossier opened with a reason")
        verbose_name_plural = _("dossiers opened with a reason")
        indexes = [models.Index(fields=["user", "expires_at"], name="breakglass_user_expires")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reason}"


class FieldChange(models.Model):
    """One changed field of a dossier: who changed it, when, the old and the new value, and why.

    Written by ``privacy.history.tracking`` inside the service that makes the change. Changes that
    already have their own history are not copied here: the case's status, regisseur, triage and
    escalation live in ``cases.CaseEvent`` and the plan in ``plans.PlanVersion``;
    ``privacy.history`` reads the three together. The value of an encrypted field (the BSN) is
    never stored: ``secret`` says that it changed, ``old`` and ``new`` stay empty.
    """

    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The dossier the change belongs to; deleted with it when its retention term has passed.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="field_changes"
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, null=True, blank=True, related_name="field_changes"
    )
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.CASCADE, null=True, blank=True, related_name="field_changes"
    )
    record = models.CharField(_("kind of record"), max_length=40, help_text=_("The model, e.g. people.resident."))
    record_id = models.PositiveBigIntegerField()
    record_label = models.CharField(_("record"), max_length=200)
    field = models.CharField(_("field"), max_length=60)
    old = models.TextField(_("old value"), blank=True)
    new = models.TextField(_("new value"), blank=True)
    secret = models.BooleanField(_("encrypted field (value not kept)"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    rectification = models.BooleanField(_("rectification at the resident's request (AVG art. 16)"), default=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [
            models.Index(fields=["case", "-at"], name="fieldchange_case"),
            models.Index(fields=["household", "-at"], name="fieldchange_household"),
            models.Index(fields=["resident", "-at"], name="fieldchange_resident"),
        ]

    def __str__(self) -> str:
        return f"{self.record_label}: {self.field}"


class DataCategory(models.TextChoices):
    """What a consent to share covers: named categories, never 'everything'."""

    PERSONAL = "personalia", _("Name, address and contact details")
    QUESTION = "vraag", _("The question and the situation")
    PLAN = "plan", _("The plan: goals, actions and arrangements")
    REPORT = "verslag", _("Conversation reports")
    ZRM = "zrm", _("ZRM scores")
    HEALTH = "gezondheid", _("Health")
    FINANCES = "financien", _("Income and debts")


class ConsentMode(models.TextChoices):
    WRITTEN = "schriftelijk", _("In writing")
    VERBAL = "mondeling", _("Verbally")


class ConsentStatus(models.TextChoices):
    VALID = "valid", _("valid")
    NOT_YET = "future", _("not yet valid")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ConsentQuerySet(models.QuerySet):
    def valid_on(self, day) -> "ConsentQuerySet":
        """Given on or before ``day``, not expired and not withdrawn on ``day``."""
        return self.filter(given_on__lte=day).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=day),
            models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gt=day),
        )


class Consent(models.Model):
    """A resident's consent to share named data with a named partner organisation for a purpose.

    Consent is not the legal basis for the team's own work (that is the law: ``cases.LegalFramework``
    on every case); it is asked only for sharing with a partner. It can expire and be withdrawn;
    a withdrawal is kept, not deleted, so the history shows what was allowed when.
    """

    resident = models.ForeignKey(
        "people.Resident", verbose_name=_("resident"), on_delete=models.CASCADE, related_name="consents"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    categories = models.JSONField(_("data to share"), default=list)
    purpose = models.CharField(_("purpose"), max_length=300)
    form = models.CharField(_("how given"), max_length=12, choices=ConsentMode.choices)
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    # A team member, or no user: the resident gave it in Mijn Wijkteam (``via_portal``).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    via_portal = models.BooleanField(_("given in Mijn Wijkteam"), default=False)
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_form = models.CharField(_("how withdrawn"), max_length=12, choices=ConsentMode.choices, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent to share")
        verbose_name_plural = _("consents to share")
        indexes = [models.Index(fields=["resident", "organisation"], name="consent_resident_org")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.given_on:%d-%m-%Y})"

    @property
    def category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(code, code)) for code in self.categories]

    def status_on(self, day) -> ConsentStatus:
        """The same rule as ``ConsentQuerySet.valid_on``, for one consent."""
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return ConsentStatus.WITHDRAWN
        if self.given_on > day:
            return ConsentStatus.NOT_YET
        if self.expires_on is not None and self.expires_on < day:
            return ConsentStatus.EXPIRED
        return ConsentStatus.VALID


class RectificationStatus(models.TextChoices):
    RECEIVED = "ontvangen", _("Received")
    HANDLED = "afgehandeld", _("Handled")


class RectificationRequest(models.Model):
    """A resident's request to correct what is held about them (AVG art. 16), made in Mijn
    Wijkteam: it reaches the regisseur (on the case page) and the privacy officer (the residents'
    requests). The answer is due within one month of receipt (AVG art. 12(3)); the resident sees
    the status and the answer. The correction itself is made on the resident's or the case's page
    (kept in the history as a rectification)."""

    resident = models.ForeignKey(
        "people.Resident", verbose_name=_("resident"), on_delete=models.CASCADE, related_name="rectification_requests"
    )
    text = models.TextField(_("what is wrong"), max_length=4000)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_on = models.DateField(_("answer due"))
    status = models.CharField(
        _("status"), max_length=12, choices=RectificationStatus.choices, default=RectificationStatus.RECEIVED
    )
    answer = models.TextField(_("answer"), blank=True)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("rectification request")
        verbose_name_plural = _("rectification requests")

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.received_at:%Y-%m-%d}"
