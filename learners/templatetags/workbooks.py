"""Workbook state for content pages (the workbook page never queries learner data itself)."""

from django import template

from learners.workbooks.selectors import workbook_state

register = template.Library()


@register.simple_tag(takes_context=True)
def workbook_state_for(context, page):
    """{% workbook_state_for page as state %}: the visitor's enrolment, draft and versions."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return workbook_state(request.user, page)


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def get_index(sequence, index):
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError):
        return ""
