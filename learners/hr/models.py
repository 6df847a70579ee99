"""HR: who may track an organisation, what was assigned to whom, and which reminders went out."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AssignmentTarget(models.TextChoices):
    INDIVIDUALS = "individuals", _("Individual learners")
    DEPARTMENT = "department", _("A department")
    ORGANISATION = "organisation", _("The whole organisation")


class Assignment(models.Model):
    """A course an HR officer requires of people, with a due date and optional recurrence.

    Department and organisation targets include people who join later: membership is
    materialised into `AssignedLearner` rows when the assignment is made and whenever a
    person joins (see learners.signals_hr).
    """

    course = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    course_title = models.CharField(_("course"), max_length=255)
    organisation = models.ForeignKey(
        "learners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    target = models.CharField(_("assigned to"), max_length=20, choices=AssignmentTarget.choices)
    department = models.ForeignKey(
        "learners.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    due_on = models.DateField(_("due date"))
    recurrence_months = models.PositiveSmallIntegerField(
        _("recertify every (months)"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target="department") & Q(department__isnull=False))
                | (~Q(target="department") & Q(department__isnull=True)),
                name="assignment_department_matches_target",
            ),
            models.CheckConstraint(
                condition=Q(recurrence_months__isnull=True) | Q(recurrence_months__gte=1),
                name="assignment_recurrence_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_title} → {self.get_target_display()} ({self.due_on})"


class AssignedLearner(models.Model):
    """One person covered by an assignment, with the due date of their current cycle."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="assigned_learners"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assigned_courses"
    )
    # The assignment's due date for the first cycle; for a recurring assignment, later cycles
    # are due when the previous completion's validity runs out.
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assigned learner")
        verbose_name_plural = _("assigned learners")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user"], name="one_assigned_row_per_learner"
            )
        ]
        indexes = [
            models.Index(fields=["user", "due_on"]),
            # The dashboard's "overdue" starts from the assignments already past due.
            models.Index(fields=["due_on"], name="assigned_learner_due"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} – {self.assignment_id} ({self.due_on})"


class ReminderKind(models.TextChoices):
    DUE_14 = "due_14", _("Due in 14 days")
    DUE_3 = "due_3", _("Due in 3 days")
    OVERDUE = "overdue", _("Overdue")
    DIGEST = "digest", _("Weekly HR digest")


class ReminderLog(models.Model):
    """Each reminder is inserted here before it is sent; the constraint sends it once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    # "<assigned learner id>:<due date>" for learner reminders, "<ISO year>-W<week>" for digests.
    key = models.CharField(max_length=60)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="one_reminder_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.key}"


def private_storage():
    """Where export files go: the `private` storage, never served as it is (a callable, so
    tests and deployments can point the alias elsewhere)."""
    return storages["private"]


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


class ExportReport(models.TextChoices):
    TABLE = "table", _("Learners and courses")
    MATRIX = "matrix", _("Compliance matrix")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """An HR export built in the background: what was asked, how far it got, and its file.

    The filters are kept as the query string the officer used; the task applies them, and the
    officer's scope, when it runs, so a role withdrawn in between exports nothing.
    """

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hr_exports"
    )
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    report = models.CharField(
        max_length=10, choices=ExportReport.choices, default=ExportReport.TABLE
    )
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent of the rows written
    row_count = models.PositiveIntegerField(default=0)  # rows written so far
    total_rows = models.PositiveIntegerField(null=True, blank=True)  # rows expected
    file = models.FileField(upload_to="hr-exports/%Y/%m/", storage=private_storage, blank=True)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("HR export")
        verbose_name_plural = _("HR exports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="hr_export_requester"),
            models.Index(fields=["expires_at"], name="hr_export_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} {self.format} {self.status} ({self.created_at:%Y-%m-%d})"

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)


class HRTally(models.Model):
    """Running totals of current enrolments for the HR dashboard, one row per organisation,
    department, course and course title (the grouping of its charts).

    Kept by `learners.hr.tallies` in the same transaction as every write that changes them
    (enrolment, completion, archiving, assignment, a person's move, deletions), with F()
    increments on rows created by an insert that ignores conflicts, so concurrent writers add
    up instead of overwriting each other. `manage.py hr_aggregates_rebuild` recomputes them
    from scratch. Plain integer keys (0 = no department / a deleted course), not foreign keys:
    a deletion's cascade must never find a tally row in its way.
    """

    organisation_key = models.BigIntegerField()
    department_key = models.BigIntegerField(default=0)
    course_key = models.BigIntegerField(default=0)
    course_title = models.CharField(max_length=255)
    enrolments = models.IntegerField(default=0)  # current (not archived) enrolments
    completed = models.IntegerField(default=0)
    assigned = models.IntegerField(default=0)  # of which HR assigned the course to the person
    assigned_completed = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("HR tally")
        verbose_name_plural = _("HR tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_key", "department_key", "course_key", "course_title"],
                name="one_hr_tally_per_group",
            )
        ]
        indexes = [
            models.Index(fields=["course_key"], name="hr_tally_course"),
            models.Index(fields=["department_key"], name="hr_tally_department"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_key}/{self.department_key}/{self.course_key}: {self.enrolments}"


class DayTallyKind(models.TextChoices):
    PEOPLE = "people", _("People counted (active, or erased with their records kept)")
    CERTIFIED = "certified", _("People certified until this day")
    ISSUED = "issued", _("Certificates issued this day")
    EXPIRES = "expires", _("Current certificates expiring this day")


class HRDayTally(models.Model):
    """Running totals by organisation and day, for the dashboard's figures that depend on the
    date: each is a sum over a range of days, read from a few hundred rows.

    PEOPLE rows use NO_DAY; a CERTIFIED person whose certificate never expires counts on
    FOREVER. Kept and rebuilt like `HRTally` (see learners.hr.tallies).
    """

    organisation_key = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=DayTallyKind.choices)
    day = models.DateField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("HR day tally")
        verbose_name_plural = _("HR day tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_key", "kind", "day"], name="one_hr_day_tally"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_key} {self.kind} {self.day}: {self.count}"
