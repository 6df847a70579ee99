"""The practitioner's toolkit: templates generated at demo load into Wagtail documents.

Idempotent: each template is one document in the "Toolkit" collection, found again by its title;
its file is generated only when the document or its file is missing. The flagship lessons that
teach a tool get a download block for it, appended after the lesson body from the JSON, so the
content files can change freely; the toolkit page lists them all and the home page links to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.html import escape
from wagtail.documents.models import Document
from wagtail.models import Collection

from cms.demo import toolkit_docx as docx_templates
from cms.demo import toolkit_xlsx as xlsx_templates
from cms.models import HomePage, StandardPage
from courses.models import CoursePage, LessonPage

COLLECTION = "Toolkit"
PAGE_SLUG = "toolkit"
PRACTICE_HEADING = "Put it into practice"


@dataclass(frozen=True)
class Tool:
    key: str
    title: str
    filename: str
    description: str
    build: Callable[[], bytes]
    lessons: tuple[str, ...]  # slugs of the flagship lessons that teach it
    stage: str  # the section of the toolkit page


def _docx(title: str, subtitle: str, parts: list[tuple]) -> Callable[[], bytes]:
    return lambda: docx_templates.build_docx(title, subtitle, parts)


DIAGNOSE, PLAN, PARTNER, TRAVEL, MEASURE = (
    "Diagnose",
    "Plan",
    "Work with partners",
    "Missions and delegations",
    "Measure and communicate",
)
STAGES = [DIAGNOSE, PLAN, PARTNER, TRAVEL, MEASURE]

TOOLS = [
    Tool(
        "swot",
        "SWOT analysis for international action",
        "swot-analysis.docx",
        "A four-box analysis with prompts for each box, an evidence table and a grid that "
        "turns the analysis into strategic options.",
        _docx(
            "SWOT analysis for international action",
            "Strengths, weaknesses, opportunities and threats of your government abroad",
            docx_templates.SWOT,
        ),
        ("diagnosis",),
        DIAGNOSE,
    ),
    Tool(
        "stakeholders",
        "Stakeholder map (interest and influence)",
        "stakeholder-map.xlsx",
        "A spreadsheet to list internal and external stakeholders, score their interest and "
        "influence, and see which to involve closely, keep satisfied, keep informed or monitor.",
        xlsx_templates.stakeholder_map_xlsx,
        ("diagnosis", "participatory-metropolitan-plan"),
        DIAGNOSE,
    ),
    Tool(
        "plan",
        "International action plan: outline",
        "international-action-plan-outline.docx",
        "The sections of a plan for international action, from mandate and diagnosis to a "
        "one-year action plan with budget lines, governance, risks and indicators.",
        _docx(
            "International action plan: outline",
            "A structure and guidance for your government's internationalisation plan",
            docx_templates.PLAN_OUTLINE,
        ),
        ("strategic-plan", "participatory-metropolitan-plan"),
        PLAN,
    ),
    Tool(
        "partners",
        "Partner scoring sheet",
        "partner-scoring-sheet.xlsx",
        "Weighted criteria for choosing partners and networks; scores from 0 to 5 give a "
        "weighted score out of 100, a rank and a suggested decision.",
        xlsx_templates.partner_scoring_xlsx,
        ("strategic-plan", "choosing-and-working-with-networks"),
        PARTNER,
    ),
    Tool(
        "mou",
        "Memorandum of understanding checklist",
        "memorandum-of-understanding-checklist.docx",
        "What to check before drafting, what the text should contain, and what to do before "
        "and after signing so that the agreement is used rather than filed.",
        _docx(
            "Memorandum of understanding checklist",
            "Preparing, signing and following up an agreement with a partner abroad",
            docx_templates.MOU_CHECKLIST,
        ),
        ("legal-and-institutional-frameworks",),
        PARTNER,
    ),
    Tool(
        "mission-brief",
        "Mission brief",
        "mission-brief.docx",
        "Objectives, delegation, programme, key messages, coordination with embassies and "
        "other governments, budget and follow-up for a mission abroad or a visiting delegation.",
        _docx(
            "Mission brief",
            "Prepare a mission abroad or an incoming delegation",
            docx_templates.MISSION_BRIEF,
        ),
        ("multilevel-governance",),
        TRAVEL,
    ),
    Tool(
        "mission-report",
        "Mission report",
        "mission-report.docx",
        "A one-page summary, results against the objectives, meetings, commitments, new "
        "contacts, costs and lessons, so that every mission leaves a record.",
        _docx(
            "Mission report",
            "Record what a mission achieved and what follows from it",
            docx_templates.MISSION_REPORT,
        ),
        ("arguments-and-knowledge-management",),
        TRAVEL,
    ),
    Tool(
        "indicators",
        "Indicator sheet",
        "indicator-sheet.xlsx",
        "One row per indicator with baseline, target, source, frequency and owner; progress "
        "and status (on track, behind, at risk) are calculated.",
        xlsx_templates.indicator_sheet_xlsx,
        ("from-plan-to-action",),
        MEASURE,
    ),
    Tool(
        "communication",
        "Communication and accountability plan",
        "communication-plan.docx",
        "Audiences, key messages, channels and a calendar, with the accountability "
        "commitments and prepared answers to the criticism international action attracts.",
        _docx(
            "Communication and accountability plan",
            "Explain your international action and report its results",
            docx_templates.COMMUNICATION_PLAN,
        ),
        ("communication-and-accountability",),
        MEASURE,
    ),
]


def ensure_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION).first()
    return existing or root.add_child(name=COLLECTION)


def _file_present(document: Document) -> bool:
    return bool(document.file) and document.file.storage.exists(document.file.name)


def _store(document: Document, tool: Tool) -> None:
    data = tool.build()
    document.file.save(tool.filename, ContentFile(data), save=False)
    document.file_size = len(data)
    document.file_hash = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    document.save()


def ensure_documents() -> dict[str, Document]:
    """One document per tool; a file is generated only when it is missing."""
    collection = ensure_collection()
    documents = {}
    for tool in TOOLS:
        document = Document.objects.filter(collection=collection, title=tool.title).first()
        if document is None:
            document = Document(title=tool.title, collection=collection)
            _store(document, tool)
        elif not _file_present(document):
            _store(document, tool)
        documents[tool.key] = document
    return documents


def _document_ids(body) -> set[int]:
    ids = set()
    for block in body.raw_data:
        if block["type"] == "document":
            ids.add(int(block["value"]["document"]))
    return ids


def _document_block(document: Document, tool: Tool) -> dict:
    return {
        "type": "document",
        "value": {"document": document.pk, "title": "", "description": tool.description},
    }


def flagship_links() -> dict[str, list[str]]:
    """Tool keys by the slug of the flagship lesson that teaches them."""
    links: dict[str, list[str]] = {}
    for tool in TOOLS:
        for slug in tool.lessons:
            links.setdefault(slug, []).append(tool.key)
    return links


def link_lessons(
    course: CoursePage,
    documents: dict[str, Document],
    links: dict[str, list[str]] | None = None,
) -> int:
    """Add a download block to each lesson that teaches a tool; returns lessons changed.

    `links` maps lesson slugs of the course to tool keys (the flagship's by default). The blocks
    go before the lesson's closing takeaways and resources, under one "Put it into practice"
    heading, so they sit where the learner finishes the lesson.
    """
    by_key = {tool.key: tool for tool in TOOLS}
    wanted = {
        slug: [by_key[key] for key in keys] for slug, keys in (links or flagship_links()).items()
    }
    lessons = LessonPage.objects.descendant_of(course).filter(slug__in=list(wanted))
    changed = 0
    for lesson in lessons:
        present = _document_ids(lesson.body)
        missing = [t for t in wanted[lesson.slug] if documents[t.key].pk not in present]
        if not missing:
            continue
        raw = [dict(block) for block in lesson.body.raw_data]
        at = len(raw)
        while at > 0 and raw[at - 1]["type"] in ("takeaways", "resources"):
            at -= 1
        new = [_document_block(documents[t.key], t) for t in missing]
        if not present:
            new.insert(0, {"type": "heading", "value": {"text": PRACTICE_HEADING, "level": "h2"}})
        lesson.body = raw[:at] + new + raw[at:]
        lesson.save_revision().publish()
        changed += 1
    return changed


def _toolkit_body(documents: dict[str, Document], lessons: dict[str, LessonPage]) -> list[dict]:
    body = []
    for stage in STAGES:
        body.append({"type": "heading", "value": stage})
        for tool in (t for t in TOOLS if t.stage == stage):
            body.append(_document_block(documents[tool.key], tool))
            taught = [lessons[slug] for slug in tool.lessons if slug in lessons]
            if taught:
                links = ", ".join(
                    f'<a linktype="page" id="{lesson.pk}">{escape(lesson.title)}</a>'
                    for lesson in taught
                )
                body.append({"type": "paragraph", "value": f"<p>Taught in: {links}.</p>"})
    return body


def ensure_page(home: HomePage, course: CoursePage, documents: dict[str, Document]) -> StandardPage:
    page = StandardPage.objects.child_of(home).filter(slug=PAGE_SLUG).first()
    if page is None:
        slugs = {slug for tool in TOOLS for slug in tool.lessons}
        lessons = {
            lesson.slug: lesson
            for lesson in LessonPage.objects.descendant_of(course).filter(slug__in=slugs)
        }
        page = StandardPage(
            title="Practitioner's toolkit",
            slug=PAGE_SLUG,
            intro=(
                "Templates to diagnose, plan, choose partners, prepare missions, measure and "
                "report your government's international action. Download them, adapt them to "
                "your administration and use them with the lessons that teach them."
            ),
            body=_toolkit_body(documents, lessons),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    marker = f'linktype="page" id="{page.pk}"'
    home = HomePage.objects.get(pk=home.pk)
    if marker not in home.intro:
        home.intro += (
            f"<p>Templates for your daily work are in the <a {marker}>practitioner's "
            "toolkit</a>: a plan outline, a SWOT, a stakeholder map, a partner scoring sheet, "
            "mission briefs and reports, an indicator sheet and more.</p>"
        )
        home.save_revision().publish()
    return page


def load_toolkit(home: HomePage, course: CoursePage) -> dict:
    documents = ensure_documents()
    link_lessons(course, documents)
    page = ensure_page(home, course, documents)
    return {"documents": documents, "page": page}
