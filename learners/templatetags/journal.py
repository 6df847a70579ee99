"""The learner's note on a reflection prompt, for the lesson's reflection block."""

from django import template

from learners.journal.models import ReflectionNote

register = template.Library()


@register.simple_tag(takes_context=True)
def reflection_note_for(context, block_id):
    """{% reflection_note_for block.id as note %}: the visitor's note on this prompt, if any.

    One query per reflection block; lessons have a handful of them at most.
    """
    request = context.get("request")
    if request is None or not request.user.is_authenticated or not block_id:
        return None
    return ReflectionNote.objects.filter(user=request.user, block_id=block_id).first()
