from .accounts import Department, GovernmentLevel, Organisation, User
from .activity import ActivityEvent, Verb
from .attempts import AttemptStatus, QuizAttempt
from .certificates import Certificate, CertificateStatus, RevocationReason
from .progress import Enrolment, EnrolmentSource, LessonProgress

__all__ = [
    "ActivityEvent",
    "AttemptStatus",
    "Certificate",
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
