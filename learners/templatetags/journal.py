"""The learner's private answers to a lesson's reflection prompts.

They are rendered after the lesson body, which is cached for every reader and so must hold no
learner data (nor a CSRF token).
"""

from django import template

from courses.selectors.content import lesson_reflection_prompts
from learners.journal.models import ReflectionNote

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_reflections(context, page):
    """{% lesson_reflections page as reflections %}: [{block_id, prompt, note}] (one query) for
    a signed-in reader who is not on a preview; an empty list otherwise."""
    request = context.get("request")
    if (
        request is None
        or not request.user.is_authenticated
        or getattr(request, "is_lesson_preview", False)
    ):
        return []
    prompts = lesson_reflection_prompts(page)
    if not prompts:
        return []
    notes = {
        note.block_id: note
        for note in ReflectionNote.objects.filter(
            user=request.user, block_id__in=[block_id for block_id, _ in prompts]
        )
    }
    return [
        {"block_id": block_id, "prompt": prompt, "note": notes.get(block_id)}
        for block_id, prompt in prompts
    ]
