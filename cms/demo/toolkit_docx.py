"""The toolkit's Word templates, written as data and built with python-docx.

Each template is a list of parts: headings use Word's own heading styles (so the navigation pane
and screen readers see the structure), guidance notes are set apart in a shaded box, and the
tables to fill have a repeating header row.
"""

from __future__ import annotations

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

NOTE_FILL = "E8F0F8"
HEADER_FILL = "1F4E79"
PUBLISHER = "Capacitas practitioner's toolkit"


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_header(row) -> None:
    """Mark a table row as a header row: repeated on each page and announced as headers."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _note(document, text: str) -> None:
    """A shaded paragraph rather than a one-cell table, so screen readers meet no layout table."""
    paragraph = document.add_paragraph()
    properties = paragraph._p.get_or_add_pPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), NOTE_FILL)
    properties.append(shading)
    paragraph.paragraph_format.space_after = Pt(10)
    label = paragraph.add_run("Guidance: ")
    label.bold = True
    paragraph.add_run(text)


def _table(document, headers: list[str], rows: list[list[str]] | int) -> None:
    body_rows = rows if isinstance(rows, list) else [[""] * len(headers) for _ in range(rows)]
    table = document.add_table(rows=1 + len(body_rows), cols=len(headers))
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, headers, strict=True):
        _shade(cell, HEADER_FILL)
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    for row, values in zip(table.rows[1:], body_rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.paragraphs[0].add_run(text)
    document.add_paragraph()


def _checklist(document, items: list[str]) -> None:
    _table(document, ["Check", "Done", "Notes"], [[item, "☐", ""] for item in items])


def build_docx(title: str, subtitle: str, parts: list[tuple]) -> bytes:
    """Render a template; parts are (kind, ...) tuples, see the templates below."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    properties = document.core_properties
    properties.title = title
    properties.subject = subtitle
    properties.author = PUBLISHER
    properties.language = "en"
    properties.keywords = "international action; local government; template"
    document.add_heading(title, level=0)
    document.add_paragraph().add_run(subtitle).italic = True
    for part in parts:
        kind = part[0]
        if kind == "h1":
            document.add_heading(part[1], level=1)
        elif kind == "h2":
            document.add_heading(part[1], level=2)
        elif kind == "p":
            document.add_paragraph(part[1])
        elif kind == "note":
            _note(document, part[1])
        elif kind == "bullets":
            for item in part[1]:
                document.add_paragraph(item, style="List Bullet")
        elif kind == "numbered":
            for item in part[1]:
                document.add_paragraph(item, style="List Number")
        elif kind == "table":
            _table(document, part[1], part[2])
        elif kind == "check":
            _checklist(document, part[1])
        elif kind == "lines":
            for _ in range(part[1]):
                document.add_paragraph("")
        else:
            raise ValueError(f"unknown part {kind!r}")
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = f"{title} · {PUBLISHER} · free to adapt for your own government"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- The templates -----------------------------------------------------------------------------
PLAN_OUTLINE = [
    (
        "note",
        "Use this outline to write, or to review, your government's plan for international "
        "action. Keep the finished plan short (15 to 25 pages plus annexes) so that councillors "
        "and departments actually read it. Each section lists the questions it must answer; "
        "delete the guidance boxes once the section is written.",
    ),
    ("h1", "1. Summary"),
    (
        "note",
        "One page, written last. State the vision in one sentence, the three to five "
        "objectives, the priority regions and themes, the budget and who is responsible.",
    ),
    ("lines", 3),
    ("h1", "2. Mandate and political commitment"),
    (
        "bullets",
        [
            "Which decision of the council or the mayor gives the plan its mandate?",
            "Which elected official leads it, and which unit manages it day to day?",
            "How does the plan relate to the government's strategic or development plan?",
        ],
    ),
    ("lines", 2),
    ("h1", "3. Diagnosis: where we start"),
    (
        "note",
        "Summarise the diagnosis here and put the evidence in annexes: the SWOT, the "
        "stakeholder map and the inventory of existing relations (toolkit templates).",
    ),
    ("h2", "3.1 Assets and challenges of the territory"),
    ("lines", 2),
    ("h2", "3.2 Inventory of existing relations"),
    (
        "table",
        [
            "Partner or network",
            "Type",
            "Since",
            "Activity in the last two years",
            "Annual cost",
            "Results",
            "Decision (revive, refocus, close)",
        ],
        5,
    ),
    ("h2", "3.3 Main findings"),
    ("lines", 2),
    ("h1", "4. Vision and strategic objectives"),
    (
        "note",
        "Each objective must serve a local priority that residents would recognise (jobs, "
        "climate, services, culture) and have at least one indicator in the indicator sheet.",
    ),
    (
        "table",
        ["Objective", "Local priority it serves", "Lead department", "Main indicator"],
        4,
    ),
    ("h1", "5. Priorities: themes and regions"),
    (
        "bullets",
        [
            "Which themes come first, and which will you decline even if invited?",
            "Which countries or regions matter most, and why (trade, diaspora, shared "
            "challenges, national foreign policy)?",
        ],
    ),
    ("lines", 2),
    ("h1", "6. Partners and networks"),
    (
        "note",
        "Score current and proposed partners and networks with the partner scoring sheet, "
        "and record here the decisions and the criteria used.",
    ),
    ("table", ["Partner or network", "Objective served", "Score", "Decision", "Lead"], 5),
    ("h1", "7. One-year action plan"),
    (
        "table",
        [
            "Action",
            "Objective",
            "Lead department",
            "Partners",
            "Budget line",
            "Amount",
            "Funding source",
            "Quarter",
        ],
        8,
    ),
    ("h1", "8. Governance and coordination"),
    (
        "bullets",
        [
            "Steering: who meets, how often, and what they decide.",
            "Focal points in each department and in municipal companies.",
            "Coordination with other levels of government (national ministry of foreign "
            "affairs, region, metropolitan area) and with local stakeholders.",
        ],
    ),
    ("lines", 2),
    ("h1", "9. Resources"),
    ("table", ["Resource", "Current year", "Next year", "Source"], 5),
    ("h1", "10. Communication and accountability"),
    (
        "p",
        "Summarise the communication plan (toolkit template): audiences, key messages and how "
        "results are reported to the council and to residents.",
    ),
    ("lines", 2),
    ("h1", "11. Monitoring and evaluation"),
    (
        "p",
        "Attach the indicator sheet. Say when the plan is reviewed (at least once a year), "
        "who reviews it and when an external evaluation takes place.",
    ),
    ("lines", 2),
    ("h1", "12. Risks"),
    ("table", ["Risk", "Likelihood", "Impact", "Mitigation", "Owner"], 4),
    ("h1", "Annexes"),
    (
        "bullets",
        [
            "A. SWOT analysis",
            "B. Stakeholder map",
            "C. Inventory of existing relations",
            "D. Partner scoring sheet",
            "E. Indicator sheet",
            "F. Communication plan",
        ],
    ),
]

SWOT = [
    (
        "note",
        "A SWOT analysis sorts what you know about your government's international position "
        "into four boxes. Strengths and weaknesses are internal: things your administration "
        "controls. Opportunities and threats are external: trends and actors you do not "
        "control. Fill it in with people from several departments and at least one outside "
        "stakeholder, and back each statement with evidence (a figure, a report, an interview).",
    ),
    ("h1", "1. The analysis"),
    (
        "table",
        ["", "Helpful to our objectives", "Harmful to our objectives"],
        [
            [
                "Internal (we control it)",
                "STRENGTHS\n\nPrompts: assets of the territory (port, university, "
                "industries, culture); staff with languages and experience; agreements that "
                "deliver; political support; reputation in a field.\n\n•\n•\n•",
                "WEAKNESSES\n\nPrompts: no mandate or plan; small or unstable budget; "
                "knowledge held by one person; dormant agreements; departments not involved; "
                "no indicators.\n\n•\n•\n•",
            ],
            [
                "External (we do not control it)",
                "OPPORTUNITIES\n\nPrompts: open calls for funding; networks working on "
                "your priorities; national strategies that welcome local action; diaspora; "
                "events the city could host.\n\n•\n•\n•",
                "THREATS\n\nPrompts: public criticism of travel costs; changes of government; "
                "competition from nearby cities; crises that divert resources; reputational "
                "risk of some partners.\n\n•\n•\n•",
            ],
        ],
    ),
    ("h1", "2. Evidence for each statement"),
    ("table", ["Statement", "Box (S, W, O, T)", "Evidence or source", "Who confirmed it"], 8),
    ("h1", "3. From analysis to strategy"),
    (
        "note",
        "Cross the boxes to find options. Use strengths to seize opportunities; fix the "
        "weaknesses that stop you from seizing them; use strengths to reduce threats; and avoid "
        "the places where weaknesses meet threats. Carry the best options into the objectives "
        "of your plan.",
    ),
    (
        "table",
        ["", "Opportunities", "Threats"],
        [
            [
                "Strengths",
                "Options that use a strength to seize an opportunity:",
                "Options that use a strength to reduce a threat:",
            ],
            [
                "Weaknesses",
                "Options that fix a weakness to seize an opportunity:",
                "What to avoid or protect against:",
            ],
        ],
    ),
    ("h1", "4. Participants and date"),
    ("table", ["Name", "Department or organisation", "Date"], 6),
]

MOU_CHECKLIST = [
    (
        "note",
        "A memorandum of understanding (MoU) records what two or more governments intend to do "
        "together. This checklist helps you prepare one that will be used rather than filed. "
        "It is not legal advice: check with your legal service, and with the national rules on "
        "agreements signed by local governments with foreign partners, which in some countries "
        "require informing or consulting the ministry of foreign affairs.",
    ),
    ("h1", "1. Before drafting"),
    (
        "check",
        [
            "The partnership serves at least one objective of our plan (name it in the notes).",
            "The partner was assessed with the partner scoring sheet, or the reason for an "
            "exception is recorded.",
            "National rules on external agreements of local governments have been checked.",
            "Departments that will do the work have been consulted and agree.",
            "Both sides have a political sponsor and a technical focal point.",
            "A first work programme and an estimate of costs exist.",
        ],
    ),
    ("h1", "2. What the text contains"),
    (
        "check",
        [
            "Names of the parties and the authority of each signatory.",
            "Purpose and objectives, linked to the priorities of both sides.",
            "Fields of cooperation and the first concrete activities.",
            "Responsibilities of each party, including focal points.",
            "Resources: who pays for what (travel, hosting, translation, projects).",
            "Coordination: a joint committee or annual meeting, and how decisions are taken.",
            "Duration, review date, renewal and how either party may end the memorandum.",
            "Legal nature: a statement of intent that creates no financial obligation, unless "
            "the legal service has approved binding clauses.",
            "Protection of personal data exchanged between the parties.",
            "Use of names, logos and the results of joint work.",
            "Languages of the text and which versions are authentic.",
            "Settlement of disagreements by consultation between the parties.",
        ],
    ),
    ("h1", "3. Before signing"),
    (
        "check",
        [
            "The legal service has reviewed the final text.",
            "The council or competent body has approved it where required.",
            "Embassies or consulates have been informed where national practice expects it.",
            "A communication plan for the signature is ready (who speaks, what we announce).",
        ],
    ),
    ("h1", "4. After signing"),
    (
        "check",
        [
            "The memorandum is recorded in the inventory of relations with its review date.",
            "The text is published or available to residents on request.",
            "The work programme for the first year is agreed and has a budget.",
            "Each activity has a lead department and an indicator.",
            "A review is scheduled before the renewal date to decide: renew, refocus or end.",
        ],
    ),
    ("h1", "5. Warning signs"),
    (
        "bullets",
        [
            "The only reason to sign is a visit or a ceremony.",
            "No department has agreed to carry out the activities.",
            "The text commits money that no budget line covers.",
            "The partner's record raises reputational or human-rights concerns that nobody "
            "has examined.",
        ],
    ),
]

MISSION_BRIEF = [
    (
        "note",
        "Prepare this brief for every mission abroad and every incoming delegation, and share "
        "it with the delegation at least a week before departure. A mission without objectives "
        "that serve the plan should not take place.",
    ),
    ("h1", "1. Mission at a glance"),
    (
        "table",
        ["Item", "Details"],
        [
            ["Destination and dates", ""],
            ["Head of delegation", ""],
            ["Objective(s) of the plan served", ""],
            ["Expected results (what we bring back)", ""],
            ["Total estimated cost and budget line", ""],
            ["Approved by and date", ""],
        ],
    ),
    ("h1", "2. Delegation"),
    ("table", ["Name", "Organisation and role", "Responsibility during the mission"], 5),
    ("h1", "3. Programme"),
    (
        "table",
        ["Date and time", "Meeting or visit", "Counterpart", "Our objective", "Lead speaker"],
        8,
    ),
    ("h1", "4. Counterparts"),
    (
        "note",
        "For each main counterpart: position, priorities, history of contacts with us, and "
        "what they may ask of us.",
    ),
    ("lines", 3),
    ("h1", "5. Key messages, asks and offers"),
    (
        "note",
        "Agree on no more than three messages that every member of the delegation repeats. "
        "For each meeting, know what you want the counterpart to do after it (an introduction, "
        "a joint application, a visit) and what you can offer in return.",
    ),
    ("table", ["Key message", "What we ask", "What we offer"], 3),
    ("h1", "6. Sensitive issues and lines to take"),
    (
        "note",
        "List the topics on which the delegation could be asked questions it should not "
        "improvise: disputes between the two countries, human rights, commercial competition, "
        "criticism at home of the cost of the trip. Agree on a short line to take for each.",
    ),
    ("lines", 3),
    ("h1", "7. Coordination"),
    (
        "check",
        [
            "Our country's embassy or consulate is informed and has briefed us.",
            "National, regional or metropolitan governments planning similar missions were "
            "consulted, to avoid duplication.",
            "Local stakeholders (business, universities) joining us have their own brief.",
        ],
    ),
    ("h1", "8. Protocol and practicalities"),
    (
        "bullets",
        [
            "Gifts: our integrity rules on giving and receiving gifts apply; record anything "
            "received.",
            "Languages and interpretation.",
            "Safety and insurance; emergency contacts.",
        ],
    ),
    ("h1", "9. Budget"),
    ("table", ["Item", "Estimated cost", "Paid by"], 5),
    ("h1", "10. Follow-up"),
    (
        "p",
        "Who writes the mission report (toolkit template), and by when? Who follows up each "
        "expected commitment?",
    ),
    ("lines", 2),
]

MISSION_REPORT = [
    (
        "note",
        "Write the report within ten working days of the return, file it in the shared records "
        "and send the one-page summary to the head of unit and the elected official concerned. "
        "Reports compiled over a year show the council which missions led to results.",
    ),
    ("h1", "1. One-page summary"),
    (
        "table",
        ["Item", "Details"],
        [
            ["Mission (destination, dates)", ""],
            ["Delegation", ""],
            ["Objectives of the plan served", ""],
            ["Three main results", ""],
            ["Commitments made", ""],
            ["Actual cost", ""],
            ["Recommended next steps", ""],
        ],
    ),
    ("h1", "2. Objectives and results"),
    (
        "note",
        "Copy the objectives from the mission brief and answer honestly. A mission that "
        "achieved little is worth reporting too: it tells the next delegation what to prepare "
        "differently, and it tells the council that the unit measures what it spends.",
    ),
    ("table", ["Objective in the brief", "Achieved? (yes, partly, no)", "Evidence"], 4),
    ("h1", "3. Meetings"),
    ("table", ["Counterpart", "Organisation", "Topics", "Outcome", "Follow-up"], 6),
    ("h1", "4. Commitments"),
    (
        "note",
        "Record every promise made during the mission, by either side, even informal ones "
        "made over dinner. Give each an owner in your administration and a deadline, and add "
        "them to the follow-up list of the unit so that nothing depends on one person's memory.",
    ),
    ("table", ["Commitment", "Made by (us or them)", "Owner", "Deadline"], 5),
    ("h1", "5. New contacts"),
    (
        "note",
        "Add every new contact to the shared contact database, not to a personal address book.",
    ),
    ("table", ["Name", "Organisation and role", "E-mail", "Added to the database"], 5),
    ("h1", "6. Costs"),
    (
        "note",
        "Report the actual cost against the budget in the brief, including staff time if your "
        "administration counts it. Published costs answer the most common criticism of "
        "international action before it is made.",
    ),
    ("table", ["Item", "Budgeted", "Actual", "Difference explained"], 5),
    ("h1", "7. Lessons learnt"),
    (
        "bullets",
        [
            "What worked well and should be repeated?",
            "What would we do differently?",
            "Is there a practice we saw that a department should consider? Who was told?",
        ],
    ),
    ("lines", 2),
    ("h1", "8. Distribution and filing"),
    ("table", ["Sent to", "Date"], 4),
]

COMMUNICATION_PLAN = [
    (
        "note",
        "International action is public policy paid for by residents: it must be explained "
        "and accounted for. This plan says who needs to know what, through which channel and "
        "how often, and how you report results. Review it every year with the action plan.",
    ),
    ("h1", "1. Communication objectives"),
    (
        "bullets",
        [
            "Explain why the government acts internationally and what residents gain.",
            "Involve local stakeholders in the plan and in its opportunities.",
            "Report results and costs openly, including what did not work.",
        ],
    ),
    ("lines", 2),
    ("h1", "2. Audiences and messages"),
    (
        "table",
        ["Audience", "What they need to know", "Key message", "Channel", "Frequency", "Owner"],
        [
            ["Residents", "", "", "", "", ""],
            ["Council (all groups)", "", "", "", "", ""],
            ["Departments and staff", "", "", "", "", ""],
            ["Business, universities, civil society", "", "", "", "", ""],
            ["Media", "", "", "", "", ""],
            ["Partners abroad and networks", "", "", "", "", ""],
        ],
    ),
    ("h1", "3. Key messages"),
    (
        "note",
        "Three messages at most, each tied to a local benefit and supported by a fact. Test "
        "them with colleagues who do not work on international matters.",
    ),
    ("numbered", ["", "", ""]),
    ("h1", "4. Calendar"),
    ("table", ["Month", "Moment or event", "Product (news, report, post)", "Owner"], 12),
    ("h1", "5. Accountability commitments"),
    (
        "check",
        [
            "An annual report on international action presented to the council.",
            "The list of agreements and network memberships published with their cost.",
            "Missions published with their objectives, delegation and cost.",
            "Indicator results published once a year.",
            "A contact point for residents' questions.",
        ],
    ),
    ("h1", "6. Handling criticism"),
    (
        "note",
        "Prepare answers in advance for the questions you will be asked: the cost of travel, "
        "the choice of partners, the benefits for residents. Answer with facts from the "
        "indicator sheet and mission reports.",
    ),
    ("table", ["Likely question or criticism", "Our answer", "Evidence", "Spokesperson"], 4),
    ("h1", "7. Measuring the communication"),
    ("table", ["Indicator", "Baseline", "Target", "Source"], 4),
]
