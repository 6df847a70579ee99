from django import template

from learners.selectors.certificates import learner_certificates

register = template.Library()


@register.simple_tag(takes_context=True)
def my_certificates(context):
    """The signed-in learner's certificates (two queries), for /learn/ and the transcript."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return []
    return learner_certificates(user)
