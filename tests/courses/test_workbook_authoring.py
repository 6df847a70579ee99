"""Workbook pages as trainers author them: blocks, plain spec with stable ids, study time."""

from decimal import Decimal

import pytest

from courses.blocks.workbook import WorkbookSectionsBlock
from courses.selectors.workbooks import required_workbook_ids, workbook_spec
from courses.study_time import QuizTime, study_hours
from tests.factories import make_course, make_workbook, workbook_sections


def test_section_block_validates_and_renders_its_fields():
    block = WorkbookSectionsBlock()
    value = block.to_python(workbook_sections())
    block.clean(value)
    html = block.render(value)
    assert "Diagnosis" in html and "Partners" in html


@pytest.mark.django_db
def test_spec_keys_fields_by_block_id_and_keeps_limits():
    tree = make_course(modules=1, lessons_per_module=1)
    page = make_workbook(tree.course, required_for_completion=True)
    spec = workbook_spec(page)
    fields = {f["id"]: f for s in spec["sections"] for f in s["fields"]}
    assert fields["fld-assets"]["max_length"] == 500
    assert fields["fld-ties"]["columns"] == ["Partner", "Since"]
    assert fields["fld-scoring"]["criteria"][0] == {"name": "Fit", "weight": 2}
    assert fields["fld-indicators"]["max_rows"] == 2
    assert [c["id"] for c in spec["rubric"]] == ["crit-evidence", "crit-feasibility"]
    assert "<b>assets</b>" in spec["sections"][0]["instructions"]
    assert required_workbook_ids(tree.course) == [page.pk]


@pytest.mark.django_db
def test_course_accepts_workbook_children():
    from courses.models import CoursePage, WorkbookPage

    assert WorkbookPage in CoursePage.allowed_subpage_models()


def test_study_hours_include_the_capstone():
    base = study_hours(lesson_minutes=[60, 30], quizzes=[QuizTime(questions=10)])
    with_capstone = study_hours(
        lesson_minutes=[60, 30], quizzes=[QuizTime(questions=10)], workbook_hours=[Decimal("3")]
    )
    assert base == Decimal("2")  # 105 minutes → 2 h
    assert with_capstone == Decimal("5")
