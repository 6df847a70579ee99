"""Reads over quiz attempts, each at a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from courses.scoring import ItemStats, item_analysis, summary_stats
from courses.selectors.quizzes import (
    QuizSummary,
    bank_questions_by_id,
    final_assessment_id,
    quiz_questions_plain,
    quiz_summaries_of,
    quizzes_by_course,
    required_quiz_ids,
)
from courses.selectors.translations import translated_id
from learners.accounts.models import User
from learners.attempts.models import AttemptStatus, QuizAttempt
from learners.progress.models import Enrolment
from learners.progress.selectors import DashboardEntry

CLOSED = [AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED]


def final_assessment_score(enrolment: Enrolment) -> Decimal | None:
    """Best passing score (percent) in the course's final assessment during this enrolment.

    None when the course has no final assessment (or it has not been passed).
    """
    if enrolment.course_id is None:
        return None
    quiz_id = final_assessment_id(enrolment.course_id)
    if quiz_id is None:
        return None
    return QuizAttempt.objects.filter(enrolment=enrolment, quiz_id=quiz_id, passed=True).aggregate(
        best=Max("percent")
    )["best"]


def required_quizzes_passed(enrolment: Enrolment) -> bool:
    """Every quiz marked as required in the course is passed in this enrolment."""
    if enrolment.course_id is None:
        return False
    from courses.selectors.content import get_course

    course = get_course(enrolment.course_id)
    if course is None:
        return False
    required = set(required_quiz_ids(course))
    if not required:
        return True
    passed = set(
        QuizAttempt.objects.filter(
            enrolment=enrolment, quiz_id__in=required, passed=True
        ).values_list("quiz_id", flat=True)
    )
    return required <= passed


@dataclass
class QuizStatus:
    quiz_id: int
    attempts_allowed: int
    attempts_used: int = 0
    best_percent: Decimal | None = None
    passed: bool = False
    open_attempt: QuizAttempt | None = None
    attempts: list[QuizAttempt] = field(default_factory=list)

    @property
    def attempts_left(self) -> int | None:
        """None means unlimited."""
        if not self.attempts_allowed:
            return None
        return max(0, self.attempts_allowed - self.attempts_used)

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and self.attempts_left != 0


def _statuses(
    enrolment: Enrolment | None, quizzes: dict[int, int], *, course_id: int | None = None
) -> dict[int, QuizStatus]:
    """{quiz id: status} for quizzes given as {id: attempts allowed}, in one query.

    `course_id` is the course the quizzes belong to; when it is a translation of the
    enrolment's course, the attempts (made on the canonical quizzes) are reported under the
    translated quizzes' ids.
    """
    statuses = {qid: QuizStatus(quiz_id=qid, attempts_allowed=n) for qid, n in quizzes.items()}
    if enrolment is None or not quizzes:
        return statuses
    attempts = QuizAttempt.objects.filter(enrolment=enrolment)
    if course_id is not None and enrolment.course_id != course_id:
        attempts = attempts.annotate(
            local_id=translated_id("quiz__translation_key", like_page_id=course_id)
        ).filter(local_id__in=list(quizzes))
        key = "local_id"
    else:
        attempts = attempts.filter(quiz_id__in=list(quizzes))
        key = "quiz_id"
    for row in attempts.values(key).annotate(
        used=Count("id"),
        best=Max("percent", filter=Q(status__in=CLOSED)),
        passes=Count("id", filter=Q(passed=True)),
    ):
        status = statuses[row[key]]
        status.attempts_used = row["used"]
        status.best_percent = row["best"]
        status.passed = row["passes"] > 0
    return statuses


def quiz_statuses_for_outline(enrolment: Enrolment | None, outline) -> dict[int, QuizStatus]:
    """Status of every quiz in a course outline (one query; none when not enrolled)."""
    return _statuses(
        enrolment,
        {item.id: item.attempts_allowed for item in outline.quizzes},
        course_id=outline.course_id,
    )


def quiz_status(user: User, enrolment: Enrolment | None, quiz) -> QuizStatus:
    """Everything the quiz page shows a learner: past attempts, best score, attempts left."""
    status = QuizStatus(quiz_id=quiz.pk, attempts_allowed=quiz.attempts_allowed)
    if enrolment is None:
        return status
    attempts = list(
        # The enrolment's attempts at this quiz in any language (its translations share a key).
        QuizAttempt.objects.filter(enrolment=enrolment, quiz__translation_key=quiz.translation_key)
        .defer("snapshot", "answers", "results")
        .order_by("number")
    )
    status.attempts = [a for a in attempts if a.status != AttemptStatus.OPEN]
    status.open_attempt = next((a for a in attempts if a.status == AttemptStatus.OPEN), None)
    status.attempts_used = len(attempts)
    percents = [a.percent for a in status.attempts if a.percent is not None]
    status.best_percent = max(percents) if percents else None
    status.passed = any(a.passed for a in attempts)
    return status


def attempt_for_user(user: User, public_id) -> QuizAttempt | None:
    """The learner's own attempt; anyone else's is None (the view answers 404)."""
    if not user.is_authenticated:
        return None
    return QuizAttempt.objects.filter(user=user, public_id=public_id).first()


@dataclass
class DashboardQuiz:
    summary: QuizSummary
    status: QuizStatus


def attach_quiz_extras(user: User, entries: Iterable[DashboardEntry]) -> None:
    """Add each course's quizzes (best score, attempts left) to dashboard entries: one query
    for the attempts; the quizzes come from the entries' cached outlines (two more queries for
    an entry that carries none)."""
    entries = list(entries)
    course_ids = [e.enrolment.course_id for e in entries if e.enrolment.course_id]
    if not course_ids:
        return
    quizzes = {
        e.enrolment.course_id: quiz_summaries_of(e.outline)
        for e in entries
        if e.enrolment.course_id and e.outline is not None
    }
    missing = [course_id for course_id in course_ids if course_id not in quizzes]
    if missing:
        quizzes.update(quizzes_by_course(missing))
    all_quizzes = {q.id: q for qs in quizzes.values() for q in qs}
    rows: dict[tuple[int, int], dict] = {}
    if all_quizzes:
        for row in (
            QuizAttempt.objects.filter(
                enrolment__in=[e.enrolment for e in entries], quiz_id__in=list(all_quizzes)
            )
            .values("enrolment_id", "quiz_id")
            .annotate(
                used=Count("id"),
                best=Max("percent", filter=Q(status__in=CLOSED)),
                passes=Count("id", filter=Q(passed=True)),
            )
        ):
            rows[(row["enrolment_id"], row["quiz_id"])] = row
    for entry in entries:
        items = []
        for summary in quizzes.get(entry.enrolment.course_id, []):
            row = rows.get((entry.enrolment.pk, summary.id), {})
            items.append(
                DashboardQuiz(
                    summary=summary,
                    status=QuizStatus(
                        quiz_id=summary.id,
                        attempts_allowed=summary.attempts_allowed,
                        attempts_used=row.get("used", 0),
                        best_percent=row.get("best"),
                        passed=row.get("passes", 0) > 0,
                    ),
                )
            )
        entry.extras["quizzes"] = items


# --- Trainer reports (no learner names) --------------------------------------------------------
@dataclass
class QuestionReport:
    id: str
    number: int
    text: str
    type: str
    stats: ItemStats
    # The question bank a drawn question came from; empty for the quiz's own questions.
    bank: str = ""


@dataclass
class QuizReport:
    attempts: int
    passed: int
    mean: float | None
    median: float | None
    questions: list[QuestionReport]

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.attempts if self.attempts else None


def quiz_report(quiz) -> QuizReport:
    """Attempts, pass rate, mean and median, and per-question item analysis: one query for
    the attempts, one for the question banks their drawn questions came from."""
    rows = list(
        QuizAttempt.objects.filter(quiz=quiz, status__in=CLOSED).values_list(
            "percent", "passed", "results"
        )
    )
    percents = [float(p) for p, _passed, _r in rows]
    mean, median = summary_stats(percents)
    stats = item_analysis(
        [
            (float(p), {qid: bool(r.get("correct")) for qid, r in (results or {}).items()})
            for p, _passed, results in rows
        ]
    )
    # The quiz's own questions in their current order, then those drawn from banks (by bank,
    # then question), then any removed since.
    current = quiz_questions_plain(quiz)
    own = {q["id"] for q in current}
    drawn = bank_questions_by_id(qid for qid in stats if qid not in own)
    texts = {q["id"]: (q["text"], q["type"], "") for q in current}
    texts.update({qid: (q["text"], q["type"], q["bank"]) for qid, q in drawn.items()})
    ordered = [
        *(q["id"] for q in current),
        *sorted(drawn, key=lambda qid: (drawn[qid]["bank"], qid)),
        *(qid for qid in stats if qid not in own and qid not in drawn),
    ]
    questions = []
    for number, qid in enumerate(ordered, start=1):
        text, kind, bank = texts.get(qid, (_("(removed question)"), "", ""))
        questions.append(
            QuestionReport(
                id=qid,
                number=number,
                text=text,
                type=kind,
                stats=stats.get(qid, ItemStats(qid, 0, None, None)),
                bank=bank,
            )
        )
    return QuizReport(
        attempts=len(rows),
        passed=sum(1 for _p, passed, _r in rows if passed),
        mean=mean,
        median=median,
        questions=questions,
    )


# --- Review after submitting -------------------------------------------------------------------
@dataclass
class ReviewChoice:
    text: str
    chosen: bool
    correct: bool
    feedback: str


@dataclass
class ReviewQuestion:
    number: int
    text: str
    type: str
    points: int
    earned: str
    correct: bool
    explanation: str = ""
    choices: list[ReviewChoice] = field(default_factory=list)
    given_text: str = ""
    accepted: list[str] = field(default_factory=list)
    pairs: list[dict] = field(default_factory=list)


def attempt_review(attempt: QuizAttempt) -> list[ReviewQuestion]:
    """The attempt's questions as reviewed, built from its snapshot (never the live quiz)."""
    review = []
    for number, question in enumerate(attempt.snapshot, start=1):
        result = attempt.results.get(question["id"], {})
        answer = attempt.answers.get(question["id"])
        item = ReviewQuestion(
            number=number,
            text=question["text"],
            type=question["type"],
            points=question["points"],
            earned=result.get("earned", "0"),
            correct=bool(result.get("correct")),
            explanation=question.get("explanation", ""),
        )
        if "choices" in question:
            chosen = set(answer if isinstance(answer, list) else [answer] if answer else [])
            item.choices = [
                ReviewChoice(
                    text=c["text"],
                    chosen=c["id"] in chosen,
                    correct=c["correct"],
                    feedback=c.get("feedback", ""),
                )
                for c in question["choices"]
            ]
        elif question["type"] == "short_text":
            item.given_text = answer if isinstance(answer, str) else ""
            item.accepted = list(question["accepted"])
        elif question["type"] == "matching":
            options = {o["id"]: o["text"] for o in question["options"]}
            given = answer if isinstance(answer, dict) else {}
            item.pairs = [
                {
                    "prompt": p["prompt"],
                    "given": options.get(given.get(p["id"]), ""),
                    "answer": options.get(p["answer"], ""),
                    "correct": given.get(p["id"]) == p["answer"],
                }
                for p in question["pairs"]
            ]
        review.append(item)
    return review
