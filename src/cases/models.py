"""Cases (dossiers): one household, one regisseur, one team, a status and a history.

Views read cases only through ``Case.objects.visible_to(user)`` and ``cases.access.get_case_for``.
Writes go through ``cases.services``; each writes a ``CaseEvent``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .workflow import DECIDING, INVESTIGATING, Status


class LegalFramework(models.Model):
    """The law a case is processed under: the legal basis, kept apart from consent."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    retention_years = models.PositiveSmallIntegerField(_("retention after closure (years)"))
    retention_source = models.CharField(_("source of the retention term"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("legal framework")
        verbose_name_plural = _("legal frameworks")

    def __str__(self) -> str:
        return self.name


class Triage(models.TextChoices):
    """The 80-20-5 model (``TRIAGE_MODEL``). The labels carry no percentages: 80, 20 and 5 are not
    three shares that add up (the 5 are among the 20)."""

    SELF_RELIANT = "zelfredzaam", _("Self-reliant: advice is enough")
    SUPPORT = "ondersteuning", _("Support on one or more domains")
    SPECIALIST = "specialistisch", _("Specialist care, team keeps regie")


TRIAGE_MODEL = _(
    "The 80-20-5 model: of every 100 residents who ask, about 80 manage with advice and their own network; "
    "about 20 need support from the team; of those 20, about 5 need specialist care, with the team keeping "
    "the regie."
)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        from .access import case_visibility

        return self.filter(case_visibility(user))

    def open(self) -> "CaseQuerySet":
        return self.exclude(status=Status.AFGESLOTEN)


class Case(models.Model):
    # Null until the row exists: the reference is made from the primary key (cases.services.case_open).
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, editable=False)  # noqa: DJ001
    household = models.ForeignKey(
        "people.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="cases"
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("main person"),
        on_delete=models.PROTECT,
        related_name="cases",
        help_text=_("The resident the question is about or who asked it."),
    )
    team = models.ForeignKey("teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="cases")
    regisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regisseur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_as_regisseur",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.AANGEMELD)
    frameworks = models.ManyToManyField(LegalFramework, verbose_name=_("legal framework"), related_name="cases")
    life_domains = models.ManyToManyField(
        "zrm.LifeDomain", verbose_name=_("life domains"), blank=True, related_name="cases"
    )
    question = models.TextField(_("question"), help_text=_("The question as the resident or referrer put it."))
    triage = models.CharField(_("triage"), max_length=16, choices=Triage.choices, blank=True)
    triage_reason = models.TextField(_("reason for the triage"), blank=True)

    melding_date = models.DateField(_("date of the report (melding)"))
    onderzoek_due = models.DateField(_("investigation due"), null=True, blank=True)
    aanvraag_date = models.DateField(_("date of the application (aanvraag)"), null=True, blank=True)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=2, blank=True, help_text=_("iWmo code list WMO588."))
    end_note = models.TextField(_("closing note"), blank=True)
    escalated_to = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("escalated to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Specialist or safety-chain care; the team keeps regie."),
    )
    escalated_at = models.DateTimeField(_("escalated since"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["team", "status"], name="case_team_status"),
            models.Index(fields=["regisseur", "status"], name="case_regisseur_status"),
            models.Index(fields=["status", "onderzoek_due"], name="case_status_due"),
            # Newest first (the default order): lists take their first page from this index.
            models.Index(fields=["-opened_at", "-id"], name="case_newest_first"),
            # The pre-aggregated counts (insights.tallies) recount the cases of one day by these dates.
            models.Index(fields=["melding_date"], name="case_melding_date"),
            models.Index(fields=["onderzoek_due"], name="case_onderzoek_due"),
            # Throughput (management information): cases closed in a period, without reading the rows.
            models.Index(fields=["closed_at"], include=["team", "melding_date"], name="case_closed_at"),
        ]

    def __str__(self) -> str:
        return self.reference or gettext("New case")

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == Status.AFGESLOTEN

    @property
    def end_reason_label(self) -> str:
        """The WMO588 description of the end reason, e.g. 'Levering volgens plan beëindigd'."""
        from .workflow import end_reason_choices

        return dict(end_reason_choices()).get(self.end_reason, self.end_reason)

    @property
    def onderzoek_running(self) -> bool:
        """The Wmo investigation term applies and the investigation is not finished."""
        return self.onderzoek_due is not None and self.status in INVESTIGATING

    @property
    def onderzoek_overdue(self) -> bool:
        return self.onderzoek_running and self.onderzoek_due < timezone.localdate()

    @property
    def decision_running(self) -> bool:
        """An application awaits its decision (until the support is under way)."""
        return self.decision_due is not None and self.status in DECIDING

    @property
    def decision_overdue(self) -> bool:
        return self.decision_running and self.decision_due < timezone.localdate()

    @property
    def next_due(self):
        """The nearest running legal deadline, or None."""
        running = [
            d
            for d, on in ((self.onderzoek_due, self.onderzoek_running), (self.decision_due, self.decision_running))
            if on
        ]
        return min(running, default=None)

    @property
    def next_due_overdue(self) -> bool:
        return self.next_due is not None and self.next_due < timezone.localdate()


class CaseInvolvement(models.Model):
    """A professional who works on the case beside the regisseur."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="involvements")
    added_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=models.Q(ended_at__isnull=True), name="involvement_active_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "ended_at"], name="involvement_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.case}"


class CaseEvent(models.Model):
    """One entry in a case's history: who did what, when, with old and new values.

    ``summary`` is an English msgid (marked with gettext_noop where it is written) that is
    translated when shown; ``data`` fills its placeholders and keeps old/new values.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.SlugField(max_length=40)
    summary = models.CharField(max_length=200)
    data = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "-at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        values = {
            key: gettext(value) if isinstance(value, str) and value else value for key, value in self.data.items()
        }
        try:
            return gettext(self.summary) % values
        except (KeyError, TypeError, ValueError):
            return gettext(self.summary)


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConsultationQuerySet":
        from .access import consultation_visibility

        return self.filter(consultation_visibility(user))


class Consultation(models.Model):
    """A question to a colleague or an expertise group (vakgroep) about a case.

    The consulted colleague sees the question, as the asker wrote it, and answers it; they get no
    access to the dossier itself. Write the question without more personal data than it needs.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consultations")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    colleague = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("colleague"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    expertise = models.ForeignKey(
        "accounts.Expertise",
        verbose_name=_("expertise group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(colleague__isnull=False) | models.Q(expertise__isnull=False),
                name="consultation_has_addressee",
            )
        ]

    def __str__(self) -> str:
        return self.question[:50]

    @property
    def addressee(self) -> str:
        return str(self.colleague) if self.colleague_id else str(self.expertise)
