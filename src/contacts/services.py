"""Planning and logging contacts; each writes an entry in the case history."""

import logging
import smtplib
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases.deadlines import day_off, next_visit_day
from cases.models import Case
from cases.services import record_changed, record_event
from partners.models import Organisation
from plans.services import regisseur_assign
from privacy.history import tracking
from privacy.models import ConsentMode, DataCategory
from privacy.services import CONSENT_TERM, consent_record, require_consent
from wijkteam.dates import add_months
from wijkteam.i18n import msgid
from wijkteam.text import written_text

from .models import CaseConference, Contact, ContactKind, ContactSeries, ContactStatus, Every, Message, MessageNotice

log = logging.getLogger("contacts.messages")

# How far ahead a recurring contact plans its visits; ``manage.py plan_contacts`` (daily) keeps it
# rolling, and completing a visit extends it too.
SERIES_HORIZON = timedelta(days=92)


def _check_open(case: Case) -> None:
    if case.is_closed:
        raise ValidationError(_("The case is closed: reopen it first."))


@transaction.atomic
def contact_plan(
    *, case: Case, professional: User, kind: str, planned_at: datetime, by: User, note: str = ""
) -> Contact:
    _check_open(case)
    contact = Contact.objects.create(
        case=case, professional=professional, kind=kind, planned_at=planned_at, note=note, status=ContactStatus.PLANNED
    )
    record_event(
        case=case,
        by=by,
        kind="contact_planned",
        summary=gettext_noop("%(kind)s planned for %(when)s"),
        data={
            "kind": msgid(ContactKind(kind).label),
            "when": timezone.localtime(planned_at).strftime("%d-%m-%Y %H:%M"),
        },
    )
    return contact


@transaction.atomic
def contact_log(
    *,
    case: Case,
    professional: User,
    kind: str,
    happened_at: datetime,
    by: User,
    duration_minutes: int | None = None,
    note: str = "",
    goals: Iterable = (),
) -> Contact:
    """Record a contact that took place without having been planned."""
    _check_open(case)
    if happened_at > timezone.now():
        raise ValidationError({"happened_at": _("A contact that took place cannot be in the future.")})
    contact = Contact.objects.create(
        case=case,
        professional=professional,
        kind=kind,
        happened_at=happened_at,
        duration_minutes=duration_minutes,
        note=note,
        status=ContactStatus.DONE,
    )
    _link_goals(contact, goals)
    _record_done(contact, by)
    return contact


@transaction.atomic
def contact_complete(
    *,
    contact: Contact,
    by: User,
    happened_at: datetime | None = None,
    duration_minutes: int | None = None,
    note: str = "",
    goals: Iterable = (),
) -> Contact:
    """A planned contact took place. A visit of a recurring contact plans the next ones."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status != ContactStatus.PLANNED:
        raise ValidationError(_("Only a planned contact can be completed."))
    contact.status = ContactStatus.DONE
    contact.happened_at = happened_at or contact.planned_at or timezone.now()
    if contact.happened_at > timezone.now():
        raise ValidationError({"happened_at": _("A contact that took place cannot be in the future.")})
    contact.duration_minutes = duration_minutes
    if note:
        contact.note = note
    contact.save(update_fields=["status", "happened_at", "duration_minutes", "note"])
    _link_goals(contact, goals)
    _record_done(contact, by)
    if contact.series_id:
        series_extend(series=contact.series)
    return contact


@transaction.atomic
def contact_cancel(*, contact: Contact, by: User, missed: bool = False) -> Contact:
    """A planned contact did not take place: cancelled beforehand, or missed."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status != ContactStatus.PLANNED:
        raise ValidationError(_("Only a planned contact can be cancelled."))
    contact.status = ContactStatus.MISSED if missed else ContactStatus.CANCELLED
    contact.save(update_fields=["status"])
    record_event(
        case=contact.case,
        by=by,
        kind="contact_missed" if missed else "contact_cancelled",
        summary=gettext_noop("%(kind)s of %(when)s missed")
        if missed
        else gettext_noop("%(kind)s of %(when)s cancelled"),
        data={
            "kind": msgid(ContactKind(contact.kind).label),
            "when": timezone.localtime(contact.planned_at).strftime("%d-%m-%Y %H:%M"),
        },
    )
    return contact


@transaction.atomic
def contact_correct(
    *,
    contact: Contact,
    by: User,
    note: str,
    reason: str,
    duration_minutes: int | None = None,
    rectification: bool = False,
) -> Contact:
    """Correct the note (and the duration) of a contact that took place; the old and the new text
    go into the history with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    current = Contact.objects.select_for_update().select_related("case").get(pk=contact.pk)
    if current.status != ContactStatus.DONE:
        raise ValidationError(_("Only a contact that took place can be corrected."))
    fields = ["note", "duration_minutes"]
    with tracking(current, fields, by=by, case=current.case, reason=reason, rectification=rectification) as changes:
        current.note, current.duration_minutes = note.strip(), duration_minutes
        current.save(update_fields=fields)
    if not changes:
        raise ValidationError(_("Nothing has changed."))
    record_changed(case=current.case, by=by, changes=changes, reason=reason)
    return current


def _record_done(contact: Contact, by: User) -> None:
    record_event(
        case=contact.case,
        by=by,
        kind="contact",
        summary=gettext_noop("%(kind)s on %(when)s (%(minutes)s min.)")
        if contact.duration_minutes
        else gettext_noop("%(kind)s on %(when)s"),
        data={
            "kind": msgid(ContactKind(contact.kind).label),
            "when": timezone.localtime(contact.happened_at).strftime("%d-%m-%Y"),
            "minutes": contact.duration_minutes or 0,
            "contact_id": contact.pk,
        },
        note=contact.note,
    )


def _link_goals(contact: Contact, goals: Iterable) -> None:
    goals = list(goals)
    if any(goal.plan.household_id != contact.case.household_id for goal in goals):
        raise ValidationError({"goals": _("Choose goals of this household's plan.")})
    contact.goals.set(goals)


# ---------------------------------------------------------------------------------------------
# Recurring contacts


def occurrences(series: ContactSeries, *, after: date | None, until: date) -> Iterator[date]:
    """The dates of the series after ``after`` up to ``until`` (and its end date). A monthly series
    keeps its day of the month; on the 29th-31st it falls on the last day of shorter months."""
    last = min(until, series.ends_on) if series.ends_on else until
    for index in range(10_000):
        if series.every == Every.WEEK:
            day = series.starts_on + timedelta(weeks=index * series.interval)
        else:
            day = add_months(series.starts_on, index * series.interval)
        if day > last:
            return
        if after is None or day > after:
            yield day


def days_off(series: ContactSeries, *, within: timedelta = timedelta(days=366)) -> list[tuple[date, str]]:
    """The visits of a series (not saved yet, or saved) in its first year that fall on a Sunday or a
    public holiday, each with why: what the form warns about before the visits are planned."""
    until = series.starts_on + within
    return [(day, why) for day in occurrences(series, after=None, until=until) if (why := day_off(day))]


@transaction.atomic
def series_create(
    *,
    case: Case,
    professional: User,
    by: User,
    starts_on: date,
    at,
    every: str = Every.MONTH,
    interval: int = 1,
    kind: str = ContactKind.HUISBEZOEK,
    duration_minutes: int = 60,
    ends_on: date | None = None,
    note: str = "",
    working_days_only: bool = False,
) -> ContactSeries:
    """Start a recurring contact and plan its first visits; with ``working_days_only`` a visit that
    falls on a Sunday or a public holiday moves to the next day that is neither (``series_extend``)."""
    _check_open(case)
    errors = {}
    if starts_on < timezone.localdate():
        errors["starts_on"] = [_("The first contact cannot be in the past.")]
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end date comes after the first contact.")]
    if not 1 <= interval <= 52:
        errors["interval"] = [_("Choose a number from 1 to 52.")]
    if errors:
        raise ValidationError(errors)
    series = ContactSeries.objects.create(
        case=case,
        professional=professional,
        kind=kind,
        every=every,
        interval=interval,
        starts_on=starts_on,
        at=at,
        duration_minutes=duration_minutes,
        ends_on=ends_on,
        note=note,
        working_days_only=working_days_only,
    )
    record_event(
        case=case,
        by=by,
        kind="contact_series",
        summary=gettext_noop("Recurring contact from %(from)s: %(what)s"),
        data={"from": starts_on.strftime("%d-%m-%Y"), "what": series.describe(), "series_id": series.pk},
        note=note,
    )
    series_extend(series=series)
    return series


def series_extend(*, series: ContactSeries, until: date | None = None) -> int:
    """Plan the series' visits up to the horizon; idempotent. Returns how many were added.

    With ``working_days_only`` a visit on a Sunday or a public holiday moves to the next day that is
    neither (``cases.deadlines.next_visit_day``). A move never merges two visits: when the series
    already has a visit on that day, the visit stays on its own date (both are kept, and the
    planned visit shows on the day-off date it was listed under when the series was made)."""
    if not series.active or series.case.is_closed:
        return 0
    until = until or timezone.localdate() + SERIES_HORIZON
    if series.planned_until and series.planned_until >= until:
        return 0
    added = 0
    with transaction.atomic():
        days = list(occurrences(series, after=series.planned_until, until=until))
        taken = set(days) | {
            timezone.localdate(moment)
            for moment in Contact.objects.filter(series=series).values_list("planned_at", flat=True)
        }
        for day in days:
            planned = day
            if series.working_days_only and (moved := next_visit_day(day)) not in taken:
                planned = moved
                taken.add(moved)
            moment = timezone.make_aware(datetime.combine(planned, series.at))
            _, created = Contact.objects.get_or_create(
                series=series,
                planned_at=moment,
                defaults={
                    "case_id": series.case_id,
                    "professional_id": series.professional_id,
                    "kind": series.kind,
                    "status": ContactStatus.PLANNED,
                    "note": series.note,
                },
            )
            added += created
        ContactSeries.objects.filter(pk=series.pk).update(planned_until=until)
        series.planned_until = until
    return added


@transaction.atomic
def series_stop(*, series: ContactSeries, by: User) -> ContactSeries:
    """Stop a recurring contact: its future planned visits are cancelled."""
    if not series.active:
        return series
    series.stopped_at = timezone.now()
    series.save(update_fields=["stopped_at"])
    Contact.objects.filter(series=series, status=ContactStatus.PLANNED, planned_at__gte=timezone.now()).update(
        status=ContactStatus.CANCELLED
    )
    record_event(
        case=series.case,
        by=by,
        kind="contact_series_stopped",
        summary=gettext_noop("Recurring contact stopped: %(what)s"),
        data={"what": series.describe(), "series_id": series.pk},
    )
    return series


def plan_all_series(*, until: date | None = None) -> int:
    """Extend every active series (the daily ``plan_contacts`` command)."""
    series = ContactSeries.objects.filter(stopped_at__isnull=True).exclude(case__status="afgesloten")
    return sum(series_extend(series=s, until=until) for s in series.select_related("case"))


UNREGISTERED_AFTER = timedelta(hours=2)


def unregistered(user: User, *, now: datetime | None = None):
    """Planned contacts of ``user`` whose time has passed without being registered: the reminder
    on 'Mijn werk' to record whether they took place or were missed."""
    now = now or timezone.now()
    return Contact.objects.filter(
        professional=user, status=ContactStatus.PLANNED, planned_at__lt=now - UNREGISTERED_AFTER
    ).order_by("planned_at")


# ---------------------------------------------------------------------------------------------
# Case conferences (casusoverleg)

# What partner organisations at a case conference hear about the case.
CONFERENCE_SHARES = (DataCategory.PERSONAL, DataCategory.QUESTION, DataCategory.PLAN)


@transaction.atomic
def conference_record(
    *,
    case: Case,
    by: User,
    held_at: datetime,
    decisions: str,
    attendees: Iterable[User] = (),
    partners: str = "",
    organisations: Iterable[Organisation] = (),
    regisseur: User | None = None,
    duration_minutes: int | None = None,
    consent_now: Iterable[Organisation] = (),
    consent_form: str = "",
) -> CaseConference:
    """Record a casusoverleg with its attendees and decisions. When it names a regisseur, the case
    (and the household's plan) get that regisseur. Partner organisations at the table hear the
    case: each needs the resident's valid consent (``CONFERENCE_SHARES``); ``consent_now``: the
    organisations the resident gave it to at the conference, recorded here (``consent_form``: how)."""
    if not decisions.strip():
        raise ValidationError({"decisions": _("Write down what was decided.")})
    organisations = list(organisations)
    for organisation in set(consent_now) & set(organisations):
        try:
            consent_record(
                resident=case.resident,
                organisation=organisation,
                categories=CONFERENCE_SHARES,
                purpose=str(_("Case conference on case %(reference)s") % {"reference": case.reference}),
                form=consent_form or ConsentMode.VERBAL,
                by=by,
                given_on=held_at.date() if held_at.date() <= timezone.localdate() else None,
                expires_on=timezone.localdate() + CONSENT_TERM,
            )
        except ValidationError as error:
            raise ValidationError({"consent_now": error.messages}) from error
    refused = []
    for organisation in organisations:
        try:
            require_consent(resident=case.resident, organisation=organisation, categories=CONFERENCE_SHARES)
        except ValidationError as error:
            refused.extend(error.messages)
    if refused:
        raise ValidationError({"organisations": refused})
    contact = contact_log(
        case=case,
        professional=by,
        kind=ContactKind.CASUSOVERLEG,
        happened_at=held_at,
        duration_minutes=duration_minutes,
        note=decisions.strip(),
        by=by,
    )
    conference = CaseConference.objects.create(
        contact=contact, partners=partners.strip(), decisions=decisions.strip(), regisseur=regisseur
    )
    conference.attendees.set(set(attendees) | {by})
    conference.organisations.set(organisations)
    if regisseur is not None:
        regisseur_assign(case=case, regisseur=regisseur, by=by, note=str(_("Agreed in the case conference")))
    return conference


def follow_up_end(case: Case) -> None:
    """A closed case has no visits ahead: recurring contacts stop, planned visits are cancelled
    (``casework.services.case_close``)."""
    now = timezone.now()
    ContactSeries.objects.filter(case=case, stopped_at__isnull=True).update(stopped_at=now)
    Contact.objects.filter(case=case, status=ContactStatus.PLANNED).update(status=ContactStatus.CANCELLED)


# --- Secure messages with the resident (Mijn Wijkteam) ------------------------------------------

MESSAGE_MAX = 2000


def message_text(text: str, *, empty: str = "") -> str:
    """A text the resident sends the team (a message; in Mijn Wijkteam also a request to change the
    plan): stripped, not empty (``empty``: what to say then), at most ``MESSAGE_MAX`` characters."""
    return written_text(text, most=MESSAGE_MAX, empty=empty or _("Write your message."))


@transaction.atomic
def message_from_resident(*, case: Case, text: str, contact: Contact | None = None, preferred: str = "") -> Message:
    """The resident writes to the team in the thread of their case; about a planned visit of that
    case with a preferred moment when they ask to move it. The history says that a message came,
    never what it says."""
    if case.is_closed:
        raise ValidationError({"text": [_("This question has been closed. Call or e-mail your team.")]})
    text = message_text(text)
    if contact is not None:
        if contact.case_id != case.pk or contact.status != ContactStatus.PLANNED:
            raise ValidationError(_("Only a planned visit can be moved."))
        preferred = (preferred or "").strip()
        if not preferred:
            raise ValidationError({"preferred": [_("Write when it would suit you.")]})
        if len(preferred) > 200:
            raise ValidationError({"preferred": [_("Write at most 200 characters.")]})
    message = Message.objects.create(
        case=case,
        from_resident=True,
        text=text,
        contact=contact,
        visit_at=contact.planned_at if contact else None,
        preferred=preferred if contact else "",
    )
    record_event(
        case=case,
        by=None,
        kind="message",
        summary=(
            gettext_noop("The resident asked to move a visit in Mijn Wijkteam")
            if contact
            else gettext_noop("The resident sent a message in Mijn Wijkteam")
        ),
    )
    return message


@transaction.atomic
def message_answer(*, case: Case, by: User, text: str, portal_url: str) -> Message:
    """A professional who may open the dossier answers in the thread. The resident's unread
    messages count as read by them; if the resident asked for it, an e-mail without any content
    tells them there is a message (``portal_url``: where to sign in), once the answer is saved."""
    text = message_text(text)
    message = Message.objects.create(case=case, from_resident=False, author=by, text=text)
    case.messages.filter(from_resident=True, read_at__isnull=True).update(read_at=timezone.now(), read_by=by)
    record_event(case=case, by=by, kind="message", summary=gettext_noop("Answered the resident in Mijn Wijkteam"))
    notice = MessageNotice.objects.filter(resident_id=case.resident_id).first()
    if notice is not None:
        address = notice.email
        transaction.on_commit(lambda: _notify(address, portal_url))
    return message


def _notify(address: str, portal_url: str) -> None:
    """The notice: that there is a message, where to read it; nothing of what it says, nor whose
    case it is (an e-mail can be read by others)."""
    try:
        _send_notice(address, portal_url)
    except (OSError, smtplib.SMTPException) as error:  # the answer stands; the resident sees it on signing in
        log.warning("Message notice not sent: %s", type(error).__name__)


def _send_notice(address: str, portal_url: str) -> None:
    send_mail(
        _("New message in Mijn Wijkteam"),
        _(
            "There is a new message for you in Mijn Wijkteam.\n\n"
            "Sign in with DigiD to read it: %(url)s\n\n"
            "For your privacy this e-mail does not say what the message is about."
        )
        % {"url": portal_url},
        None,
        [address],
    )


def messages_read(*, case: Case, by: User | None) -> int:
    """Mark the other side's messages as read: the resident's when ``by`` (the regisseur, or a team
    leader while the case has no regisseur) opens the thread; the team's when the resident does
    (``by`` is None). The number marked."""
    return case.messages.filter(from_resident=by is not None, read_at__isnull=True).update(
        read_at=timezone.now(), read_by=by
    )


@transaction.atomic
def message_notice_set(*, resident, email: str) -> MessageNotice | None:
    """The resident's choice: an e-mail without content on an answer at ``email``, or (empty) none."""
    email = (email or "").strip()
    if not email:
        MessageNotice.objects.filter(resident=resident).delete()
        return None
    try:
        EmailValidator()(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter an e-mail address like name@example.nl.")]}) from None
    notice, _created = MessageNotice.objects.update_or_create(resident=resident, defaults={"email": email})
    return notice


@transaction.atomic
def contact_move(*, contact: Contact, planned_at: datetime, by: User) -> Contact:
    """Move a planned visit to another moment (as the resident asked, or otherwise)."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status != ContactStatus.PLANNED:
        raise ValidationError(_("Only a planned contact can be moved."))
    old = contact.planned_at
    contact.planned_at = planned_at
    contact.save(update_fields=["planned_at"])
    record_event(
        case=contact.case,
        by=by,
        kind="contact_planned",
        summary=gettext_noop("%(kind)s moved from %(old)s to %(when)s"),
        data={
            "kind": msgid(ContactKind(contact.kind).label),
            "old": timezone.localtime(old).strftime("%d-%m-%Y %H:%M") if old else "",
            "when": timezone.localtime(planned_at).strftime("%d-%m-%Y %H:%M"),
        },
    )
    return contact
