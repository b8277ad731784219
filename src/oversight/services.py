"""Writes of the oversight pages: opening a colleague's dossier with a stated reason ("break the
glass"), and the team leader's review of it."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import forget_gate_facts, log_case_access, may_open
from privacy.models import Action, BreakGlass, BreakGlassReason, Purpose


@transaction.atomic
def break_glass_open(*, user, case, reason: str, explanation: str) -> BreakGlass:
    """Open the full dossier of a case the user knows of but is not on ("break the glass"). The
    access lasts ``BREAK_GLASS_HOURS``; the access log gets the reading with the reason's code."""
    if reason not in BreakGlassReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if not explanation.strip():
        raise ValidationError({"explanation": _("Say why you need the dossier now.")})
    if may_open(user, case):
        raise ValidationError(_("You can already open this dossier."))
    now = timezone.now()
    grant = BreakGlass.objects.create(
        case=case,
        user=user,
        at=now,
        expires_at=now + timedelta(hours=settings.WIJKTEAM["BREAK_GLASS_HOURS"]),
        reason=reason,
        explanation=explanation.strip(),
    )
    log_case_access(user, case, action=Action.VIEW, purpose=Purpose.BREAK_GLASS, detail=f"reason: {reason}")
    forget_gate_facts(user)  # the cached grants of this request are stale
    return grant


@transaction.atomic
def break_glass_review(*, grant: BreakGlass, by, note: str = "") -> BreakGlass:
    """The team leader (or the privacy officer) has looked at why the dossier was opened."""
    if grant.reviewed_at is not None:
        raise ValidationError(_("This has already been reviewed."))
    if grant.user_id == by.pk:
        raise ValidationError(_("Someone else reviews your own access."))
    grant.reviewed_at = timezone.now()
    grant.reviewed_by = by
    grant.review_note = note.strip()
    grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    return grant
