from django import template

from learners.certificates.selectors import learner_certificates

register = template.Library()


@register.simple_tag(takes_context=True)
def my_certificates(context):
    """The signed-in learner's certificates (two queries), for /learn/ and the transcript."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return []
    return learner_certificates(user)


@register.simple_tag(takes_context=True)
def course_certificate(context, course_id):
    """The signed-in learner's newest certificate for one course, as a row (or None)."""
    for row in my_certificates(context):
        if row.certificate.course_id == course_id:
            return row
    return None
