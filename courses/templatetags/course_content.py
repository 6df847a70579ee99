"""What content templates show besides the page itself: the catalogue's listing, a course's
outline, a lesson's navigation, a quiz's preview.

The page models do not call the selectors (the selectors read the models, and the models would
import the selectors back); the templates ask for what they show through these tags instead.
"""

from django import template
from django.core.cache import cache
from wagtail.models import Site

from courses import cache as outline_cache
from courses.selectors.catalogue import CatalogueFilters, catalogue_courses, catalogue_facets
from courses.selectors.outline import course_outline as outline_of
from courses.selectors.outline import lesson_navigation as navigation_of
from courses.selectors.outline import outline_for_page
from courses.selectors.quizzes import bank_draws_preview, quiz_questions_plain
from courses.selectors.workbooks import live_workbooks

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_filters(context):
    """The catalogue filters the visitor chose (topic, level, language), from the query string."""
    request = context.get("request")
    return CatalogueFilters.from_querydict(request.GET if request else {})


@register.simple_tag
def catalogue_listing(catalogue, filters):
    return catalogue_courses(catalogue, filters)


@register.simple_tag
def catalogue_choices():
    return catalogue_facets()


@register.simple_tag
def course_workbooks(course):
    """{% course_workbooks page as workbooks %}: the capstone workbooks listed after the modules."""
    return live_workbooks(course)


@register.simple_tag
def course_outline(course):
    return outline_of(course)


@register.simple_tag(takes_context=True)
def lesson_navigation(context, lesson):
    """The lesson's place in its course; the request keeps the outline for the other tags."""
    return navigation_of(lesson, context.get("request"))


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page):
    """[(title, url)] of the page's ancestors below the root, for the breadcrumbs.

    Kept with the course's content version (a renamed catalogue or home page gives its
    courses new versions too), so pages of a course read no ancestors from the database.
    """
    request = context.get("request")
    outline = outline_for_page(page, request)
    site = Site.find_for_request(request) if request is not None else None
    key = None
    if outline is not None and not getattr(request, "is_preview", False):
        version = outline_cache.content_version(outline.course_id)
        key = f"courses:crumbs:{version}:{site.pk if site else '-'}:{page.pk}"
        trail = cache.get(key)
        if trail is not None:
            return trail
    trail = [
        (ancestor.title, ancestor.get_url(request))
        for ancestor in page.get_ancestors()
        if not ancestor.is_root()
    ]
    if key is not None:
        cache.set(key, trail, timeout=outline_cache.OUTLINE_SECONDS)
    return trail


@register.simple_tag(takes_context=True)
def content_version(context, course_id):
    """The key of a cached fragment of a course's content, or None where nothing may be cached
    (previews of drafts render what the trainer has just typed)."""
    request = context.get("request")
    if course_id is None or getattr(request, "is_preview", False):
        return None
    return outline_cache.content_version(course_id)


@register.simple_tag(takes_context=True)
def quiz_preview_questions(context, quiz):
    """Trainers previewing a quiz see every question with its answers, and for each bank draw
    the questions it may draw from; learners never do."""
    request = context.get("request")
    if not getattr(request, "is_preview", False):
        return None
    return {"questions": quiz_questions_plain(quiz), "draws": bank_draws_preview(quiz)}
