"""The LTI room's receivers (connected from LearnersConfig.ready()): results go back to the
platforms that launched the person, through AGS, from a task after the commit."""

from django.db import transaction

from learners.attempts.selectors import final_assessment_score
from learners.lti.selectors import grade_links_for_course, grade_links_for_quiz
from learners.lti.services import Score
from learners.lti.tasks import lti_score_post
from learners.progress.models import ActivityEvent, Enrolment, Verb


def scores_enqueue(*, links: list[tuple[int, Score]]) -> None:
    """After the current transaction commits, post each score from a task."""
    for link_id, score in links:

        def _enqueue(link_id=link_id, score=score):
            lti_score_post.enqueue(
                link_id,
                score.given,
                score.maximum,
                score.activity_progress,
                score.grading_progress,
            )

        transaction.on_commit(_enqueue)


def on_activity_recorded(sender, event: ActivityEvent, **kwargs) -> None:
    """A quiz submitted: its score to the quiz's links (and the course's, for the final
    assessment)."""
    if event.object_type != "quiz" or event.verb not in (Verb.PASSED, Verb.FAILED):
        return
    if event.object_id is None or event.result_score is None:
        return
    links = grade_links_for_quiz(
        user_id=event.actor_id, quiz_id=event.object_id, course_id=event.course_id
    )
    if not links:
        return
    percent = float(event.result_score)
    scores = []
    for link in links:
        course_link = link.page_id == event.course_id
        scores.append(
            (
                link.pk,
                Score(
                    given=percent,
                    maximum=100.0,
                    # On the course's line item a quiz result is progress until completion.
                    activity_progress="Submitted" if course_link else "Completed",
                    grading_progress="FullyGraded",
                ),
            )
        )
    scores_enqueue(links=scores)


def on_course_completed(sender, enrolment: Enrolment, **kwargs) -> None:
    """A course completed: the course's links get Completed, with the final assessment's best
    score when the course has one (else full marks)."""
    if enrolment.course_id is None:
        return
    links = grade_links_for_course(user_id=enrolment.user_id, course_id=enrolment.course_id)
    if not links:
        return
    best = final_assessment_score(enrolment)
    given = 100.0 if best is None else float(best)
    scores_enqueue(
        links=[(link.pk, Score(given, 100.0, "Completed", "FullyGraded")) for link in links]
    )
