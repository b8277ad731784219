"""Contacts with a household: planned visits and the log of what happened."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    HUISBEZOEK = "huisbezoek", _("Home visit")
    TELEFOON = "telefoon", _("Phone call")
    SPREEKUUR = "spreekuur", _("Consultation hour")
    DIGITAAL = "digitaal", _("Digital")
    CASUSOVERLEG = "casusoverleg", _("Case conference")
    OVERIG = "overig", _("Other")


class ContactStatus(models.TextChoices):
    PLANNED = "gepland", _("Planned")
    DONE = "gedaan", _("Done")
    MISSED = "gemist", _("Missed")
    CANCELLED = "geannuleerd", _("Cancelled")


class Contact(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contacts")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("professional"), on_delete=models.PROTECT, related_name="contacts"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices, default=ContactKind.HUISBEZOEK)
    status = models.CharField(_("status"), max_length=16, choices=ContactStatus.choices, default=ContactStatus.PLANNED)
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    happened_at = models.DateTimeField(_("took place"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    series = models.ForeignKey(
        "ContactSeries", on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts", editable=False
    )
    goals = models.ManyToManyField(
        "plans.Goal", verbose_name=_("goals worked on"), blank=True, related_name="contacts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_at", "-planned_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["professional", "status", "planned_at"], name="contact_agenda"),
            models.Index(fields=["case", "status"], name="contact_case_status"),
        ]
        constraints = [
            # A series plans each date once, however often the schedule is extended.
            models.UniqueConstraint(fields=["series", "planned_at"], name="contact_series_date_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.when:%d-%m-%Y}" if self.when else self.get_kind_display()

    @property
    def when(self):
        return self.happened_at or self.planned_at


class Every(models.TextChoices):
    WEEK = "week", _("week")
    MONTH = "maand", _("month")


class ContactSeries(models.Model):
    """A recurring contact ('one hour every month'), with or without an end date.

    It plans its contacts ahead (``contacts.services.series_extend``), so they appear on the
    professional's 'Mijn werk' like any planned visit, and a visit that is not registered after
    its time shows up there as a reminder.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contact_series")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("professional"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices, default=ContactKind.HUISBEZOEK)
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    every = models.CharField(_("period"), max_length=8, choices=Every.choices, default=Every.MONTH)
    starts_on = models.DateField(_("first contact on"))
    at = models.TimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    ends_on = models.DateField(_("last contact on or before"), null=True, blank=True)
    note = models.CharField(_("what the contact is for"), max_length=300, blank=True)
    working_days_only = models.BooleanField(
        _("visits on Sundays and public holidays move to the next working day"), default=False
    )
    planned_until = models.DateField(null=True, blank=True, editable=False)
    stopped_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("recurring contact")
        verbose_name_plural = _("recurring contacts")

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        if self.interval == 1:
            text = _("every week") if self.every == Every.WEEK else _("every month")
        else:
            text = (_("every %(n)s weeks") if self.every == Every.WEEK else _("every %(n)s months")) % {
                "n": self.interval
            }
        return f"{self.get_kind_display()}, {text}"

    @property
    def active(self) -> bool:
        return self.stopped_at is None


class CaseConference(models.Model):
    """A casusoverleg: who attended (also from partner organisations), what was decided, and who
    became regisseur."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="conference")
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("colleagues present"), related_name="+"
    )
    organisations = models.ManyToManyField(
        "partners.Organisation",
        verbose_name=_("partner organisations present"),
        blank=True,
        related_name="+",
        help_text=_("Sharing the case with them needs the resident's consent."),
    )
    partners = models.TextField(
        _("present from partner organisations"),
        blank=True,
        help_text=_("One per line: name, organisation. For example: J. de Vries, Kredietbank Leeuwarden."),
    )
    decisions = models.TextField(_("decisions"))
    regisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regisseur agreed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")

    def __str__(self) -> str:
        return str(self.contact)

    @property
    def partner_lines(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


class Message(models.Model):
    """A secure message between a resident (in Mijn Wijkteam) and the team, in the thread of the
    resident's case. The content is only ever shown behind a sign-in: never sent by e-mail. A
    message from the resident may be about a planned visit (``contact``): asking to move it, with
    the moment the resident prefers."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="messages")
    from_resident = models.BooleanField(_("from the resident"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("message"), max_length=2000)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("about the visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    visit_at = models.DateTimeField(_("the visit was planned for"), null=True, blank=True)
    preferred = models.CharField(_("preferred moment"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["case", "from_resident", "read_at"], name="message_unread")]

    def __str__(self) -> str:
        return f"{self.case} {self.sent_at:%Y-%m-%d %H:%M}"


class MessageNotice(models.Model):
    """The resident wants an e-mail (without content) when the team answers, at this address. No
    row: no e-mail. SMS is not built (no provider)."""

    resident = models.OneToOneField("people.Resident", on_delete=models.CASCADE, related_name="message_notice")
    email = models.EmailField(_("e-mail address for notices"))
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice of new messages")
        verbose_name_plural = _("notices of new messages")

    def __str__(self) -> str:
        return self.email
