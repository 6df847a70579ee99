"""Workbooks as plain data: what the learner side shows, validates, snapshots and exports.

Every function here costs a fixed number of queries, whatever the size of the workbook.
"""

from __future__ import annotations

from collections.abc import Iterable

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.rich_text import expand_db_html

from courses.models import CoursePage, WorkbookPage
from courses.selectors.quizzes import _list_items


def is_workbook(page: Page) -> bool:
    return isinstance(page, WorkbookPage)


def get_live_workbook(workbook_id: int) -> WorkbookPage | None:
    return WorkbookPage.objects.live().filter(pk=workbook_id).first()


def get_workbook(workbook_id: int) -> WorkbookPage | None:
    return WorkbookPage.objects.filter(pk=workbook_id).first()


def workbook_course(workbook: WorkbookPage) -> CoursePage | None:
    """The course a workbook belongs to (its parent), in one query."""
    return CoursePage.objects.filter(
        path=workbook.path[: -Page.steplen], depth=workbook.depth - 1
    ).first()


def _field_plain(block: dict) -> dict:
    value = dict(block["value"])
    field = {
        "id": block.get("id") or "",
        "type": block["type"],
        "label": value.get("label", ""),
        "help_text": value.get("help_text", "") or "",
    }
    kind = block["type"]
    if kind == "long_text":
        field["max_length"] = int(value.get("max_length") or 4000)
        field["seed_lesson_id"] = value.get("seed_from_lesson") or None
    elif kind == "table":
        field["columns"] = [str(c) for c in _list_items(value.get("columns"))]
        field["max_rows"] = int(value.get("max_rows") or 1)
    elif kind == "choice":
        field["choices"] = [str(c) for c in _list_items(value.get("choices"))]
        field["multiple"] = bool(value.get("multiple"))
    elif kind == "scored_matrix":
        field["row_label"] = value.get("row_label", "") or ""
        field["criteria"] = [
            {"name": c.get("name", ""), "weight": int(c.get("weight") or 1)}
            for c in _list_items(value.get("criteria"))
        ]
        field["max_rows"] = int(value.get("max_rows") or 1)
    elif kind == "grid":
        field["x_axis"] = value.get("x_axis", "") or ""
        field["y_axis"] = value.get("y_axis", "") or ""
        field["max_length"] = int(value.get("max_length") or 1500)
    elif kind == "indicator_table":
        field["max_rows"] = int(value.get("max_rows") or 1)
    return field


def workbook_spec(workbook: WorkbookPage) -> dict:
    """The workbook as plain dicts keyed by stable block ids: sections, fields, rubric, limits.

    Rich instructions are expanded to final HTML here, so a snapshot of this dict still renders
    when the pages it links to have moved or the workbook itself is gone.
    """
    sections = []
    for block in workbook.sections.raw_data:
        value = dict(block["value"])
        sections.append(
            {
                "id": block.get("id") or "",
                "heading": value.get("heading", ""),
                "instructions": expand_db_html(value.get("instructions") or ""),
                "fields": [_field_plain(f) for f in value.get("fields") or []],
            }
        )
    rubric = []
    for block in workbook.rubric.raw_data:
        value = dict(block["value"])
        rubric.append(
            {
                "id": block.get("id") or "",
                "name": value.get("name", ""),
                "description": value.get("description", "") or "",
                "levels": [
                    {
                        "label": level.get("label", ""),
                        "points": int(level.get("points") or 0),
                        "description": level.get("description", "") or "",
                    }
                    for level in _list_items(value.get("levels"))
                ],
            }
        )
    return {
        "title": workbook.title,
        "intro": expand_db_html(workbook.intro or ""),
        "sections": sections,
        "rubric": rubric,
        "max_total_chars": workbook.max_total_chars,
    }


def required_workbook_ids(course: Page) -> list[int]:
    """Live workbooks of a course that must be accepted before it completes (one query)."""
    return list(
        WorkbookPage.objects.live()
        .child_of(course)
        .filter(required_for_completion=True)
        .values_list("pk", flat=True)
    )


def workbooks_by_id(workbook_ids: Iterable[int]) -> dict[int, WorkbookPage]:
    return {w.pk: w for w in WorkbookPage.objects.filter(pk__in=list(workbook_ids))}


def editable_workbook_ids(user) -> list[int]:
    """Workbooks the user may edit in the Wagtail admin (through page permissions on the course
    or anything above it): the ones whose submissions they may review. One query."""
    if not user.is_authenticated or not user.is_active:
        return []
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return list(pages.type(WorkbookPage).values_list("pk", flat=True))


def live_workbooks(course: Page) -> list[WorkbookPage]:
    """The course's live workbooks in tree order (one query), for its outline."""
    return list(WorkbookPage.objects.live().child_of(course).defer_streamfields().order_by("path"))
