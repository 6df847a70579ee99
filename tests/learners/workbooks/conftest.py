import pytest

from learners.progress.services import enrolment_create
from tests.factories import make_course, make_workbook


@pytest.fixture
def workbook_course(db):
    tree = make_course(modules=1, lessons_per_module=1)
    page = make_workbook(tree.course, required_for_completion=True)
    return tree, page


@pytest.fixture
def enrolled(workbook_course, learner):
    tree, page = workbook_course
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    return enrolment


FILLED = {
    "f-fld-assets": "We host the regional port authority.\r\nTwo universities.",
    "f-fld-ties-0-0": "Porto",
    "f-fld-ties-0-1": "2015",
    "f-fld-priorities": ["Climate", "Culture"],
    "f-fld-scoring-0-name": "Eurocities",
    "f-fld-scoring-0-s0": "4",
    "f-fld-scoring-0-s1": "3",
    "f-fld-stakeholders-hh": "Mayor's office",
    "f-fld-indicators-0-0": "Projects funded",
    "f-fld-indicators-0-1": "0",
    "f-fld-indicators-0-2": "2",
    "f-fld-indicators-0-3": "Finance office",
}
