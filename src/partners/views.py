"""The smoelenboek: who knows this area, with direct phone numbers."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .forms import DirectorySearchForm
from .models import PartnerContact
from .services import directory_search


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    municipality = request.user.municipality
    form = DirectorySearchForm(request.GET or None, municipality=municipality)
    result = None
    if municipality is not None and form.is_valid() and any(form.cleaned_data.values()):
        data = form.cleaned_data
        result = directory_search(municipality=municipality, text=data["q"], area=data["area"], kind=data["kind"])
    context = {"form": form, "result": result}
    if request.headers.get("HX-Request"):
        return render(request, "partners/_directory_results.html", context)
    return render(request, "partners/directory.html", context)


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A contact's photo, for signed-in professionals of the same municipality only."""
    contact = get_object_or_404(
        PartnerContact.objects.filter(organisation__municipality=request.user.municipality_id), pk=pk
    )
    if not contact.photo:
        raise Http404
    return FileResponse(contact.photo.open("rb"))
