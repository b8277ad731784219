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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_at", "-planned_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["professional", "status", "planned_at"], name="contact_agenda"),
            models.Index(fields=["case", "status"], name="contact_case_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.when:%d-%m-%Y}" if self.when else self.get_kind_display()

    @property
    def when(self):
        return self.happened_at or self.planned_at
