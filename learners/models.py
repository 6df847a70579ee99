"""Every model of the `learners` app, for Django's model discovery and for code outside `learners`.

The models live in their rooms (`learners/<room>/models.py`); code inside `learners` imports them
from there, so the import-linter contracts see the real dependencies between rooms.
"""

from learners.accounts.models import (
    Department,
    GovernmentLevel,
    HROfficerRole,
    Invitation,
    MembershipProof,
    MembershipRequest,
    Organisation,
    SingleSignOnRule,
    User,
)
from learners.attempts.models import AttemptStatus, QuizAttempt
from learners.certificates.models import (
    AuditAction,
    Certificate,
    CertificateAuditEntry,
    CertificatePdf,
    CertificateReminder,
    CertificateStatus,
    RevocationReason,
)
from learners.credentials.models import IssuedCredential, SigningKey, StatusList
from learners.hr.models import (
    AssignedLearner,
    Assignment,
    AssignmentTarget,
    DayTallyKind,
    HRDayTally,
    HRTally,
    ReminderKind,
    ReminderLog,
)
from learners.journal.models import ReflectionNote
from learners.lti.models import LtiAccount, LtiGradeLink, LtiNonce
from learners.privacy.models import AccountErasure, DataExport, ExportStatus
from learners.progress.models import ActivityEvent, Enrolment, EnrolmentSource, LessonProgress, Verb
from learners.scorm.models import ScormAttempt
from learners.workbooks.models import SubmissionStatus, Workbook, WorkbookSubmission
from learners.xapi.models import LearningRecordStore, OutboxEntry, OutboxState, XapiAccount

__all__ = [
    "AccountErasure",
    "Invitation",
    "MembershipProof",
    "MembershipRequest",
    "SingleSignOnRule",
    "ActivityEvent",
    "AssignedLearner",
    "Assignment",
    "AssignmentTarget",
    "AttemptStatus",
    "AuditAction",
    "Certificate",
    "CertificateAuditEntry",
    "CertificatePdf",
    "CertificateReminder",
    "CertificateStatus",
    "DataExport",
    "Department",
    "Enrolment",
    "EnrolmentSource",
    "ExportStatus",
    "GovernmentLevel",
    "HRDayTally",
    "HRTally",
    "DayTallyKind",
    "HROfficerRole",
    "LearningRecordStore",
    "IssuedCredential",
    "LessonProgress",
    "LtiAccount",
    "LtiGradeLink",
    "LtiNonce",
    "Organisation",
    "OutboxEntry",
    "OutboxState",
    "QuizAttempt",
    "ReflectionNote",
    "ReminderKind",
    "ReminderLog",
    "ScormAttempt",
    "RevocationReason",
    "SigningKey",
    "StatusList",
    "SubmissionStatus",
    "User",
    "Verb",
    "Workbook",
    "WorkbookSubmission",
    "XapiAccount",
]
