from django import template

register = template.Library()


@register.filter
def marked(marks: set[str], item_id: int) -> set[str]:
    """The kinds ('goal', 'action', 'arrangement') marked as changed for this item id:
    ``{% if 'goal' in marks|marked:g.id %}``."""
    suffix = f"-{item_id}"
    return {mark.removesuffix(suffix) for mark in marks if mark.endswith(suffix)}


@register.filter
def shown(value, key: str) -> str:
    """A snapshot value for reading: ``{{ g.status|shown:"status" }}``."""
    from plans.versions import shown as show

    return show(key, value)
