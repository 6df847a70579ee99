"""Every page type renders, and every lesson block renders with its semantic markup."""

import pytest
from django.core.exceptions import ValidationError

from cms.models import StandardPage
from courses.blocks.lesson import LessonStreamBlock, video_sources
from courses.models import LessonPage
from tests.factories import (
    UserFactory,
    catalogue_page,
    home_page,
    make_course,
    make_document,
    make_image,
)

pytestmark = pytest.mark.django_db

NOCOOKIE = "https://www.youtube-nocookie.com/embed/"


def all_blocks_body(image, document):
    return [
        {"type": "heading", "value": {"text": "A section heading", "level": "h2"}},
        {"type": "heading", "value": {"text": "A sub-heading", "level": "h3"}},
        {"type": "paragraph", "value": "<p>Cities <b>cooperate</b> across borders.</p>"},
        {
            "type": "image",
            "value": {
                "image": image.pk,
                "alt_text": "Delegates around a table",
                "caption": "The 2019 twinning summit",
            },
        },
        {
            "type": "video",
            "value": {
                "title": "Interview with a mayor",
                "url": "https://www.youtube.com/watch?v=abc123XYZ",
                "transcript": "<p>Transcript: we started with one partner city.</p>",
            },
        },
        {
            "type": "video",
            "value": {
                "title": "Field visit",
                "url": "https://media.example.org/visit.mp4",
                "transcript": "<p>Transcript of the field visit.</p>",
            },
        },
        {
            "type": "document",
            "value": {"document": document.pk, "title": "Download the toolkit", "description": ""},
        },
        {"type": "callout", "value": {"kind": "key_idea", "title": "", "body": "<p>Idea.</p>"}},
        {"type": "callout", "value": {"kind": "tip", "title": "A tip", "body": "<p>Tip.</p>"}},
        {"type": "callout", "value": {"kind": "warning", "title": "", "body": "<p>Careful.</p>"}},
        {
            "type": "case_study",
            "value": {
                "title": "Supplies in a crisis",
                "city": "Port Esmer",
                "country": "Spain",
                "year": 2020,
                "what_they_did": "<p>Exchanged masks with a twin city.</p>",
                "result": "<p>Hospitals were supplied within a week.</p>",
            },
        },
        {
            "type": "quote",
            "value": {"text": "Think globally, act locally.", "attribution": "A planner"},
        },
        {"type": "reflection", "value": {"prompt": "Which partner would you call first?"}},
        {"type": "takeaways", "value": {"title": "Key takeaways", "items": ["First", "Second"]}},
        {
            "type": "resources",
            "value": [
                {
                    "title": "Network guide",
                    "url": "https://example.org/guide",
                    "description": "A short guide",
                }
            ],
        },
    ]


@pytest.fixture
def rich_lesson(course_tree):
    image, document = make_image(), make_document()
    module = course_tree.modules[0]
    lesson = LessonPage(
        title="Everything lesson",
        slug="everything",
        estimated_minutes=12,
        intro="A lesson that uses every block.",
        body=all_blocks_body(image, document),
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_lesson_uses_every_block_type(rich_lesson):
    used = {block.block_type for block in rich_lesson.body}
    assert used == set(LessonStreamBlock.base_blocks)


def test_every_block_renders_with_semantic_markup(admin_client, rich_lesson):
    response = admin_client.get(rich_lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    # heading levels
    assert "<h2>A section heading</h2>" in html and "<h3>A sub-heading</h3>" in html
    assert "<b>cooperate</b>" in html
    # image: alt text and caption
    assert 'alt="Delegates around a table"' in html
    assert "<figcaption>The 2019 twinning summit</figcaption>" in html
    # videos: privacy-friendly embed with a title, a native player, and transcripts
    assert 'src="https://www.youtube-nocookie.com/embed/abc123XYZ"' in html
    assert 'title="Interview with a mayor"' in html
    assert '<video controls preload="metadata" src="https://media.example.org/visit.mp4">' in html
    assert "<summary>Transcript</summary>" in html
    assert "we started with one partner city" in html and "Transcript of the field visit" in html
    # document download
    assert "Download the toolkit" in html and "/documents/" in html and "PDF" in html
    # callouts, each kind labelled
    for label in ("Key idea", "Tip", "Warning"):
        assert f'aria-label="{label}"' in html
    # case study facts
    assert "<dt>City</dt><dd>Port Esmer</dd>" in html
    assert "<dt>Country</dt><dd>Spain</dd>" in html
    assert "<dt>Year</dt><dd>2020</dd>" in html
    assert "Exchanged masks" in html and "Hospitals were supplied" in html
    # quote with attribution
    assert "<blockquote><p>Think globally, act locally.</p></blockquote>" in html
    assert "— A planner" in html
    # reflection, takeaways, resources
    assert "Which partner would you call first?" in html
    assert "<li>First</li><li>Second</li>" in html
    assert '<a href="https://example.org/guide">Network guide</a>' in html


def test_document_link_downloads_the_file(admin_client, rich_lesson):
    document = next(b.value["document"] for b in rich_lesson.body if b.block_type == "document")
    response = admin_client.get(document.url)
    assert response.status_code == 200


def test_image_block_requires_alt_text():
    image = make_image()
    block = LessonStreamBlock().child_blocks["image"]
    value = block.to_python({"image": image.pk, "alt_text": "", "caption": "A caption"})
    with pytest.raises(ValidationError):
        block.clean(value)
    ok = block.to_python({"image": image.pk, "alt_text": "A described image", "caption": ""})
    assert block.clean(ok)["alt_text"] == "A described image"


def test_video_block_requires_a_transcript():
    block = LessonStreamBlock().child_blocks["video"]
    value = block.to_python({"title": "T", "url": "https://youtu.be/x", "transcript": ""})
    with pytest.raises(ValidationError):
        block.clean(value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.youtube.com/watch?v=abc",
            ("https://www.youtube-nocookie.com/embed/abc", None),
        ),
        ("https://youtu.be/abc", (NOCOOKIE + "abc", None)),
        ("https://vimeo.com/12345", ("https://player.vimeo.com/video/12345", None)),
        ("https://vimeo.com/not-a-video", (None, None)),
        ("https://cdn.example.org/a.MP4", (None, "https://cdn.example.org/a.MP4")),
        ("https://www.youtube.com/watch", (None, None)),
        ("https://example.org/page", (None, None)),
    ],
)
def test_video_sources(url, expected):
    assert video_sources(url) == expected


def test_home_catalogue_course_and_standard_pages_render_for_anyone(client, course_tree):
    home = home_page()
    standard = StandardPage(title="About us", slug="about", intro="Who we are.")
    home.add_child(instance=standard)
    standard.save_revision().publish()
    for page, text in [
        (home, course_tree.course.title),
        (catalogue_page(), course_tree.course.title),
        (course_tree.course, course_tree.lessons[-1].title),
        (standard, "Who we are."),
    ]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert text in html
        assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html


def test_module_page_redirects_to_its_place_in_the_course_outline(client, course_tree):
    module = course_tree.modules[1]
    response = client.get(module.url)
    assert response.status_code == 302
    assert response.url == f"{course_tree.course.url}#module-{module.pk}"


def test_course_page_shows_outline_facts_and_breadcrumbs(client):
    tree = make_course(
        modules=2,
        lessons_per_module=2,
        audience="Officers in international relations",
        prerequisites="None at all",
        learning_outcomes=[{"type": "outcome", "value": "Explain why cities act abroad"}],
        estimated_hours="6.5",
        cover_image=make_image("Cover"),
        cover_image_alt="A map of partner cities",
    )
    html = client.get(tree.course.url).content.decode()
    for text in [
        "Officers in international relations",
        "None at all",
        "Explain why cities act abroad",
        "A map of partner cities",
        tree.modules[0].title,
        tree.modules[1].title,
        *[lesson.title for lesson in tree.lessons],
    ]:
        assert text in html, text
    assert 'aria-label="Breadcrumb"' in html


def test_lesson_shows_breadcrumbs_and_prev_next_across_modules(admin_client):
    tree = make_course(modules=2, lessons_per_module=2)
    last_of_first_module = tree.lessons[1]
    html = admin_client.get(last_of_first_module.url).content.decode()
    assert f'rel="prev" href="{tree.lessons[0].url}"' in html
    assert f'rel="next" href="{tree.lessons[2].url}"' in html  # first lesson of module 2
    assert 'aria-label="Breadcrumb"' in html and tree.course.url in html
    first = admin_client.get(tree.lessons[0].url).content.decode()
    last = admin_client.get(tree.lessons[-1].url).content.decode()
    assert 'rel="prev"' not in first and f'rel="next" href="{tree.lessons[1].url}"' in first
    assert 'rel="next"' not in last and f'rel="prev" href="{tree.lessons[-2].url}"' in last
