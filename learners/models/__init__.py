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
from .progress import Enrolment, EnrolmentSource, LessonProgress

__all__ = [
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
