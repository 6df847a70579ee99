"""The flagship course's capstone: *Draft your government's international action plan*.

Created once (found again by its slug), with a rubric, and with two demo plans: one waiting for
review and one accepted by the demo trainer. The rows are written directly rather than through
the services so that loading the demo sends no e-mail.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.http import QueryDict
from django.utils import timezone

from courses.models import CoursePage, WorkbookPage
from courses.selectors.workbooks import workbook_spec
from learners.models import Enrolment, SubmissionStatus, Workbook, WorkbookSubmission
from learners.workbooks.rules import parse_form, rubric_score

SLUG = "international-action-plan"
TITLE = "Draft your government's international action plan"


def _long(fid: str, label: str, help_text: str, max_length: int = 4000) -> dict:
    return {
        "type": "long_text",
        "id": fid,
        "value": {
            "label": label,
            "help_text": help_text,
            "max_length": max_length,
            "seed_from_lesson": None,
        },
    }


def _section(sid: str, heading: str, instructions: str, fields: list[dict]) -> dict:
    return {
        "type": "section",
        "id": sid,
        "value": {"heading": heading, "instructions": instructions, "fields": fields},
    }


SECTIONS = [
    _section(
        "diagnosis",
        "Diagnosis: assets and existing ties",
        "<p>Start from what your government already has. List the assets that make it "
        "interesting to partners abroad (a port, a university, a diaspora, a policy others "
        "want to learn from) and the ties it already keeps, even dormant ones. Be concrete: "
        "a reviewer should be able to check each line.</p>",
        [
            _long(
                "diagnosis-assets",
                "Assets your government can bring to international work",
                "Three to six assets, each with one sentence on why it matters to others.",
            ),
            {
                "type": "table",
                "id": "diagnosis-ties",
                "value": {
                    "label": "Existing ties",
                    "help_text": "Agreements, twinnings, network memberships, projects.",
                    "columns": ["Partner or network", "Since", "Status today", "Who holds it"],
                    "max_rows": 8,
                },
            },
        ],
    ),
    _section(
        "stakeholders",
        "Stakeholder map",
        "<p>Place the people and bodies whose support or opposition shapes the plan: "
        "departments, elected members, business, universities, civil society, national "
        "ministries. High influence and high interest means you involve them closely; high "
        "influence and low interest means you keep them satisfied.</p>",
        [
            {
                "type": "grid",
                "id": "stakeholders-grid",
                "value": {
                    "label": "Stakeholders by interest and influence",
                    "help_text": "One stakeholder per line, with a word on what they expect.",
                    "x_axis": "interest",
                    "y_axis": "influence",
                    "max_length": 1500,
                },
            }
        ],
    ),
    _section(
        "objectives",
        "Objectives and priorities",
        "<p>Write no more than four objectives, each tied to a local policy priority the "
        "council has already adopted. International work that serves no local goal is the "
        "first to be cut.</p>",
        [
            _long(
                "objectives-text",
                "Objectives, each linked to a local priority",
                "Use the form: to … so that … (local priority).",
            ),
            {
                "type": "choice",
                "id": "objectives-themes",
                "value": {
                    "label": "Themes the plan concentrates on",
                    "help_text": "Choose the few you will really resource.",
                    "choices": [
                        "Climate and energy",
                        "Economic development and investment",
                        "Culture and education",
                        "Migration and inclusion",
                        "Urban planning and housing",
                        "Public health",
                        "Digital government",
                    ],
                    "multiple": True,
                },
            },
        ],
    ),
    _section(
        "partners",
        "Partner and network choices",
        "<p>Score the partners or networks you are considering against criteria that "
        "follow from your objectives. Weigh the criteria: relevance to an objective usually "
        "counts for more than prestige.</p>",
        [
            {
                "type": "scored_matrix",
                "id": "partners-scoring",
                "value": {
                    "label": "Partner scoring",
                    "help_text": "Score 1 (weak) to 5 (strong).",
                    "row_label": "Partner or network",
                    "criteria": [
                        {"name": "Fit with objectives", "weight": 3},
                        {"name": "Capacity to deliver", "weight": 2},
                        {"name": "Cost of membership or travel", "weight": 1},
                        {"name": "Political support at home", "weight": 2},
                    ],
                    "max_rows": 6,
                },
            },
            _long(
                "partners-why",
                "Why these choices",
                "Two or three sentences on the partners you keep and those you drop.",
                2000,
            ),
        ],
    ),
    _section(
        "actions",
        "One-year action plan, budget and funding",
        "<p>Turn the objectives into actions for the next twelve months. Give each action a "
        "budget line and say where the money comes from: own budget, a national agency, an "
        "EU or other programme, a development bank, a foundation, or a partner's "
        "contribution.</p>",
        [
            {
                "type": "table",
                "id": "actions-table",
                "value": {
                    "label": "Actions for the year",
                    "help_text": "",
                    "columns": ["Action", "Quarter", "Lead", "Budget (EUR)", "Funding source"],
                    "max_rows": 10,
                },
            }
        ],
    ),
    _section(
        "governance",
        "Governance and coordination",
        "<p>Say who decides, who coordinates across departments, and how often progress "
        "is reviewed. Name roles rather than people.</p>",
        [_long("governance-text", "Governance and coordination", "")],
    ),
    _section(
        "communication",
        "Communication and accountability",
        "<p>Explain how residents, the council and partners will hear about the plan and "
        "its results, and how you will answer the question every taxpayer asks: what did "
        "this trip or membership bring us?</p>",
        [_long("communication-text", "Communication and accountability", "")],
    ),
    _section(
        "monitoring",
        "Monitoring indicators",
        "<p>Choose a handful of indicators you can actually measure, with today's value, "
        "the target in a year and where the figure will come from.</p>",
        [
            {
                "type": "indicator_table",
                "id": "monitoring-indicators",
                "value": {"label": "Indicators", "help_text": "", "max_rows": 8},
            }
        ],
    ),
]


def _levels(descriptions: list[str]) -> list[dict]:
    labels = ["Emerging", "Developing", "Proficient", "Exemplary"]
    return [
        {"label": label, "points": points, "description": text}
        for points, (label, text) in enumerate(zip(labels, descriptions, strict=True), start=1)
    ]


RUBRIC = [
    {
        "type": "criterion",
        "id": "rubric-diagnosis",
        "value": {
            "name": "Grounded diagnosis",
            "description": "Assets, ties and stakeholders are specific and checkable.",
            "levels": _levels(
                [
                    "Generic statements that could describe any city.",
                    "Some specific assets; ties or stakeholders missing.",
                    "Specific assets, ties and stakeholders.",
                    "Specific and evidenced, with dormant ties worth reviving.",
                ]
            ),
        },
    },
    {
        "type": "criterion",
        "id": "rubric-coherence",
        "value": {
            "name": "Coherence of objectives and partners",
            "description": "Objectives serve local priorities; partners follow from them.",
            "levels": _levels(
                [
                    "Objectives unrelated to local priorities.",
                    "Objectives linked, partner choice not argued.",
                    "Objectives linked, partners scored on relevant criteria.",
                    "A clear line from local priority to objective to partner.",
                ]
            ),
        },
    },
    {
        "type": "criterion",
        "id": "rubric-feasibility",
        "value": {
            "name": "Feasibility",
            "description": "Actions, budget, funding and governance are realistic for a year.",
            "levels": _levels(
                [
                    "No budget or funding sources.",
                    "Budget given, funding sources vague.",
                    "Budgeted actions with named sources and leads.",
                    "Realistic, sequenced and with a fallback for uncertain funding.",
                ]
            ),
        },
    },
    {
        "type": "criterion",
        "id": "rubric-accountability",
        "value": {
            "name": "Accountability and monitoring",
            "description": "Residents and council can see what the plan achieves.",
            "levels": _levels(
                [
                    "No indicators or communication.",
                    "Indicators without baselines or sources.",
                    "Measurable indicators with baselines, targets and sources.",
                    "Indicators tied to objectives and a public reporting routine.",
                ]
            ),
        },
    },
]


LIST_KEYS = ("columns", "choices", "criteria", "levels")


def _with_item_ids(raw, owner: str = ""):
    """`raw` StreamField data whose list items (table columns, choice options, scoring criteria,
    rubric levels) carry ids derived from their block's id, key and position. Without ids each
    read of the page gives them new ones, and wagtail-localize cannot pair the Spanish items
    with the English (cms/demo/translations.py); derived ids keep the loader idempotent."""
    if isinstance(raw, list):
        return [_with_item_ids(item, owner) for item in raw]
    if not isinstance(raw, dict):
        return raw
    if "type" in raw and "value" in raw:
        return {**raw, "value": _with_item_ids(raw["value"], raw.get("id") or owner)}
    out = {}
    for key, value in raw.items():
        if key in LIST_KEYS and isinstance(value, list):
            value = [
                item
                if isinstance(item, dict) and item.get("type") == "item" and item.get("id")
                else {
                    "type": "item",
                    "value": item.get("value")
                    if isinstance(item, dict) and "type" in item
                    else item,
                    "id": f"{owner}-{key}-{index}",
                }
                for index, item in enumerate(value)
            ]
        out[key] = _with_item_ids(value, owner)
    return out


def ensure_workbook(course: CoursePage) -> WorkbookPage:
    page = WorkbookPage.objects.child_of(course).filter(slug=SLUG).first()
    if page is not None:
        # A workbook loaded before its list items had ids gets them once, content unchanged.
        sections = _with_item_ids(list(page.sections.raw_data))
        rubric = _with_item_ids(list(page.rubric.raw_data))
        if sections != list(page.sections.raw_data) or rubric != list(page.rubric.raw_data):
            page.sections, page.rubric = sections, rubric
            page.save_revision().publish()
            page.refresh_from_db()
        return page
    page = WorkbookPage(
        title=TITLE,
        slug=SLUG,
        intro=(
            "<p>Apply the course to your own government. Over several visits you draft the "
            "international action plan you could take to your council: a diagnosis, a "
            "stakeholder map, objectives, partners, a one-year plan with its budget, "
            "governance, communication and indicators. A trainer reviews it against the "
            "rubric below and may ask you to revise it.</p>"
        ),
        sections=_with_item_ids(SECTIONS),
        rubric=_with_item_ids(RUBRIC),
        estimated_hours=Decimal("4"),
        # Optional in the demo: demo learners who finished the course before the capstone
        # existed keep their completion, and new ones are not blocked by an empty queue.
        required_for_completion=False,
    )
    course.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _form(values: dict[str, str | list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


PLAN_A = {
    "f-diagnosis-assets": (
        "A container port that handles a fifth of the region's exports.\n"
        "A technical university with a water-engineering faculty.\n"
        "A diaspora of about 40,000 people in two European capitals."
    ),
    "f-diagnosis-ties-0-0": "Twinning with a Baltic port city",
    "f-diagnosis-ties-0-1": "2009",
    "f-diagnosis-ties-0-2": "Dormant since 2016",
    "f-diagnosis-ties-0-3": "Mayor's office",
    "f-stakeholders-grid-hh": "Port authority: wants new shipping routes",
    "f-stakeholders-grid-hl": "Finance committee: watches travel costs",
    "f-objectives-text": (
        "To attract two water-technology partnerships so that the flood-resilience "
        "programme adopted in the council's 2025 plan can draw on tested solutions."
    ),
    "f-objectives-themes": ["Climate and energy", "Economic development and investment"],
    "f-partners-scoring-0-name": "A regional network of port cities",
    "f-partners-scoring-0-s0": "5",
    "f-partners-scoring-0-s1": "4",
    "f-partners-scoring-0-s2": "3",
    "f-partners-scoring-0-s3": "4",
    "f-actions-table-0-0": "Revive the twinning with a joint flood workshop",
    "f-actions-table-0-1": "Q2",
    "f-actions-table-0-2": "International relations unit",
    "f-actions-table-0-3": "12000",
    "f-actions-table-0-4": "Own budget and a national agency grant",
    "f-monitoring-indicators-0-0": "Partnership agreements signed",
    "f-monitoring-indicators-0-1": "0",
    "f-monitoring-indicators-0-2": "2",
    "f-monitoring-indicators-0-3": "International relations unit register",
}

PLAN_B = {
    **PLAN_A,
    "f-diagnosis-assets": (
        "A cultural festival with 200,000 visitors a year.\n"
        "A municipal housing company that others visit to learn from."
    ),
    "f-governance-text": (
        "A steering group chaired by the deputy mayor meets every quarter; the international "
        "relations unit coordinates and reports to it."
    ),
    "f-communication-text": (
        "A yearly public report on what each partnership brought the city, presented to the "
        "council with the budget."
    ),
}


def _plan(*, enrolment: Enrolment, page: WorkbookPage, spec: dict, values: dict) -> Workbook:
    parsed = parse_form(spec, _form(values))
    workbook, _ = Workbook.objects.get_or_create(
        enrolment=enrolment,
        page=page,
        defaults={
            "user": enrolment.user,
            "page_title": page.title,
            "answers": parsed.answers,
            "version": 1,
            "saved_at": timezone.now() - timedelta(days=3),
        },
    )
    return workbook


def load_workbook(course: CoursePage, people: dict) -> WorkbookPage:
    page = ensure_workbook(course)
    spec = workbook_spec(page)
    learner_ids = [person.pk for person in people["learners"]]
    enrolments = list(
        Enrolment.objects.filter(
            course=course, archived_at__isnull=True, user_id__in=learner_ids
        ).order_by("user__email")[:2]
    )
    if len(enrolments) < 2:
        return page
    trainer = people["accounts"].get("trainer")
    now = timezone.now()
    for enrolment, values, accepted in (
        (enrolments[0], PLAN_A, False),
        (enrolments[1], PLAN_B, True),
    ):
        workbook = _plan(enrolment=enrolment, page=page, spec=spec, values=values)
        if workbook.submissions.exists():
            continue
        submission = WorkbookSubmission(
            workbook=workbook,
            number=1,
            snapshot=spec,
            answers=workbook.answers,
            submitted_at=now - timedelta(days=2),
        )
        if accepted and trainer is not None:
            levels = {
                "rubric-diagnosis": 2,
                "rubric-coherence": 3,
                "rubric-feasibility": 2,
                "rubric-accountability": 3,
            }
            result = rubric_score(spec["rubric"], levels)
            submission.status = SubmissionStatus.ACCEPTED
            submission.reviewed_at = now - timedelta(days=1)
            submission.reviewer = trainer
            submission.reviewer_name = trainer.full_name
            submission.rubric_scores = result.scores
            submission.score = result.score
            submission.max_score = result.max_score
            submission.section_feedback = {
                "actions": "Good that each action has a lead. Add a fallback if the grant "
                "is refused.",
            }
            submission.overall_feedback = (
                "A coherent plan tied to the council's priorities. Accepted."
            )
        submission.save()
    return page
