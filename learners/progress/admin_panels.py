"""The *Courses* panel on the Wagtail dashboard: the courses a trainer may edit, what is waiting in
draft or review, and how many learners are active: counts only, never names (trainers are not
given learners' records; HR officers see people, in their own area).

It lives in progress, not in courses: the counts are learner data, which courses never reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from courses.models import CoursePage
from learners.progress.models import ActivityEvent, Enrolment, Verb

ACTIVE_DAYS = 7
MAX_COURSES = 12


@dataclass
class CourseRow:
    course: Page
    drafts: int = 0
    in_review: int = 0
    learners: int = 0
    active_week: int = 0
    completed_month: int = 0


def trainer_course_rows(user, *, now=None) -> list[CourseRow]:
    """Editable courses with their authoring and activity counts; a fixed number of queries."""
    now = now or timezone.now()
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["change", "publish"]
    )
    courses = list(
        CoursePage.objects.filter(pk__in=editable.values("pk"))
        .defer_streamfields()
        .order_by("title")[:MAX_COURSES]
    )
    rows = {course.pk: CourseRow(course=course) for course in courses}
    if not rows:
        return []
    by_path = {course.path: course.pk for course in courses}
    steplen = Page.steplen
    depth = courses[0].depth  # courses all sit in the catalogue, at one depth

    def course_of(path: str) -> int | None:
        return by_path.get(path[: depth * steplen])

    inside = Q()
    for course in courses:
        inside |= Q(path__startswith=course.path)
    for path in Page.objects.filter(inside, has_unpublished_changes=True).values_list(
        "path", flat=True
    ):
        rows[course_of(path)].drafts += 1
    in_review = WorkflowState.objects.active().filter(
        base_content_type__model="page", base_content_type__app_label="wagtailcore"
    )
    page_ids = [int(pk) for pk in in_review.values_list("object_id", flat=True)]
    for path in Page.objects.filter(inside, pk__in=page_ids).values_list("path", flat=True):
        rows[course_of(path)].in_review += 1

    enrolments = Enrolment.objects.filter(course_id__in=rows, archived_at__isnull=True)
    for course_id, learners, completed in (
        enrolments.values("course_id")
        .annotate(
            learners=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__gte=now - timedelta(days=30))),
        )
        .values_list("course_id", "learners", "completed")
        .order_by()
    ):
        rows[course_id].learners = learners
        rows[course_id].completed_month = completed
    active = (
        ActivityEvent.objects.filter(
            course_id__in=rows, timestamp__gte=now - timedelta(days=ACTIVE_DAYS)
        )
        .exclude(verb=Verb.REGISTERED)
        .values("course_id")
        .annotate(people=Count("actor", distinct=True))
        .values_list("course_id", "people")
        .order_by()
    )
    for course_id, people in active:
        rows[course_id].active_week = people
    return list(rows.values())


class CoursesPanel(Component):
    name = "capacitas_courses"
    template_name = "learners/progress/admin/courses_panel.html"
    order = 90  # first: what trainers come to the admin for

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["rows"] = trainer_course_rows(parent_context["request"].user)
        context["active_days"] = ACTIVE_DAYS
        return context


@hooks.register("construct_homepage_panels")
def add_courses_panel(request, panels):
    if request.user.has_perm("wagtailadmin.access_admin"):
        panels.append(CoursesPanel())
