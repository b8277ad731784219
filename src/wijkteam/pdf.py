"""Printable documents: PDFs rendered from Django templates with WeasyPrint.

Templates extend ``wijkteam/pdf_base.html`` (A4, DejaVu Sans so Dutch characters such as ĳ, ë and
â print correctly, page numbers in the footer). Callers log the print in the access log.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
