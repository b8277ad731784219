from django import template

from insights.suppression import threshold

register = template.Library()


@register.simple_tag
def suppression_threshold() -> int:
    return threshold()
