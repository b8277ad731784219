from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import casework_required
from privacy.access import get_case_for
from privacy.models import Purpose

from .forms import CompleteForm, ContactForm
from .models import ContactStatus
from .services import contact_cancel, contact_complete, contact_log, contact_plan


@casework_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    form = ContactForm(request.POST or None)
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
                    by=request.user,
                )
                messages.success(request, _("The contact has been recorded."))
            return redirect("cases:detail", pk=case.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "contacts/contact_form.html", {"form": form, "case": case})


def _planned_contact(request: HttpRequest, case_pk: int, pk: int):
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    contact = case.contacts.filter(pk=pk, status=ContactStatus.PLANNED).first()
    if contact is None:
        raise Http404
    return case, contact


@casework_required
@require_http_methods(["GET", "POST"])
def contact_done(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case, contact = _planned_contact(request, case_pk, pk)
    form = CompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_complete(contact=contact, by=request.user, **form.cleaned_data)
            messages.success(request, _("The contact has been recorded."))
            return redirect("cases:detail", pk=case.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "contacts/complete_form.html", {"form": form, "case": case, "contact": contact})


@casework_required
@require_POST
def contact_not_held(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case, contact = _planned_contact(request, case_pk, pk)
    contact_cancel(contact=contact, by=request.user, missed=request.POST.get("missed") == "1")
    messages.success(request, _("The contact has been updated."))
    return redirect("cases:detail", pk=case.pk)
