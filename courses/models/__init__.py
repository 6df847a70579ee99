from .banks import QuestionBank
from .catalogue import CourseCataloguePage, Topic
from .certificates import CertificateTemplate
from .course import CompletionRule, CoursePage, EnrolmentPolicy, Level
from .lesson import LessonPage, ModulePage
from .quiz import QuizPage, ReviewPolicy
from .scorm import ScormLessonPage, ScormPackage, ScormVersion
from .workbook import WorkbookPage

__all__ = [
    "CertificateTemplate",
    "CompletionRule",
    "CourseCataloguePage",
    "CoursePage",
    "EnrolmentPolicy",
    "LessonPage",
    "Level",
    "ModulePage",
    "QuestionBank",
    "QuizPage",
    "ReviewPolicy",
    "ScormLessonPage",
    "ScormPackage",
    "ScormVersion",
    "Topic",
    "WorkbookPage",
]
