from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import casework_required
from cases.access import get_case_for
from plans.flow import next_step, work_done
from privacy.models import Purpose
from wijkteam.forms import attach_errors

from . import selectors, services
from .forms import AnswerForm, CompleteForm, ConferenceForm, ContactCorrectionForm, ContactForm, MoveForm, SeriesForm
from .models import ContactSeries, ContactStatus
from .services import contact_cancel, contact_complete, contact_correct, contact_log, contact_plan


@casework_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    form = ContactForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["mode"] == ContactForm.PLANNED:
                contact_plan(
                    case=case,
                    professional=request.user,
                    kind=data["kind"],
                    planned_at=form.moment,
                    by=request.user,
                    note=data["note"],
                )
                messages.success(request, _("The contact has been planned."))
            else:
                contact_log(
                    case=case,
                    professional=request.user,
                    kind=data["kind"],
                    happened_at=form.moment,
                    duration_minutes=data["duration_minutes"],
                    note=data["note"],
                    goals=data["goals"],
                    by=request.user,
                )
                messages.success(request, _recorded(case))
            return redirect("cases:detail", pk=case.pk)
        except ValidationError as error:
            attach_errors(form, error)
    return render(
        request, "contacts/contact_form.html", {"form": form, "case": case}, status=400 if form.errors else 200
    )


def _recorded(case) -> str:
    """The confirmation of a visit that took place, with the status it proves when the case lags
    behind (the case page offers it as one click)."""
    text = _("The contact has been recorded.")
    step = next_step(case, work_done(case, visited=True))
    if step is not None and step.work == "visit":
        text += " " + _("Next step: the case can move to “%(status)s”.") % {"status": step.to.label}
    return text


def _planned_contact(request: HttpRequest, case_pk: int, pk: int):
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    contact = case.contacts.filter(pk=pk, status=ContactStatus.PLANNED).select_related("series").first()
    if contact is None:
        raise Http404
    return case, contact


@casework_required
@require_http_methods(["GET", "POST"])
def contact_done(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case, contact = _planned_contact(request, case_pk, pk)
    form = CompleteForm(request.POST or None, case=case, contact=contact)
    if request.method == "POST" and form.is_valid():
        try:
            contact_complete(contact=contact, by=request.user, **form.cleaned_data)
            messages.success(request, _recorded(case))
            return redirect("cases:detail", pk=case.pk)
        except ValidationError as error:
            attach_errors(form, error)
    return render(
        request,
        "contacts/complete_form.html",
        {"form": form, "case": case, "contact": contact},
        status=400 if form.errors else 200,
    )


@casework_required
@require_POST
def contact_not_held(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case, contact = _planned_contact(request, case_pk, pk)
    contact_cancel(contact=contact, by=request.user, missed=request.POST.get("missed") == "1")
    messages.success(request, _("The contact has been updated."))
    if request.POST.get("next") == "mijn-werk":
        return redirect("cases:my_work")
    return redirect("cases:detail", pk=case.pk)


@casework_required
@require_http_methods(["GET", "POST"])
def series_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    """A recurring contact: its visits appear on 'Mijn werk' of the professional."""
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    form = SeriesForm(request.POST or None)
    clashes = []
    if request.method == "POST" and form.is_valid():
        choice = request.POST.get("holidays", "")
        # Visits on a Sunday or a public holiday: listed first, with the offer to move them.
        clashes = [] if choice else services.days_off(ContactSeries(**form.cleaned_data))
        if not clashes:
            try:
                series = services.series_create(
                    case=case,
                    professional=request.user,
                    by=request.user,
                    working_days_only=choice == "move",
                    **form.cleaned_data,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                text = _("Recurring contact planned: %(what)s.") % {"what": series.describe().lower()}
                if series.working_days_only:
                    text += " " + _("Visits on Sundays and public holidays move to the next working day.")
                messages.success(request, text)
                return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "contacts/series_form.html",
        {"form": form, "case": case, "clashes": clashes},
        status=400 if form.errors else 200,
    )


@casework_required
@require_POST
def series_stop(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    series = case.contact_series.filter(pk=pk).first()
    if series is None:
        raise Http404
    services.series_stop(series=series, by=request.user)
    messages.success(request, _("The recurring contact has been stopped; its planned visits are cancelled."))
    return redirect("cases:detail", pk=case.pk)


@casework_required
@require_http_methods(["GET", "POST"])
def conference_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record a casusoverleg: who attended, what was decided, who becomes regisseur."""
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    form = ConferenceForm(request.POST or None, case=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conference_record(
                case=case,
                by=request.user,
                held_at=form.moment,
                decisions=data["decisions"],
                attendees=data["attendees"],
                partners=data["partners"],
                organisations=data["organisations"],
                regisseur=data["regisseur"],
                duration_minutes=data["duration_minutes"],
                consent_now=data["consent_now"],
                consent_form=data["consent_form"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The case conference has been recorded."))
            return redirect("cases:detail", pk=case.pk)
    return render(
        request, "contacts/conference_form.html", {"form": form, "case": case}, status=400 if form.errors else 200
    )


@casework_required
@require_http_methods(["GET", "POST"])
def contact_correction(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Correct the note of a contact that took place; the old text stays in the history of changes."""
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    contact = case.contacts.filter(pk=pk, status=ContactStatus.DONE).first()
    if contact is None:
        raise Http404
    form = ContactCorrectionForm(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        try:
            contact_correct(contact=contact, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The contact has been corrected; the old text is kept in the history."))
            return redirect("cases:history", pk=case.pk)
    return render(
        request,
        "cases/case_action.html",
        {
            "case": case,
            "form": form,
            "title": _("Correct the contact of %(day)s") % {"day": f"{contact.when:%d-%m-%Y}"},
            "intro": _("The old and the new text are kept in the history of changes, with the reason."),
        },
        status=400 if form.errors else 200,
    )


# --- Secure messages with the resident ---------------------------------------------------------


@casework_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The threads with messages from residents the user has not read yet (see
    ``selectors.addressed_to``): one row per case, linking to its messages."""
    return render(request, "contacts/inbox.html", {"cases": selectors.unread_for(request.user)})


def _thread_page(request: HttpRequest, case, *, answer_form=None, move_forms=None, status: int = 200):
    if selectors.addressed_to(request.user, case):
        services.messages_read(case=case, by=request.user)
    thread = list(case.messages.select_related("author", "read_by", "contact"))
    move_forms = move_forms or {}
    for message in thread:
        contact = message.contact
        if contact is not None and contact.status == ContactStatus.PLANNED:
            message.move_form = move_forms.get(contact.pk) or MoveForm(contact=contact)
    return render(
        request,
        "contacts/messages.html",
        {"case": case, "thread": thread, "form": answer_form or AnswerForm(), "planned": ContactStatus.PLANNED},
        status=status,
    )


@casework_required
@require_http_methods(["GET", "POST"])
def messages_page(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The thread of the case with its resident (Mijn Wijkteam), for whoever may open the dossier;
    the reading is in the access log through the gate. Opening it by those it is addressed to marks
    the resident's messages read."""
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_answer(
                case=case,
                by=request.user,
                text=form.cleaned_data["text"],
                portal_url=request.build_absolute_uri(reverse("portal:home")),
            )
            messages.success(request, _("Your answer is in the resident's Mijn Wijkteam."))
            return redirect("contacts:messages", case_pk=case.pk)
        except ValidationError as error:
            attach_errors(form, error)
    return _thread_page(request, case, answer_form=form, status=400 if form.errors else 200)


@casework_required
@require_POST
def contact_move(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Move a planned visit (from the thread, where the resident asked for it)."""
    case, contact = _planned_contact(request, case_pk, pk)
    form = MoveForm(request.POST, contact=contact)
    if form.is_valid():
        try:
            services.contact_move(contact=contact, planned_at=form.moment, by=request.user)
            messages.success(request, _("The visit has been moved. Let the resident know in your answer."))
            return redirect("contacts:messages", case_pk=case.pk)
        except ValidationError as error:
            attach_errors(form, error)
    return _thread_page(request, case, move_forms={contact.pk: form}, status=400)
