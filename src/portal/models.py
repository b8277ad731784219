"""What a resident did in Mijn Wijkteam that the team must see: agreeing to the plan digitally, or
asking for a change in it. Kept beside the plan (as the resident's comments on the report are kept
beside it) and shown to the regisseur on the plan page."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResponseKind(models.TextChoices):
    AGREED = "akkoord", _("Agreed to the plan")
    CHANGE = "wijziging", _("Asked for a change")


class PlanResponse(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="resident_responses")
    resident = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("what"), max_length=10, choices=ResponseKind.choices)
    text = models.TextField(_("what the resident asks"), max_length=2000, blank=True)
    plan_version = models.PositiveIntegerField(_("plan version"))
    level_of_assurance = models.CharField(_("DigiD level"), max_length=16)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("response of the resident to the plan")
        verbose_name_plural = _("responses of the resident to the plan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"
