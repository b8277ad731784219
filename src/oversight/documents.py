"""The resident's file (``oversight.rights.resident_file``) as the documents handed over: a PDF for
the resident and the machine-readable JSON copy, for the privacy officer's views and for the
resident's own download in Mijn Wijkteam (portal). The resident comes through the gate."""

import json

from django.http import HttpRequest, HttpResponse

from wijkteam.pdf import pdf_response, render_pdf

from .rights import resident_file


def file_pdf(request: HttpRequest, resident) -> HttpResponse:
    """Everything held about the resident, in one document for them."""
    pdf = render_pdf("privacy/resident_file_pdf.html", {"file": resident_file(resident)}, request=request)
    return pdf_response(pdf, f"inzage-{resident.pk}.pdf", download=True)


def file_json(resident) -> HttpResponse:
    """The same, machine-readable (AVG art. 15(3) and 20)."""
    body = json.dumps(resident_file(resident), ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inzage-{resident.pk}.json"'
    response["Cache-Control"] = "no-store, private"
    return response
