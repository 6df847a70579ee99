"""Background work of the LTI room: grade passback (django-tasks; immediate in dev and tests)."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def lti_score_post(
    link_id: int, given: float, maximum: float, activity_progress: str, grading_progress: str
) -> bool:
    """Send one score to a platform; a slow or failing platform never blocks the learner."""
    from learners.lti.models import LtiGradeLink
    from learners.lti.services import Score, score_failed, score_send

    link = (
        LtiGradeLink.objects.select_related("registration", "account")
        .filter(pk=link_id, registration__is_active=True)
        .first()
    )
    if link is None:
        return False
    try:
        score_send(
            link=link,
            score=Score(given, maximum, activity_progress, grading_progress),
        )
    except Exception as error:  # the platform's answer, whatever it is, is recorded
        logger.warning("LTI score for link %s not accepted: %s", link_id, error)
        score_failed(link_id=link_id, error=str(error))
        return False
    return True
