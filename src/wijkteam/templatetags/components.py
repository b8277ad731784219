"""The small set of template components every page is built from (NL Design System classes).

- ``{% field form.name %}``: label, description, error message beside the field, the input with the
  right Utrecht class, ``aria-describedby`` and ``aria-invalid`` wired up.
- ``{% error_summary form %}``: the errors at the top of a form, each linking to its field.
- ``{% status_badge value label %}``: a status as an Utrecht status badge.
- ``{% pagination page label %}``: links to the other pages of a long list (``wijkteam.pagination``).
- ``{{ day|short_date }}`` / ``{{ moment|short_datetime }}``: "7-3-2026" / "7-3-2026 09:05", as
  ``|date:"j-n-Y"`` and ``|date:"j-n-Y H:i"`` write them, at a tenth of the cost (lists, issue 8).
- ``{{ day|long_date }}``: "14 maart 1957", "7 december 2026 07:45" from a date, a moment or their
  ISO text (the resident's file keeps ISO in its data; letters show it as readers read it).
- ``{{ count|number }}`` / ``{{ amount|euro }}``: every number and amount shown, "1.250" / "€ 1.962,17"
  (``wijkteam.numbers``; ``|number:1`` for exactly one decimal). No template formats a number
  otherwise (``wijkteam/tests/test_numbers.py``).
- ``{{ case|choice_label:"status" }}``: the label of a choice field, like ``case.get_status_display``
  but from a table made once per language, for lists of many rows (issue 8).
"""

from datetime import date, datetime

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from wijkteam import i18n, numbers

register = template.Library()

_WIDGET_CLASSES: list[tuple[type, str]] = [
    (forms.CheckboxSelectMultiple, ""),
    (forms.RadioSelect, ""),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.widgets.Input, "utrecht-textbox utrecht-textbox--html-input"),
]


def _widget_class(widget: forms.Widget) -> str:
    for widget_type, css in _WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return css
    return ""


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.inclusion_tag("components/field.html")
def field(bound: BoundField, **options) -> dict:
    widget = bound.field.widget
    field_id = bound.auto_id or f"id_{bound.html_name}"
    description_id = f"{field_id}-description" if bound.help_text else ""
    error_id = f"{field_id}-error" if bound.errors else ""
    described_by = " ".join(filter(None, [description_id, error_id]))
    css = _widget_class(widget)
    if bound.errors and css:
        css += " " + css.split()[0] + "--invalid"
    attrs: dict[str, str] = {}
    if css:
        attrs["class"] = css
    if described_by:
        attrs["aria-describedby"] = described_by
    if bound.errors:
        attrs["aria-invalid"] = "true"
    if bound.field.required and _kind(widget) == "input":
        attrs["aria-required"] = "true"
    for key, value in options.items():
        attrs[key.replace("_", "-")] = value
    # The browser's own :invalid styling would mark every empty required field red before the
    # user typed anything; requiredness is announced with aria-required and the label instead.
    bound.form.use_required_attribute = False
    return {
        "bound": bound,
        "widget_html": bound.as_widget(attrs=attrs),
        "kind": _kind(widget),
        "field_id": field_id,
        "description_id": description_id,
        "error_id": error_id,
        # A search box is never "required", and saying it is optional only adds noise.
        "required": bound.field.required or getattr(widget, "input_type", "") == "search",
    }


@register.inclusion_tag("components/error_summary.html")
def error_summary(form: forms.BaseForm) -> dict:
    items = []
    if form.is_bound and form.errors:
        for name, errors in form.errors.items():
            if name == "__all__":
                items.extend({"anchor": "", "message": message} for message in errors)
            else:
                bound = form[name]
                items.extend({"anchor": bound.auto_id, "label": bound.label, "message": message} for message in errors)
    return {"items": items}


@register.simple_tag
def status_badge(value: str, label: str) -> str:
    # format_html rather than an inclusion template: lists render one badge per row (issue 8).
    return format_html('<span class="utrecht-badge-status wt-status wt-status--{}">{}</span>', value, label)


@register.filter(expects_localtime=True)
def short_date(value) -> str:
    # Django's date filter parses its format string and looks up translations on every call.
    try:
        return f"{value.day}-{value.month}-{value.year}"
    except AttributeError:  # None or "": nothing, as |date gives
        return ""


@register.filter(expects_localtime=True)
def short_datetime(value) -> str:
    try:
        return f"{value.day}-{value.month}-{value.year} {value.hour:02d}:{value.minute:02d}"
    except AttributeError:
        return ""


@register.filter(expects_localtime=True)
def long_date(value) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
    if isinstance(value, datetime):
        return date_format(value, "j F Y H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    return "" if value is None else str(value)


@register.filter
def number(value, decimals=None) -> str:
    return numbers.number(value, decimals)


@register.filter
def euro(value) -> str:
    return numbers.euro(value)


@register.filter
def choice_label(instance, field_name: str) -> str:
    return i18n.choice_label(type(instance), field_name, getattr(instance, field_name))


@register.inclusion_tag("components/pagination.html", takes_context=True)
def pagination(context, page, label: str) -> dict:
    """Links to the other pages of a list: previous, every page number (lists here run to a few
    dozen pages at most) and next, keeping the page's other query parameters (a filter)."""
    from wijkteam.pagination import PAGE_PARAMETER

    query = context["request"].GET.copy()

    def link(number: int) -> str:
        query[PAGE_PARAMETER] = str(number)
        return "?" + query.urlencode()

    paginator = page.paginator
    return {
        "page": page,
        "label": label,
        "pages": [(number, link(number)) for number in paginator.page_range] if paginator.num_pages > 1 else [],
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }
