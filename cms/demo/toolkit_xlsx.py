"""The toolkit's spreadsheets, built with openpyxl.

Cells a practitioner fills are unlocked; cells holding formulas are locked and the sheets are
protected without a password, so nobody overwrites a formula by accident but anyone who needs to
adapt the sheet can unprotect it (Review > Unprotect sheet).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
INPUT_FILL = PatternFill("solid", fgColor="FFF8E1")
FORMULA_FILL = PatternFill("solid", fgColor="E8F0F8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14, color="1F4E79")
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)

SCORING_FIRST_ROW = 6
SCORING_ROWS = 20
STAKEHOLDER_FIRST_ROW = 5
STAKEHOLDER_ROWS = 40
INDICATOR_FIRST_ROW = 5
INDICATOR_ROWS = 30


def _title(ws: Worksheet, title: str, subtitle: str) -> None:
    ws["A1"] = title
    ws["A1"].font = TITLE_FONT
    ws["A2"] = subtitle
    ws["A2"].alignment = Alignment(wrap_text=False)


def _headers(ws: Worksheet, row: int, headers: list[tuple[str, int]]) -> None:
    for column, (text, width) in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=column, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.row_dimensions[row].height = 45


def _inputs(ws: Worksheet, cell_range: str) -> None:
    for row in ws[cell_range]:
        for cell in row:
            cell.protection = UNLOCKED
            cell.fill = INPUT_FILL
            cell.alignment = WRAP


def _formulas(ws: Worksheet, cell_range: str) -> None:
    for row in ws[cell_range]:
        for cell in row:
            cell.fill = FORMULA_FILL


def _list_validation(ws: Worksheet, options: list[str], cell_range: str, prompt: str) -> None:
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(options) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Choose from the list",
        error="Pick one of the values offered in the list.",
        promptTitle="Choose a value",
        prompt=prompt,
    )
    ws.add_data_validation(validation)
    validation.add(cell_range)


def _whole_validation(ws: Worksheet, low: int, high: int, cell_range: str, prompt: str) -> None:
    validation = DataValidation(
        type="whole",
        operator="between",
        formula1=str(low),
        formula2=str(high),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Score out of range",
        error=f"Enter a whole number from {low} to {high}.",
        promptTitle="Score",
        prompt=prompt,
    )
    ws.add_data_validation(validation)
    validation.add(cell_range)


def _guidance(wb: Workbook, title: str, lines: list[str]) -> None:
    ws = wb.create_sheet("Guidance", 0)
    _title(ws, title, "How to use this sheet")
    ws.column_dimensions["A"].width = 110
    for n, line in enumerate(lines, start=4):
        ws.cell(row=n, column=1, value=line).alignment = WRAP
    ws.protection.sheet = True


def _save(wb: Workbook, title: str) -> bytes:
    wb.properties.title = title
    wb.properties.creator = "Capacitas practitioner's toolkit"
    wb.properties.language = "en"
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Partner scoring sheet ---------------------------------------------------------------------
PARTNER_CRITERIA = [
    # criterion, what to ask, weight
    (
        "Serves our objectives",
        "Does the partnership serve one or more objectives of our plan, with a local benefit?",
        20,
    ),
    (
        "Mutual interest",
        "Does the partner gain as much as we do? Are our strengths and needs complementary?",
        15,
    ),
    (
        "Commitment on both sides",
        "Is there a political sponsor and a technical focal point on each side?",
        15,
    ),
    (
        "Local stakeholders involved",
        "Will businesses, universities or civil society of both territories take part?",
        10,
    ),
    (
        "Feasibility and cost",
        "Can we afford it (travel, language, staff time) for the years it needs?",
        10,
    ),
    (
        "Learning and added value",
        "Will our departments learn something they cannot learn closer to home?",
        10,
    ),
    (
        "Low risk",
        "Score high when reputational, political and financial risks are low.",
        10,
    ),
    (
        "Fits national and regional action",
        "Is it consistent with national foreign policy and the region's external action?",
        10,
    ),
]
PARTNER_TYPES = [
    "Local government",
    "Metropolitan or regional government",
    "City network",
    "University or research centre",
    "Business association",
    "Civil society organisation",
    "International organisation",
]
PARTNER_EXAMPLES = [
    ("Example A: port city, logistics", "Country A", "Local government", [5, 4, 4, 3, 3, 4, 4, 5]),
    ("Example B: twin town since 1990", "Country B", "Local government", [2, 3, 1, 2, 4, 2, 5, 4]),
    ("Example C: climate network", "Worldwide", "City network", [4, 3, 4, 2, 3, 5, 5, 4]),
]


def partner_scoring_xlsx() -> bytes:
    wb = Workbook()
    criteria = wb.active
    criteria.title = "Criteria"
    _title(criteria, "Partner scoring sheet: criteria and weights", "Adapt to your plan.")
    _headers(criteria, 4, [("#", 5), ("Criterion", 32), ("What to ask", 80), ("Weight (%)", 12)])
    first, last = 5, 4 + len(PARTNER_CRITERIA)
    for n, (name, question, weight) in enumerate(PARTNER_CRITERIA, start=1):
        row = 4 + n
        criteria.cell(row=row, column=1, value=n)
        criteria.cell(row=row, column=2, value=name)
        criteria.cell(row=row, column=3, value=question)
        criteria.cell(row=row, column=4, value=weight)
    _inputs(criteria, f"B{first}:D{last}")
    total_row = last + 1
    criteria.cell(row=total_row, column=3, value="Total of the weights (must be 100)").font = Font(
        bold=True
    )
    criteria.cell(row=total_row, column=4, value=f"=SUM(D{first}:D{last})")
    criteria.cell(
        row=total_row,
        column=5,
        value=f'=IF(D{total_row}=100,"Weights add up to 100","Adjust the weights to total 100")',
    )
    _formulas(criteria, f"D{total_row}:E{total_row}")
    criteria.column_dimensions["E"].width = 34
    weight_check = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        showErrorMessage=True,
        errorTitle="Weight out of range",
        error="A weight is a percentage from 0 to 100.",
    )
    criteria.add_data_validation(weight_check)
    weight_check.add(f"D{first}:D{last}")
    threshold_row = total_row + 2
    criteria.cell(row=threshold_row, column=2, value="Prioritise from (score out of 100)")
    criteria.cell(row=threshold_row, column=4, value=70)
    criteria.cell(row=threshold_row + 1, column=2, value="Keep at low intensity from")
    criteria.cell(row=threshold_row + 1, column=4, value=50)
    _inputs(criteria, f"D{threshold_row}:D{threshold_row + 1}")
    criteria.protection.sheet = True

    scoring = wb.create_sheet("Scoring")
    _title(
        scoring,
        "Partner scoring sheet",
        "Score each candidate from 0 (not at all) to 5 (fully) on every criterion.",
    )
    count = len(PARTNER_CRITERIA)
    score_cols = [get_column_letter(4 + i) for i in range(count)]
    total_col = get_column_letter(4 + count)
    rank_col = get_column_letter(5 + count)
    decision_col = get_column_letter(6 + count)
    notes_col = get_column_letter(7 + count)
    # Row 3 carries the weights next to the scores, so SUMPRODUCT multiplies like with like.
    scoring.cell(row=3, column=3, value="Weight (%)").font = Font(bold=True)
    for i, col in enumerate(score_cols):
        scoring[f"{col}3"] = f"=Criteria!D{first + i}"
    _formulas(scoring, f"{score_cols[0]}3:{score_cols[-1]}3")
    header_row = SCORING_FIRST_ROW - 1
    _headers(
        scoring,
        header_row,
        [("Candidate partner or network", 34), ("Country", 14), ("Type", 22)]
        + [("", 14)] * count
        + [("Weighted score (0-100)", 14), ("Rank", 8), ("Decision", 22), ("Notes", 40)],
    )
    for i, col in enumerate(score_cols):
        # The criterion's name follows the Criteria sheet when a trainer renames it.
        scoring[f"{col}{header_row}"] = f"=Criteria!B{first + i}"
    end = SCORING_FIRST_ROW + SCORING_ROWS - 1
    weights = f"${score_cols[0]}$3:${score_cols[-1]}$3"
    for row in range(SCORING_FIRST_ROW, end + 1):
        scores = f"{score_cols[0]}{row}:{score_cols[-1]}{row}"
        scoring[f"{total_col}{row}"] = (
            f'=IF(COUNT({scores})=0,"",IF(COUNT({scores})<{count},"Score every criterion",'
            f"ROUND(SUMPRODUCT({scores},{weights})/(5*SUM({weights}))*100,1)))"
        )
        scoring[f"{rank_col}{row}"] = (
            f"=IF(ISNUMBER({total_col}{row}),"
            f'RANK({total_col}{row},${total_col}${SCORING_FIRST_ROW}:${total_col}${end}),"")'
        )
        scoring[f"{decision_col}{row}"] = (
            f"=IF(ISNUMBER({total_col}{row}),IF({total_col}{row}>=Criteria!$D${threshold_row},"
            f'"Prioritise",IF({total_col}{row}>=Criteria!$D${threshold_row + 1},'
            f'"Keep at low intensity","Do not pursue, or close")),"")'
        )
    for offset, (name, country, kind, values) in enumerate(PARTNER_EXAMPLES):
        row = SCORING_FIRST_ROW + offset
        scoring[f"A{row}"] = name
        scoring[f"B{row}"] = country
        scoring[f"C{row}"] = kind
        for col, value in zip(score_cols, values, strict=True):
            scoring[f"{col}{row}"] = value
        scoring[f"{notes_col}{row}"] = "Example row: overwrite or clear it."
    _inputs(scoring, f"A{SCORING_FIRST_ROW}:{score_cols[-1]}{end}")
    _inputs(scoring, f"{notes_col}{SCORING_FIRST_ROW}:{notes_col}{end}")
    _formulas(scoring, f"{total_col}{SCORING_FIRST_ROW}:{decision_col}{end}")
    _whole_validation(
        scoring,
        0,
        5,
        f"{score_cols[0]}{SCORING_FIRST_ROW}:{score_cols[-1]}{end}",
        "0 = not at all, 3 = partly, 5 = fully.",
    )
    _list_validation(
        scoring, PARTNER_TYPES, f"C{SCORING_FIRST_ROW}:C{end}", "What kind of partner is it?"
    )
    scoring.freeze_panes = f"B{SCORING_FIRST_ROW}"
    scoring.protection.sheet = True
    _guidance(
        wb,
        "Partner scoring sheet",
        [
            "Why: partners should be chosen against explicit criteria, not by chance or because "
            "an invitation arrived. Scoring every existing and proposed partner the same way "
            "shows which relations to prioritise, which to keep at low intensity and which to "
            "close.",
            "1. On the Criteria sheet, adapt the criteria and their weights to your plan. The "
            "weights must add up to 100; the sheet tells you when they do not.",
            "2. On the Scoring sheet, list each candidate partner or network and score it from "
            "0 to 5 on every criterion. Score together with the departments concerned and note "
            "the evidence in the Notes column.",
            "3. The weighted score (0 to 100), the rank and a suggested decision are calculated "
            "for you. The thresholds for the decision are on the Criteria sheet.",
            "4. A score is a starting point for discussion, not a verdict. Record the final "
            "decision and its reasons in your plan.",
            "Yellow cells are for your input; blue cells hold formulas and are protected. To "
            "change the formulas, unprotect the sheet (no password).",
            "The three example rows show how the sheet works: overwrite or clear them.",
        ],
    )
    return _save(wb, "Partner scoring sheet")


# --- Stakeholder map ---------------------------------------------------------------------------
STAKEHOLDER_TYPES = [
    "Department",
    "Elected official",
    "Municipal company",
    "University or research",
    "Business or chamber",
    "Civil society",
    "Diaspora",
    "Other level of government",
    "Embassy or consulate",
    "International organisation",
    "Partner government abroad",
    "City network",
]
QUADRANTS = ["Involve closely", "Keep satisfied", "Keep informed", "Monitor"]


def stakeholder_map_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Stakeholders"
    _title(
        ws,
        "Stakeholder map",
        "Interest and influence from 1 (low) to 5 (high); the quadrant is calculated.",
    )
    _headers(
        ws,
        STAKEHOLDER_FIRST_ROW - 1,
        [
            ("Stakeholder", 30),
            ("Type", 22),
            ("Internal or external", 12),
            ("What they can bring", 30),
            ("What they expect", 30),
            ("Interest (1-5)", 10),
            ("Influence (1-5)", 10),
            ("Quadrant", 18),
            ("Current relationship", 16),
            ("How we engage them", 34),
            ("Owner", 16),
            ("Next contact", 14),
        ],
    )
    end = STAKEHOLDER_FIRST_ROW + STAKEHOLDER_ROWS - 1
    for row in range(STAKEHOLDER_FIRST_ROW, end + 1):
        ws[f"H{row}"] = (
            f'=IF(OR(F{row}="",G{row}=""),"",IF(AND(F{row}>=3,G{row}>=3),"{QUADRANTS[0]}",'
            f'IF(G{row}>=3,"{QUADRANTS[1]}",IF(F{row}>=3,"{QUADRANTS[2]}","{QUADRANTS[3]}"))))'
        )
        ws[f"L{row}"].number_format = "yyyy-mm-dd"
    examples = [
        ("Chamber of commerce", "Business or chamber", "External", 4, 5),
        ("Economic development department", "Department", "Internal", 5, 4),
        ("Residents' federation", "Civil society", "External", 2, 3),
    ]
    for offset, (name, kind, side, interest, influence) in enumerate(examples):
        row = STAKEHOLDER_FIRST_ROW + offset
        ws[f"A{row}"], ws[f"B{row}"], ws[f"C{row}"] = name, kind, side
        ws[f"F{row}"], ws[f"G{row}"] = interest, influence
        ws[f"J{row}"] = "Example row: overwrite or clear it."
    _inputs(ws, f"A{STAKEHOLDER_FIRST_ROW}:G{end}")
    _inputs(ws, f"I{STAKEHOLDER_FIRST_ROW}:L{end}")
    _formulas(ws, f"H{STAKEHOLDER_FIRST_ROW}:H{end}")
    _list_validation(
        ws, STAKEHOLDER_TYPES, f"B{STAKEHOLDER_FIRST_ROW}:B{end}", "What kind of actor?"
    )
    _list_validation(
        ws, ["Internal", "External"], f"C{STAKEHOLDER_FIRST_ROW}:C{end}", "Inside or outside?"
    )
    _whole_validation(
        ws, 1, 5, f"F{STAKEHOLDER_FIRST_ROW}:G{end}", "1 = low, 3 = medium, 5 = high."
    )
    _list_validation(
        ws,
        ["None", "Occasional", "Regular", "Formal agreement"],
        f"I{STAKEHOLDER_FIRST_ROW}:I{end}",
        "How do we work with them today?",
    )
    ws.freeze_panes = f"B{STAKEHOLDER_FIRST_ROW}"
    ws.protection.sheet = True

    grid = wb.create_sheet("Grid")
    _title(grid, "Interest and influence grid", "Counts update as you fill the map.")
    grid.column_dimensions["A"].width = 22
    grid.column_dimensions["B"].width = 34
    grid.column_dimensions["C"].width = 34
    grid["B4"], grid["C4"] = "Lower interest (1-2)", "Higher interest (3-5)"
    grid["A5"], grid["A6"] = "Higher influence (3-5)", "Lower influence (1-2)"
    cells = {"B5": QUADRANTS[1], "C5": QUADRANTS[0], "B6": QUADRANTS[3], "C6": QUADRANTS[2]}
    for ref, quadrant in cells.items():
        grid[ref] = (
            f'="{quadrant}: "&COUNTIF(Stakeholders!$H${STAKEHOLDER_FIRST_ROW}:$H${end},'
            f'"{quadrant}")'
        )
        grid[ref].fill = FORMULA_FILL
    for ref in ("B4", "C4", "A5", "A6"):
        grid[ref].font = Font(bold=True)
    grid.protection.sheet = True
    _guidance(
        wb,
        "Stakeholder map",
        [
            "Why: international action succeeds when the people who can help or block it are "
            "involved in proportion to their stake. The map shows whom to involve closely, whom "
            "to keep satisfied or informed, and whom simply to monitor.",
            "1. List local and external actors, and internal ones too: departments, elected "
            "officials and municipal companies are stakeholders.",
            "2. Score each one's interest in your international action and influence over it, "
            "from 1 to 5. Discuss the scores with colleagues rather than scoring alone.",
            "3. The quadrant is calculated: Involve closely (high interest, high influence), "
            "Keep satisfied (high influence), Keep informed (high interest), Monitor.",
            "4. Decide how you engage each one and who owns the relationship; the Grid sheet "
            "counts the actors in each quadrant.",
            "5. Review the map at least once a year: interest and influence change with "
            "elections, crises and new projects.",
            "Yellow cells are for your input; blue cells hold formulas and are protected "
            "(unprotect the sheet, no password, to change them).",
        ],
    )
    return _save(wb, "Stakeholder map")


# --- Indicator sheet ---------------------------------------------------------------------------
INDICATOR_LEVELS = ["Output", "Outcome", "Impact"]
FREQUENCIES = ["Monthly", "Quarterly", "Twice a year", "Yearly", "At the end of the plan"]
INDICATOR_EXAMPLES = [
    (
        "Attract investment and talent",
        "Foreign investment projects landed with the investment agency's support",
        "Outcome",
        "projects a year",
        "Projects announced in the year with a signed agreement or a permit",
        6,
        2024,
        10,
        2027,
        "Investment agency's client records",
        "Yearly",
        8,
        2025,
    ),
    (
        "Learn from peers to improve services",
        "Practices adopted by a department after a peer exchange",
        "Outcome",
        "practices, cumulative",
        "Count of changes documented in mission reports and confirmed by the department",
        0,
        2024,
        4,
        2027,
        "Mission reports; yearly survey of departments",
        "Twice a year",
        0,
        2025,
    ),
    (
        "Fund local projects from outside sources",
        "External funding obtained for local projects through international action",
        "Output",
        "EUR thousand a year",
        "Grants and loans signed in the year, from the finance department's register",
        250,
        2024,
        900,
        2027,
        "Finance department's grants register",
        "Yearly",
        500,
        2025,
    ),
    (
        "Partnerships that deliver",
        "Active partnerships with a work programme reviewed in the last 12 months",
        "Output",
        "% of partnerships",
        "Reviewed partnerships divided by all active partnerships in the inventory",
        30,
        2024,
        90,
        2027,
        "Inventory of relations",
        "Yearly",
        40,
        2025,
    ),
]


def indicator_sheet_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Indicators"
    _title(
        ws,
        "Indicator sheet",
        "One row per indicator: baseline, target, source and frequency; progress is calculated.",
    )
    _headers(
        ws,
        INDICATOR_FIRST_ROW - 1,
        [
            ("Objective", 26),
            ("Indicator", 34),
            ("Level", 10),
            ("Unit", 14),
            ("Definition and calculation", 34),
            ("Baseline value", 10),
            ("Baseline year", 9),
            ("Target value", 10),
            ("Target year", 9),
            ("Source of data", 26),
            ("Frequency", 14),
            ("Responsible", 16),
            ("Latest value", 10),
            ("Year of latest value", 10),
            ("Progress towards target", 12),
            ("Expected by now", 12),
            ("Status", 16),
            ("Comments", 30),
        ],
    )
    end = INDICATOR_FIRST_ROW + INDICATOR_ROWS - 1
    for row in range(INDICATOR_FIRST_ROW, end + 1):
        ws[f"O{row}"] = (
            f'=IF(OR(F{row}="",H{row}="",M{row}="",H{row}=F{row}),"",'
            f"(M{row}-F{row})/(H{row}-F{row}))"
        )
        ws[f"P{row}"] = (
            f'=IF(OR(G{row}="",I{row}="",N{row}="",I{row}<=G{row}),"",'
            f"MIN(1,MAX(0,(N{row}-G{row})/(I{row}-G{row}))))"
        )
        ws[f"Q{row}"] = (
            f'=IF(OR(O{row}="",P{row}=""),"",IF(O{row}>=1,"Target reached",'
            f'IF(O{row}>=P{row}-0.1,"On track",IF(O{row}>=P{row}/2,"Behind","At risk"))))'
        )
        ws[f"O{row}"].number_format = "0%"
        ws[f"P{row}"].number_format = "0%"
    for offset, values in enumerate(INDICATOR_EXAMPLES):
        row = INDICATOR_FIRST_ROW + offset
        # Example values skip the "Responsible" column (L) and fill the latest value and year.
        for column, value in zip("ABCDEFGHIJKMN", values, strict=True):
            ws[f"{column}{row}"] = value
        ws[f"R{row}"] = "Example row: overwrite or clear it."
    _inputs(ws, f"A{INDICATOR_FIRST_ROW}:N{end}")
    _inputs(ws, f"R{INDICATOR_FIRST_ROW}:R{end}")
    _formulas(ws, f"O{INDICATOR_FIRST_ROW}:Q{end}")
    _list_validation(
        ws, INDICATOR_LEVELS, f"C{INDICATOR_FIRST_ROW}:C{end}", "Output, outcome or impact?"
    )
    _list_validation(ws, FREQUENCIES, f"K{INDICATOR_FIRST_ROW}:K{end}", "How often is it measured?")
    _whole_validation(ws, 2000, 2100, f"G{INDICATOR_FIRST_ROW}:G{end}", "A year, such as 2025.")
    _whole_validation(ws, 2000, 2100, f"I{INDICATOR_FIRST_ROW}:I{end}", "A year, such as 2028.")
    _whole_validation(ws, 2000, 2100, f"N{INDICATOR_FIRST_ROW}:N{end}", "A year, such as 2026.")
    ws.freeze_panes = f"C{INDICATOR_FIRST_ROW}"
    ws.protection.sheet = True
    _guidance(
        wb,
        "Indicator sheet",
        [
            "Why: indicators show the council and residents what international action "
            "achieves, and tell the team early when an objective is slipping.",
            "1. Give every objective of the plan one to three indicators. Prefer outcomes (what "
            "changed for the territory) to outputs (what we did), but keep a few outputs that "
            "you control.",
            "2. Define each indicator so that two people would calculate it the same way, and "
            "name the source of the data and who collects it.",
            "3. Record the baseline before the plan starts and a realistic target with its "
            "year. An indicator without a baseline cannot show progress.",
            "4. Enter the latest value and its year whenever you measure. Progress, the "
            "progress expected by now and the status are calculated: On track, Behind, At risk "
            "or Target reached.",
            "5. Report the sheet to the council once a year with the communication plan, and "
            "explain the indicators that are behind.",
            "Yellow cells are for your input; blue cells hold formulas and are protected "
            "(unprotect the sheet, no password, to change them).",
        ],
    )
    return _save(wb, "Indicator sheet")
