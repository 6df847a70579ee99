"""What content templates show besides the page itself: the catalogue's listing, a course's
outline, a lesson's navigation, a quiz's preview.

The page models do not call the selectors (the selectors read the models, and the models would
import the selectors back); the templates ask for what they show through these tags instead.
"""

from django import template

from courses.selectors.catalogue import CatalogueFilters, catalogue_courses, catalogue_facets
from courses.selectors.outline import course_outline as outline_of
from courses.selectors.outline import lesson_navigation as navigation_of
from courses.selectors.quizzes import quiz_questions_plain
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


@register.simple_tag
def lesson_navigation(lesson):
    return navigation_of(lesson)


@register.simple_tag(takes_context=True)
def quiz_preview_questions(context, quiz):
    """Trainers previewing a quiz see every question with its answers; learners never do."""
    request = context.get("request")
    if not getattr(request, "is_preview", False):
        return None
    return quiz_questions_plain(quiz)
