from .accounts import Department, GovernmentLevel, Organisation, User
from .activity import ActivityEvent, Verb
from .attempts import AttemptStatus, QuizAttempt
from .certificates import (
    AuditAction,
    Certificate,
    CertificateAuditEntry,
    CertificateReminder,
    CertificateStatus,
    RevocationReason,
)
from .hr import (
    AssignedLearner,
    Assignment,
    AssignmentTarget,
    HROfficerRole,
    ReminderKind,
    ReminderLog,
)
from .progress import Enrolment, EnrolmentSource, LessonProgress

__all__ = [
    "AssignedLearner",
    "Assignment",
    "AssignmentTarget",
    "HROfficerRole",
    "ReminderKind",
    "ReminderLog",
    "ActivityEvent",
    "AttemptStatus",
    "AuditAction",
    "Certificate",
    "CertificateAuditEntry",
    "CertificateReminder",
    "CertificateStatus",
    "Department",
    "Enrolment",
    "EnrolmentSource",
    "GovernmentLevel",
    "LessonProgress",
    "Organisation",
    "QuizAttempt",
    "RevocationReason",
    "User",
    "Verb",
]
