from .accounts import Department, GovernmentLevel, Organisation, User
from .activity import ActivityEvent, Verb
from .certificates import Certificate, CertificateStatus, RevocationReason
from .progress import Enrolment, EnrolmentSource, LessonProgress

__all__ = [
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
