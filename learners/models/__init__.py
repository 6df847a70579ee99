from .accounts import Department, GovernmentLevel, Organisation, User
from .activity import ActivityEvent, Verb
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
    "RevocationReason",
    "User",
    "Verb",
]
