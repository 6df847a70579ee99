from django import template

from courses.selectors.outline import outline_for_page
from learners.progress.selectors import course_progress, learner_course_state_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def course_progress_for(context, outline):
    """The signed-in learner's progress in the course whose outline is given."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if outline is None or user is None:
        return None
    state = (
        learner_course_state_for_request(request, outline.course_id)
        if user.is_authenticated
        else None
    )
    return course_progress(user, outline, state=state)


@register.filter
def get_item(mapping, key):
    """Look up `key` in a dict from a template: {{ percents|get_item:module.id }}."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def quiz_status_for(context, quiz):
    """The signed-in learner's attempts at a quiz: best score, attempts left, open attempt."""
    from learners.attempts.selectors import quiz_status

    request = context.get("request")
    user = getattr(request, "user", None)
    if quiz is None or user is None or not user.is_authenticated:
        return None
    outline = outline_for_page(quiz, request)
    enrolment = (
        learner_course_state_for_request(request, outline.course_id).enrolment if outline else None
    )
    return quiz_status(user, enrolment, quiz)


@register.simple_tag
def quiz_statuses_for(progress, outline):
    """{quiz id: status} for the quizzes of an outline, for the learner of `progress`."""
    from learners.attempts.selectors import quiz_statuses_for_outline

    if outline is None:
        return {}
    return quiz_statuses_for_outline(getattr(progress, "enrolment", None), outline)


@register.simple_tag
def progress_state_key(progress, quiz_statuses=None):
    """A short digest of what the outline shows of a learner's progress (ticks, module
    percentages, quiz results): the key of outline fragments cached for everyone in that state.
    Learners with the same lessons done and quiz results share the fragment; nothing else about
    them is in it."""
    import hashlib

    if progress is None or not progress.is_enrolled:
        return "none"
    quizzes = sorted(
        (quiz_id, status.passed, str(status.best_percent), status.attempts_left)
        for quiz_id, status in (quiz_statuses or {}).items()
        if status is not None
    )
    state = (
        sorted(progress.completed_ids),
        sorted(progress.module_percents.items()),
        quizzes,
    )
    return hashlib.sha256(repr(state).encode()).hexdigest()[:24]
