from .catalogue import CourseCataloguePage, Topic
from .certificates import CertificateTemplate
from .course import CompletionRule, CoursePage, EnrolmentPolicy, Level
from .lesson import LessonPage, ModulePage

__all__ = [
    "CertificateTemplate",
    "CompletionRule",
    "CourseCataloguePage",
    "CoursePage",
    "EnrolmentPolicy",
    "LessonPage",
    "Level",
    "ModulePage",
    "Topic",
]
