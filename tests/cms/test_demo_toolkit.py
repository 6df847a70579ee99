"""The demo's practitioner's toolkit: generated documents that open, real formulas, links from
the lessons that teach them, a toolkit page, and a loader that creates nothing twice."""

import io
import re

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook
from wagtail.documents.models import Document
from wagtail.models import Page, Revision

from cms.demo import toolkit
from cms.demo.site import load_site
from cms.models import HomePage, StandardPage
from courses.models import LessonPage
from learners.models import User

pytestmark = pytest.mark.django_db


def _read(document: Document) -> bytes:
    with document.open_file() as handle:
        return handle.read()


def _counts() -> dict[str, int]:
    return {
        "documents": Document.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "lesson_document_blocks": sum(
            1
            for lesson in LessonPage.objects.all()
            for block in lesson.body
            if block.block_type == "document"
        ),
    }


@pytest.fixture
def site():
    return load_site()


def test_every_tool_is_a_document_in_the_toolkit_collection_and_opens(site):
    documents = Document.objects.filter(collection__name=toolkit.COLLECTION)
    assert documents.count() == len(toolkit.TOOLS) >= 8
    for tool in toolkit.TOOLS:
        document = documents.get(title=tool.title)
        data = _read(document)
        assert document.file_size == len(data) > 0
        assert document.file_extension == tool.filename.rsplit(".", 1)[1]
        if tool.filename.endswith(".docx"):
            parsed = DocxDocument(io.BytesIO(data))
            headings = [p.text for p in parsed.paragraphs if p.style.name.startswith("Heading")]
            assert len(headings) >= 4, tool.title  # structured with Word's heading styles
            assert parsed.tables, tool.title  # tables to fill
            assert parsed.core_properties.title == tool.title
            words = " ".join(
                [p.text for p in parsed.paragraphs]
                + [c.text for t in parsed.tables for r in t.rows for c in r.cells]
            )
            assert "Guidance:" in words, tool.title
            assert len(words.split()) >= 250, tool.title
        else:
            workbook = load_workbook(io.BytesIO(data))
            assert workbook.sheetnames[0] == "Guidance"
    kinds = {tool.filename.rsplit(".", 1)[1] for tool in toolkit.TOOLS}
    assert kinds == {"docx", "xlsx"}


def test_partner_scoring_sheet_has_weighted_formulas_protection_and_validation(site):
    document = Document.objects.get(title="Partner scoring sheet")
    workbook = load_workbook(io.BytesIO(_read(document)))
    criteria, scoring = workbook["Criteria"], workbook["Scoring"]
    weights = [criteria.cell(row=r, column=4).value for r in range(5, 13)]
    assert sum(weights) == 100
    assert criteria["D13"].value == "=SUM(D5:D12)"
    row = toolkit.xlsx_templates.SCORING_FIRST_ROW
    total, rank, decision = scoring[f"L{row}"], scoring[f"M{row}"], scoring[f"N{row}"]
    assert "SUMPRODUCT(D6:K6,$D$3:$K$3)" in total.value
    assert rank.value.startswith("=IF(ISNUMBER(L6),RANK(L6,$L$6:$L$25)")
    assert "Prioritise" in decision.value and "Criteria!$D$15" in decision.value
    assert scoring["D3"].value == "=Criteria!D5"  # weights follow the Criteria sheet
    # Formulas are locked on a protected sheet; the scores are open for input.
    assert scoring.protection.sheet and criteria.protection.sheet
    assert total.protection.locked and rank.protection.locked
    assert not scoring[f"D{row}"].protection.locked
    validations = [v for v in scoring.data_validations.dataValidation if v.type == "whole"]
    assert validations and (validations[0].formula1, validations[0].formula2) == ("0", "5")
    assert "D6:K25" in str(validations[0].sqref)


def test_stakeholder_map_and_indicator_sheet_calculate(site):
    stakeholders = load_workbook(
        io.BytesIO(_read(Document.objects.get(title__startswith="Stakeholder map")))
    )
    quadrant = stakeholders["Stakeholders"]["H5"]
    assert quadrant.value.startswith('=IF(OR(F5="",G5="")') and quadrant.protection.locked
    assert "COUNTIF(Stakeholders!$H$5:$H$44" in stakeholders["Grid"]["C5"].value
    indicators = load_workbook(io.BytesIO(_read(Document.objects.get(title="Indicator sheet"))))
    sheet = indicators["Indicators"]
    headers = [cell.value for cell in sheet[4]]
    for column in ("Baseline value", "Target value", "Source of data", "Frequency"):
        assert column in headers
    assert sheet["O5"].value == '=IF(OR(F5="",H5="",M5="",H5=F5),"",(M5-F5)/(H5-F5))'
    assert "On track" in sheet["Q5"].value
    frequency = [v for v in sheet.data_validations.dataValidation if "Yearly" in v.formula1]
    assert frequency and "K5:K34" in str(frequency[0].sqref)


def test_lessons_that_teach_a_tool_link_it_and_render_an_accessible_download(site, client):
    documents = {d.title: d for d in Document.objects.filter(collection__name="Toolkit")}
    for tool in toolkit.TOOLS:
        for slug in tool.lessons:
            lesson = LessonPage.objects.get(slug=slug)
            linked = [b.value["document"] for b in lesson.body if b.block_type == "document"]
            assert documents[tool.title] in linked, (tool.title, slug)
            # The download sits before the lesson's closing takeaways.
            types = [b.block_type for b in lesson.body]
            assert types.index("document") < types.index("takeaways"), slug
    client.force_login(User.objects.create_superuser(email="a@example.org", password="x" * 12))
    lesson = LessonPage.objects.get(slug="strategic-plan")
    response = client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert toolkit.PRACTICE_HEADING in html
    scoring = documents["Partner scoring sheet"]
    link = re.search(rf'<a href="{re.escape(scoring.url)}"[^>]*>(.*?)</a>', html, re.S)
    assert link, "no download link for the partner scoring sheet"
    assert 'type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"' in (
        link.group(0)
    )
    name = re.sub(r"<[^>]+>", "", link.group(1))  # the link's accessible name
    assert "Partner scoring sheet" in name and "XLSX file" in name and "KB" in name
    response = client.get(scoring.url)
    assert response.status_code == 200


def test_toolkit_page_lists_every_tool_and_the_home_page_links_it(site, client):
    page = StandardPage.objects.get(slug=toolkit.PAGE_SLUG)
    assert page.live
    listed = [b.value["document"].title for b in page.body if b.block_type == "document"]
    assert sorted(listed) == sorted(tool.title for tool in toolkit.TOOLS)
    html = client.get(page.url).content.decode()
    assert html.count('class="block-document"') == len(toolkit.TOOLS)
    assert "Taught in:" in html and LessonPage.objects.get(slug="diagnosis").url in html
    home = client.get(HomePage.objects.get().url).content.decode()
    assert f'href="{page.url}"' in home


def test_loading_twice_creates_nothing_twice_and_a_lost_file_is_regenerated(site):
    first = _counts()
    load_site()
    assert _counts() == first
    document = Document.objects.get(title="Mission report")
    document.file.storage.delete(document.file.name)
    load_site()
    document.refresh_from_db()
    assert document.file.storage.exists(document.file.name)
    assert DocxDocument(io.BytesIO(_read(document))).core_properties.title == "Mission report"
    assert _counts() == first
