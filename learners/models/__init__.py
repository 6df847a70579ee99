from .accounts import Department, GovernmentLevel, Organisation, User
from .activity import ActivityEvent, Verb
from .certificates import Certificate, CertificateStatus, RevocationReason
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
    "Certificate",
    "CertificateStatus",
    "Department",
    "Enrolment",
    "EnrolmentSource",
    "GovernmentLevel",
    "LessonProgress",
    "Organisation",
    "RevocationReason",
    "User",
    "Verb",
]
