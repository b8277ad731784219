"""The resident's right of access (AVG art. 15): everything held about one resident, in one
document, including who opened their dossier and when.

``resident_file`` gathers it as plain data; ``oversight.documents`` turns it into a PDF for the
resident and a JSON file (the machine-readable copy), for the privacy officer's views and for the
resident's own download in Mijn Wijkteam (portal). The query count is fixed: it does not grow
with the number of cases, contacts or log rows.

The data keep ISO dates (for programs); the letter shows them as Dutch readers read them
(``|long_date``). Life domains carry the wording of a letter (``zrm.models.RESIDENT_WORDING``) with
the official ZRM name beside it. Repeated reads of the dossier by the same person for the same
purpose are one line in the letter (``access_summary``: first and last time, how often); every
opening with a stated reason (break the glass) is listed with that reason.
"""

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from cases.models import Case
from contacts.models import Contact, Message, MessageNotice
from intake.models import Question
from maatwerk.models import IndicationAdvice
from people.models import HouseholdMember, Representation
from plans.evaluations import evaluation_data
from plans.history import resident_history
from plans.models import Conversation, Evaluation, Plan
from plans.versions import snapshot
from privacy.models import RESIDENT_ROLE, AccessLog, BreakGlass, Consent, Purpose
from zrm.models import Assessment, resident_wording


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def resident_file(resident) -> dict:

    memberships = list(HouseholdMember.objects.filter(resident=resident).select_related("household__area"))
    household_ids = [m.household_id for m in memberships]
    # Only the resident's own cases: a household's other cases hold other people's data (AVG
    # art. 15(4)). The household plan is shared: included for a household the resident is a member
    # of with an open case of their own (the same rule as Mijn Wijkteam, ``Plan.objects.of_resident``),
    # with the evaluations of the resident's own cases only.
    cases = list(
        Case.objects.filter(resident=resident)
        .select_related("team", "regisseur", "resident")
        .prefetch_related("frameworks", "life_domains", "events__by", "consultations")
        .order_by("opened_at")
    )
    case_ids = [c.pk for c in cases]
    contacts = list(Contact.objects.filter(case_id__in=case_ids).select_related("professional").order_by("pk"))
    messages = list(Message.objects.filter(case_id__in=case_ids).select_related("author"))
    notice = MessageNotice.objects.filter(resident=resident).first()
    conversations = list(
        Conversation.objects.filter(case_id__in=case_ids)
        .select_related("by")
        .prefetch_related("commitments__network_member", "comments")
        .order_by("held_on")
    )
    assessments = list(
        Assessment.objects.filter(case_id__in=case_ids).prefetch_related("scores__domain").order_by("assessed_on")
    )
    plans = list(Plan.objects.of_resident(resident).select_related("regisseur", "household").order_by("pk"))
    evaluations = list(
        Evaluation.objects.filter(case_id__in=case_ids, plan__in=plans)
        .prefetch_related("goals")
        .order_by("held_on", "pk")
    )
    questions = list(Question.objects.filter(resident=resident).order_by("registered_at"))
    advices = list(
        IndicationAdvice.objects.filter(resident=resident)
        .select_related("provision", "decision__provision", "decision__provider")
        .order_by("aanvraag_date")
    )
    consents = list(
        Consent.objects.filter(resident=resident).select_related("organisation").order_by("given_on", "pk")
    )
    rectifications = list(resident.rectification_requests.order_by("received_at", "pk"))
    representations = list(
        Representation.objects.filter(Q(resident=resident) | Q(representative=resident))
        .select_related("resident", "representative")
        .order_by("registered_on", "pk")
    )
    changes = [
        change
        for change in resident_history(resident, case_ids=case_ids, household_ids=household_ids, plans=plans)
        if change.secret or change.old != change.new  # a row that says nothing happened is left out
    ]
    openings = list(BreakGlass.objects.filter(case_id__in=case_ids).select_related("user", "case").order_by("at"))
    log = list(
        AccessLog.objects.filter(
            Q(resident_id=resident.pk)
            | Q(case_id__in=case_ids)
            | Q(household_id__in=household_ids, case_id__isnull=True)  # the household page itself
        )
        # Another member's own use of Mijn Wijkteam is theirs, not this resident's (AVG art. 15(4)).
        .exclude(Q(role=RESIDENT_ROLE) & ~Q(resident_id=resident.pk))
        .select_related("user")
        .order_by("at", "pk")
    )
    return {
        "created_at": _moment(timezone.now()),
        "resident": {
            "bsn": resident.bsn,
            "name": resident.display_name,
            "salutation": resident.aanhef,
            "given_names": resident.voornamen,
            "surname_prefix": resident.voorvoegsel,
            "surname": resident.geslachtsnaam,
            "sex": resident.geslacht,
            "birth_date": _day(resident.birth_date),
            "address": " ".join(
                filter(
                    None,
                    [
                        resident.straat,
                        str(resident.huisnummer or ""),
                        resident.huisletter,
                        resident.huisnummertoevoeging,
                    ],
                )
            ),
            "postcode": resident.postcode,
            "town": resident.woonplaats,
            "full_address": resident.full_address,
            "phone": resident.phone,
            "email": resident.email,
            "registered_at": _moment(resident.created_at),
        },
        "households": [
            {"id": m.household_id, "label": m.household.label, "relation": m.get_relation_display()}
            for m in memberships
        ],
        "network": [
            {"name": n.name, "relation": n.get_relation_display(), "phone": n.phone, "support": n.support}
            for n in resident.network.all()
        ],
        "cases": [
            {
                "reference": c.reference,
                "about": c.resident.display_name,
                "team": c.team.name,
                "regisseur": str(c.regisseur or ""),
                "status": c.get_status_display(),
                "legal_frameworks": [f.name for f in c.frameworks.all()],
                "life_domains": [resident_wording(d.name) for d in c.life_domains.all()],
                "question": c.question,
                "triage": c.get_triage_display() if c.triage else "",
                "triage_reason": c.triage_reason,
                "reported_on": _day(c.melding_date),
                "opened_at": _moment(c.opened_at),
                "closed_at": _moment(c.closed_at),
                "end_reason": c.end_reason_label if c.end_reason else "",
                "end_note": c.end_note,
                "history": [
                    {"at": _moment(e.at), "by": str(e.by or ""), "what": str(e.text), "note": e.note}
                    for e in c.events.all()
                ],
                "requests_for_advice": [
                    {"asked_at": _moment(q.asked_at), "question": q.question, "answer": q.answer}
                    for q in c.consultations.all()
                ],
            }
            for c in cases
        ],
        "contacts": [
            {
                "case": next(c.reference for c in cases if c.pk == contact.case_id),
                "kind": contact.get_kind_display(),
                "status": contact.get_status_display(),
                "when": _moment(contact.when),
                "minutes": contact.duration_minutes,
                "professional": str(contact.professional),
                "note": contact.note,
            }
            for contact in contacts
        ],
        "messages": [
            {
                "case": next(c.reference for c in cases if c.pk == m.case_id),
                "sent_at": _moment(m.sent_at),
                "from": resident.display_name if m.from_resident else str(m.author or ""),
                "text": m.text,
                "about_visit": _moment(m.visit_at),
                "preferred_moment": m.preferred,
                "read_at": _moment(m.read_at),
            }
            for m in messages
        ],
        "message_notice_email": notice.email if notice else "",
        "conversations": [
            {
                "held_on": _day(v.held_on),
                "by": str(v.by),
                "place": v.place,
                "question_asked": v.question_asked,
                "question_behind": v.question_behind,
                "own_strength": v.own_strength,
                "network_strength": v.network_strength,
                "commitments": [{"who": m.network_member.name, "what": m.text} for m in v.commitments.all()],
                "conclusion": v.conclusion,
                "comments": [
                    {"received_on": _day(m.received_on), "text": m.text, "in_mijn_wijkteam": m.via_portal}
                    for m in v.comments.all()
                ],
            }
            for v in conversations
        ],
        "zrm": [
            {
                "assessed_on": _day(a.assessed_on),
                "moment": a.get_moment_display(),
                "scores": [
                    {
                        "domain": s.domain.for_resident,
                        "domain_official": s.domain.label,
                        "score": s.score,
                        "reason": s.reason,
                    }
                    for s in a.scores.all()
                ],
            }
            for a in assessments
        ],
        "plans": [_plan(p, [e for e in evaluations if e.plan_id == p.pk]) for p in plans],
        "desk_questions": [
            {
                "registered_at": _moment(q.registered_at),
                "question": q.text,
                "outcome": q.get_outcome_display(),
                "answer": q.answer,
            }
            for q in questions
        ],
        "indication_advices": [
            {
                "applied_on": _day(a.aanvraag_date),
                "provision": str(a.provision),
                "grounds": a.grounds,
                "status": a.get_status_display(),
                "decision": _decision(a),
            }
            for a in advices
        ],
        "changes": [change.as_dict() for change in changes],
        "consents": [
            {
                "organisation": c.organisation.name,
                "data": c.category_labels,
                "purpose": c.purpose,
                "how": c.get_form_display(),
                "given_on": _day(c.given_on),
                "valid_until": _day(c.expires_on),
                "withdrawn_on": _day(c.withdrawn_on),
                "in_mijn_wijkteam": c.via_portal,
            }
            for c in consents
        ],
        "representatives": [
            _representation(r, who=r.representative) for r in representations if r.resident_id == resident.pk
        ],
        "you_represent": [
            _representation(r, whom=r.resident) for r in representations if r.representative_id == resident.pk
        ],
        "rectification_requests": [
            {
                "received_at": _moment(r.received_at),
                "what_is_wrong": r.text,
                "answer_due": _day(r.due_on),
                "status": r.get_status_display(),
                "handled_on": _day(r.handled_on),
                "answer": r.answer,
            }
            for r in rectifications
        ],
        "access_log": [
            {
                "at": _moment(row.at),
                "who": str(row.user or ""),
                "role": row.role,
                "action": row.get_action_display(),
                "purpose": _purpose_label(row.purpose),
            }
            for row in log
        ],
        "access_summary": _access_summary(log),
        "break_glass": [
            {
                "at": _moment(grant.at),
                "who": str(grant.user),
                "case": grant.case.reference,
                "reason": grant.get_reason_display(),
                "explanation": grant.explanation,
                "until": _moment(grant.expires_at),
                "reviewed_at": _moment(grant.reviewed_at),
            }
            for grant in openings
        ],
    }


def _representation(representation, **person) -> dict:
    """A representation in the file: ``who`` represents the resident, or ``whom`` the resident represents."""
    return {
        **{key: resident.display_name for key, resident in person.items()},
        "as": representation.get_kind_display(),
        "registered_on": _day(representation.registered_on),
        "ended_on": _day(representation.ended_on),
    }


def _plan(plan, evaluations: list) -> dict:
    """The plan as it is now, with the evaluations of the resident's own cases (``evaluations``;
    another member's evaluation is theirs)."""
    data = {
        "household": plan.household.label,
        "version": plan.version,
        **snapshot(plan),
        "evaluations": [evaluation_data(e) for e in evaluations],
    }
    for goal in data.get("goals", []):
        goal["domain_official"] = goal["domain"]
        goal["domain"] = resident_wording(goal["domain"])
    return data


def _access_summary(log: list[AccessLog]) -> list[dict]:
    """The access log as a letter shows it: one line per person, role, what they did and why, with
    the first and the last time and how often (52 reads in a week are one line, not 52)."""
    groups: dict[tuple, dict] = {}
    for row in log:
        key = (row.user_id, row.role, row.action, row.purpose)
        group = groups.get(key)
        if group is None:
            groups[key] = {
                "who": str(row.user or ""),
                "role": row.role,
                "action": row.get_action_display(),
                "purpose": _purpose_label(row.purpose),
                "first": _moment(row.at),
                "last": _moment(row.at),
                "times": 1,
            }
        else:
            group["last"] = _moment(row.at)
            group["times"] += 1
    return list(groups.values())


def _decision(advice) -> dict | None:
    decision = getattr(advice, "decision", None)
    if decision is None:
        return None
    return {
        "decided_on": _day(decision.decided_on),
        "outcome": decision.get_outcome_display(),
        "provision": str(decision.provision or ""),
        "provider": str(decision.provider or ""),
        "grounds": decision.grounds,
        "from": _day(decision.starts_on),
        "until": _day(decision.ends_on),
    }


def _purpose_label(code: str) -> str:

    try:
        return str(Purpose(code).label)
    except ValueError:
        return code
