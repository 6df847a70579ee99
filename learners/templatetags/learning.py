from django import template

from learners.selectors.progress import course_progress

register = template.Library()


@register.simple_tag(takes_context=True)
def course_progress_for(context, outline):
    """The signed-in learner's progress in the course whose outline is given."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if outline is None or user is None:
        return None
    return course_progress(user, outline)


@register.filter
def get_item(mapping, key):
    """Look up `key` in a dict from a template: {{ percents|get_item:module.id }}."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
