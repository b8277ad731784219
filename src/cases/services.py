"""Every change to a case: typed, keyword-only, transactional, and written into its history."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import Expertise, User
from partners.models import Organisation
from people.models import Household, Resident
from privacy.history import field_label, tracking
from teams.models import Team
from wijkteam.i18n import msgid

from . import deadlines
from .models import Case, CaseEvent, CaseInvolvement, Consultation, LegalFramework, Triage
from .workflow import INVESTIGATING, WORK_LABELS, Status, can_move, end_reason_choices, proven_by


def record_event(
    *, case: Case, by: User | None, kind: str, summary: str, data: dict | None = None, note: str = ""
) -> CaseEvent:
    """Add an entry to the case history. ``summary`` is an English msgid marked with
    ``gettext_noop`` by the caller; ``data`` holds its placeholders and old/new values."""
    return CaseEvent.objects.create(case=case, by=by, kind=kind, summary=summary, data=data or {}, note=note)


def _locked(case: Case) -> Case:
    """The case row, locked for the rest of the transaction (on PostgreSQL)."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _touch(case: Case, *fields: str) -> None:
    case.version = F("version") + 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    case.refresh_from_db(fields=["version"])


@transaction.atomic
def case_open(
    *,
    household: Household,
    resident: Resident,
    team: Team,
    question: str,
    frameworks: Iterable[LegalFramework],
    by: User,
    life_domains: Iterable = (),
    melding_date: date | None = None,
    regisseur: User | None = None,
) -> Case:
    """Open a case after a melding. Under the Wmo the six-week investigation term starts."""
    frameworks = list(frameworks)
    if not frameworks:
        raise ValidationError(_("Choose at least one legal framework."))
    if not household.members.filter(resident=resident).exists():
        raise ValidationError(_("The main person must belong to the household."))
    melding_date = melding_date or timezone.localdate()
    case = Case.objects.create(
        household=household,
        resident=resident,
        team=team,
        regisseur=regisseur,
        question=question,
        melding_date=melding_date,
        onderzoek_due=deadlines.onderzoek_due(melding_date) if any(f.code == "wmo" for f in frameworks) else None,
    )
    case.reference = f"{melding_date.year}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    case.frameworks.set(frameworks)
    case.life_domains.set(life_domains)
    record_event(
        case=case,
        by=by,
        kind="opened",
        summary=gettext_noop("Case opened in team %(team)s"),
        data={"team": team.name, "frameworks": [f.code for f in frameworks]},
    )
    if regisseur is not None:
        record_event(
            case=case,
            by=by,
            kind="regisseur",
            summary=gettext_noop("%(new)s became regisseur"),
            data={"old": "", "new": str(regisseur), "new_id": regisseur.pk},
        )
    return case


@transaction.atomic
def case_change_status(*, case: Case, to: str, by: User, note: str = "") -> Case:
    """Move the case along its workflow (``cases.workflow.TRANSITIONS``)."""
    if to == Status.AFGESLOTEN:
        raise ValidationError(_("Close a case with its end reason."))
    current = _locked(case)
    if current.status == Status.AFGESLOTEN:
        raise ValidationError(_("Reopen a closed case with a reason."))
    return _move(current, to=to, by=by, note=note)


@transaction.atomic
def case_advance(*, case: Case, work: str, by: User) -> Case | None:
    """Move the case to the status that ``work`` (a key of ``cases.workflow.WORK``) proves, skipping
    the steps the work shows were done; None when it proves nothing new. The caller has checked that
    the work was done."""
    current = _locked(case)
    target = proven_by(work, current.status)
    if target is None:
        return None
    moved = _move(current, to=target, by=by, note="", work=work)
    case.status, case.status_changed_at, case.version = moved.status, moved.status_changed_at, moved.version
    return moved


def _move(case: Case, *, to: str, by: User, note: str, kind: str = "status", work: str = "") -> Case:
    if not work and not can_move(case.status, to):
        raise ValidationError(
            _("A case cannot go from %(from)s to %(to)s.")
            % {"from": Status(case.status).label, "to": Status(to).label}
        )
    old = case.status
    case.status = to
    case.status_changed_at = timezone.now()
    _touch(case, "status", "status_changed_at")
    data = {"old": msgid(Status(old).label), "new": msgid(Status(to).label), "old_code": old, "new_code": to}
    summary = gettext_noop("Status changed from %(old)s to %(new)s")
    if work:
        summary = gettext_noop("Status changed from %(old)s to %(new)s: %(work)s")
        data.update(work=WORK_LABELS[work], work_code=work)
    record_event(case=case, by=by, kind=kind, summary=summary, data=data, note=note)
    return case


@transaction.atomic
def case_assign_regisseur(*, case: Case, regisseur: User, by: User, note: str = "") -> Case:
    """Make ``regisseur`` the case's regisseur (``plans.services.regisseur_assign`` also gives them
    the household's plan: call that one)."""
    if not regisseur.does_casework or not regisseur.is_active:
        raise ValidationError(_("Only an active social worker or team leader can be regisseur."))
    current = _locked(case)
    if current.regisseur_id == regisseur.pk:
        return current
    old = current.regisseur
    current.regisseur = regisseur
    _touch(current, "regisseur")
    CaseInvolvement.objects.filter(case=current, user=regisseur, ended_at__isnull=True).update(ended_at=timezone.now())
    record_event(
        case=current,
        by=by,
        kind="regisseur",
        summary=gettext_noop("%(new)s became regisseur"),
        data={
            "old": str(old) if old else "",
            "old_id": old.pk if old else None,
            "new": str(regisseur),
            "new_id": regisseur.pk,
        },
        note=note,
    )
    return current


@transaction.atomic
def case_involve(*, case: Case, user: User, by: User, reason: str) -> CaseInvolvement:
    """Add a professional who works on the case beside the regisseur: they may open the full
    dossier from now on (``cases.access``). The reason is kept in the case's history and shown in
    the privacy officer's access review."""
    if not user.does_casework or not user.is_active:
        raise ValidationError({"user": _("Only an active social worker or team leader can be involved in a case.")})
    if user.municipality_id != case.team.municipality_id:
        raise ValidationError({"user": _("Choose a professional of the case's municipality.")})
    if user.pk == case.regisseur_id:
        raise ValidationError({"user": _("The regisseur is on the case already.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why they need the dossier.")})
    _locked(case)
    involvement, created = CaseInvolvement.objects.get_or_create(case=case, user=user, ended_at=None)
    if not created:
        raise ValidationError({"user": _("They are involved in this case already.")})
    record_event(
        case=case,
        by=by,
        kind="involved",
        summary=gettext_noop("%(user)s joined the case"),
        data={"user": str(user), "user_id": user.pk},
        note=reason.strip(),
    )
    return involvement


@transaction.atomic
def case_involvement_end(*, involvement: CaseInvolvement, by: User, reason: str) -> CaseInvolvement:
    """End a professional's involvement: from now on they open the dossier only as anyone else in
    the team would. The reason is kept in the case's history and the access review."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why their involvement ends.")})
    _locked(involvement.case)
    ended = CaseInvolvement.objects.filter(pk=involvement.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    if not ended:
        raise ValidationError(_("This involvement has already ended."))
    involvement.refresh_from_db(fields=["ended_at"])
    record_event(
        case=involvement.case,
        by=by,
        kind="uninvolved",
        summary=gettext_noop("%(user)s no longer works on the case"),
        data={"user": str(involvement.user), "user_id": involvement.user_id},
        note=reason.strip(),
    )
    return involvement


@transaction.atomic
def case_close(*, case: Case, by: User, end_reason: str, note: str = "") -> Case:
    """Close the case with an iWmo end reason (WMO588). ``casework.services.case_close`` also ends
    its planned visits: call that one."""
    if end_reason not in dict(end_reason_choices()):
        raise ValidationError(_("Choose an end reason from the list."))
    current = _locked(case)
    _move(current, to=Status.AFGESLOTEN, by=by, note=note, kind="closed")
    current.closed_at = timezone.now()
    current.end_reason = end_reason
    current.end_note = note
    _touch(current, "closed_at", "end_reason", "end_note")
    return current


@transaction.atomic
def case_reopen(*, case: Case, by: User, reason: str) -> Case:
    """Reopen a closed case: it returns to investigation, with the reason in its history."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening."))
    current = _locked(case)
    if current.status != Status.AFGESLOTEN:
        raise ValidationError(_("Only a closed case can be reopened."))
    _move(current, to=Status.ONDERZOEK, by=by, note=reason, kind="reopened")
    current.closed_at = None
    current.end_reason = ""
    current.end_note = ""
    _touch(current, "closed_at", "end_reason", "end_note")
    return current


@transaction.atomic
def case_add_note(*, case: Case, by: User, text: str) -> CaseEvent:
    if not text.strip():
        raise ValidationError(_("A note cannot be empty."))
    return record_event(case=case, by=by, kind="note", summary=gettext_noop("Note"), note=text.strip())


@transaction.atomic
def case_escalate(*, case: Case, to: Organisation, by: User, reason: str) -> Case:
    """Opschalen: specialist or safety-chain care comes in; the team keeps regie."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for scaling up.")})
    current = _locked(case)
    if current.is_closed:
        raise ValidationError(_("The case is closed: reopen it first."))
    old = current.escalated_to
    current.escalated_to, current.escalated_at = to, timezone.now()
    _touch(current, "escalated_to", "escalated_at")
    record_event(
        case=current,
        by=by,
        kind="escalated",
        summary=gettext_noop("Scaled up to %(to)s; the team keeps regie"),
        data={"to": str(to), "to_id": to.pk, "old": str(old) if old else ""},
        note=reason.strip(),
    )
    return current


@transaction.atomic
def case_deescalate(*, case: Case, by: User, reason: str) -> Case:
    """Afschalen: the specialist care ends and the team carries on."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for scaling down.")})
    current = _locked(case)
    if current.escalated_to_id is None:
        raise ValidationError(_("This case is not scaled up."))
    old = current.escalated_to
    current.escalated_to, current.escalated_at = None, None
    _touch(current, "escalated_to", "escalated_at")
    record_event(
        case=current,
        by=by,
        kind="deescalated",
        summary=gettext_noop("Scaled down from %(from)s"),
        data={"from": str(old), "from_id": old.pk},
        note=reason.strip(),
    )
    return current


@transaction.atomic
def consultation_ask(
    *, case: Case, by: User, question: str, colleague: User | None = None, expertise: Expertise | None = None
) -> Consultation:
    """Ask a colleague or an expertise group for advice, without giving them the dossier."""
    errors = {}
    if not question.strip():
        errors["question"] = [_("Write down your question.")]
    if (colleague is None) == (expertise is None):
        errors["colleague"] = [_("Ask one colleague or one expertise group.")]
    if colleague is not None and (colleague == by or not colleague.does_casework or not colleague.is_active):
        errors["colleague"] = [_("Choose another active social worker or team leader.")]
    if errors:
        raise ValidationError(errors)
    consultation = Consultation.objects.create(
        case=case, asked_by=by, question=question.strip(), colleague=colleague, expertise=expertise
    )
    record_event(
        case=case,
        by=by,
        kind="consultation",
        summary=gettext_noop("Asked %(who)s for advice"),
        data={"who": consultation.addressee, "consultation_id": consultation.pk},
        note=consultation.question,
    )
    return consultation


@transaction.atomic
def consultation_answer(*, consultation: Consultation, by: User, answer: str) -> Consultation:
    if not answer.strip():
        raise ValidationError({"answer": _("Write down your answer.")})
    current = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if current.answered_at is not None:
        raise ValidationError(_("This question has already been answered."))
    current.answer, current.answered_by, current.answered_at = answer.strip(), by, timezone.now()
    current.save(update_fields=["answer", "answered_by", "answered_at"])
    record_event(
        case=current.case,
        by=by,
        kind="consultation_answer",
        summary=gettext_noop("%(who)s answered the request for advice"),
        data={"who": str(by), "consultation_id": current.pk},
        note=current.answer,
    )
    return current


@transaction.atomic
def case_triage(*, case: Case, triage: str, reason: str, by: User) -> Case:
    """80-20-5: record the triage and why. Specialist care is then scaled up (``case_escalate``);
    the team keeps regie."""
    if triage not in Triage.values:
        raise ValidationError({"triage": _("Choose a triage outcome.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the triage.")})
    current = _locked(case)
    if current.is_closed:
        raise ValidationError(_("The case is closed: reopen it first."))
    old = current.triage
    current.triage, current.triage_reason = triage, reason.strip()
    _touch(current, "triage", "triage_reason")
    record_event(
        case=current,
        by=by,
        kind="triage",
        summary=gettext_noop("Triage: %(new)s"),
        data={"old": msgid(Triage(old).label) if old else "", "new": msgid(Triage(triage).label), "new_code": triage},
        note=reason.strip(),
    )
    return current


@transaction.atomic
def case_record_aanvraag(*, case: Case, aanvraag_date: date, framework: LegalFramework, by: User) -> Case:
    """An application (aanvraag) starts the decision term: two weeks under the Wmo (art. 2.3.5),
    eight weeks under the Jeugdwet (Awb art. 4:13)."""
    if aanvraag_date > timezone.localdate():
        raise ValidationError({"aanvraag_date": _("The date cannot be in the future.")})
    if framework.code == "jeugdwet":
        due = deadlines.jeugdwet_decision_due(aanvraag_date)
    elif framework.code == "wmo":
        due = deadlines.wmo_decision_due(aanvraag_date)
    else:
        raise ValidationError({"framework": _("Only a Wmo or Jeugdwet application has a legal decision term.")})
    current = _locked(case)
    current.aanvraag_date, current.decision_due = aanvraag_date, due
    _touch(current, "aanvraag_date", "decision_due")
    record_event(
        case=current,
        by=by,
        kind="aanvraag",
        summary=gettext_noop("Application received; decision due %(due)s"),
        data={"due": due.strftime("%d-%m-%Y"), "framework": framework.code},
    )
    return current


@transaction.atomic
def case_update(
    *,
    case: Case,
    by: User,
    question: str,
    frameworks: Iterable[LegalFramework],
    life_domains: Iterable,
    reason: str = "",
    rectification: bool = False,
) -> Case:
    """Change the case's question, legal frameworks (its legal basis) and life domains. Each
    changed field goes into the history with the old and the new value; a Wmo framework added to a
    case under investigation starts the Wmo investigation term from the date of the melding."""
    frameworks, life_domains = list(frameworks), list(life_domains)
    errors = {}
    if not question.strip():
        errors["question"] = [_("Write down the question.")]
    if not frameworks:
        errors["frameworks"] = [_("Choose at least one legal framework.")]
    if rectification and not reason.strip():
        errors["reason"] = [_("Give the reason for the correction.")]
    if errors:
        raise ValidationError(errors)
    current = _locked(case)
    if current.is_closed:
        raise ValidationError(_("The case is closed: reopen it first."))
    fields = ["question", "frameworks", "life_domains"]
    with tracking(current, fields, by=by, case=current, reason=reason, rectification=rectification) as changes:
        current.question = question.strip()
        current.frameworks.set(frameworks)
        current.life_domains.set(life_domains)
        if (
            current.onderzoek_due is None
            and current.status in INVESTIGATING
            and any(f.code == "wmo" for f in frameworks)
        ):
            current.onderzoek_due = deadlines.onderzoek_due(current.melding_date)
        _touch(current, "question", "onderzoek_due")
    if not changes:
        raise ValidationError(_("Nothing has changed."))
    record_changed(case=current, by=by, changes=changes, reason=reason)
    return current


def record_changed(*, case: Case, by: User, changes, reason: str = "") -> CaseEvent:
    """A line in the case's timeline for fields changed through ``privacy.history.tracking``; the
    history of changes shows their old and new values. (The field names are in the writer's
    language.)"""
    return record_event(
        case=case,
        by=by,
        kind="changed",
        summary=gettext_noop("Changed: %(fields)s"),
        data={"fields": ", ".join(field_label(c.record, c.field) for c in changes)},
        note=reason.strip(),
    )


@transaction.atomic
def household_cases_follow(*, household: Household, by: User, reason: str = "") -> list[Case]:
    """The household moved to another district (a new address, a corrected district): its open cases
    go to the team that now serves it (``cases.queue.serving_team``), each with an entry in its
    history. The regisseur stays when they work in the new team too; otherwise the case is in the new
    team's work queue without a regisseur, for its team leader to assign (the household's plan follows
    in ``plans.services.plan_follow_cases``). Professionals involved by name (``CaseInvolvement``) stay involved:
    they were involved for a reason, and that ends only explicitly. Closed cases stay with the team
    that closed them. Where no team serves the new district, the cases stay with their team: nobody
    is lost. The old team's access ends with it (``cases.access``: a case is its team's)."""
    from .queue import serving_team

    team = serving_team(Household.objects.get(pk=household.pk))
    if team is None:
        return []
    moved = []
    members = set(team.memberships.values_list("user_id", flat=True))
    for case in (
        Case.objects.select_for_update().filter(household_id=household.pk).open().exclude(team=team).order_by("pk")
    ):
        old_team, old_regisseur = case.team, case.regisseur
        case.team = team
        if old_regisseur is not None and old_regisseur.pk not in members:
            case.regisseur = None
        _touch(case, "team", "regisseur")
        record_event(
            case=case,
            by=by,
            kind="team",
            summary=gettext_noop("Moved with the household to %(new)s, the team of its new district")
            if case.regisseur_id or old_regisseur is None
            else gettext_noop("Moved with the household to %(new)s, the team of its new district; no regisseur yet"),
            data={
                "old": str(old_team),
                "old_id": old_team.pk,
                "new": str(team),
                "new_id": team.pk,
                "regisseur": str(old_regisseur) if old_regisseur else "",
                "regisseur_kept": case.regisseur_id is not None,
            },
            note=reason,
        )
        moved.append(case)
    return moved
