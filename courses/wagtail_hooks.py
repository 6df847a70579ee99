"""Authoring comforts in the Wagtail admin: a module's lessons one click away, and a draft that
says what it still needs before it can be submitted or published."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets.button import ListingButton
from wagtail.fields import StreamField
from wagtail.snippets.models import register_snippet

from courses.models import CoursePage, LessonPage, ModulePage, QuestionBank, QuizPage
from courses.scorm_admin import ScormPackageViewSet

CHECKED_ON_DRAFT = (CoursePage, ModulePage, LessonPage, QuizPage)


def missing_fields(page) -> list[str]:
    """The labels of the fields that would stop `page` from being published (Wagtail 8 saves a
    draft without its required fields and only reports them when the page is submitted)."""
    names: list[str] = []
    try:
        page.full_clean(exclude=["path", "depth", "numchild", "url_path", "draft_title"])
    except ValidationError as error:
        names += list(getattr(error, "error_dict", {}))
    # An empty stream is not one of Django's "empty values", so full_clean lets a required
    # StreamField through; the editor's form refuses it on publish.
    names += [
        field.name
        for field in page._meta.get_fields()
        if isinstance(field, StreamField)
        and not field.blank
        and field.name not in names
        and field.name not in getattr(page, "unused_fields", ())
        and not len(getattr(page, field.name))
    ]
    labels = []
    for name in names:
        try:
            label = page._meta.get_field(name).verbose_name
        except Exception:  # noqa: BLE001 - a non-field error keeps its own wording
            label = name
        labels.append(str(capfirst(label)))
    return labels


def _warn_if_incomplete(request, page):
    page = page.specific if hasattr(page, "specific") else page
    if not isinstance(page, CHECKED_ON_DRAFT) or "action-publish" in request.POST:
        return
    missing = missing_fields(page)
    if missing:
        messages.warning(
            request,
            _("Saved as a draft. Before it can be submitted or published, fill in: %(fields)s.")
            % {"fields": ", ".join(missing)},
        )


@hooks.register("after_create_page")
def warn_incomplete_new_draft(request, page):
    _warn_if_incomplete(request, page)


@hooks.register("after_edit_page")
def warn_incomplete_draft(request, page):
    _warn_if_incomplete(request, page)


@hooks.register("register_page_listing_buttons")
def module_lessons_button(page, user, next_url=None):
    """In the explorer a title opens the edit form; a module's lessons get a button of their own,
    first in the row."""
    if page.specific_class is ModulePage:
        yield ListingButton(
            _("Lessons"),
            reverse("wagtailadmin_explore", args=[page.pk]),
            attrs={
                "aria-label": _("Lessons of '%(title)s'")
                % {"title": page.get_admin_display_title()}
            },
            priority=1,
        )


register_snippet(QuestionBank)
register_snippet(ScormPackageViewSet)


@hooks.register("register_admin_urls")
def question_bank_urls():
    from courses import admin_views

    return [
        path(
            "question-banks/<int:bank_id>/import/",
            admin_views.bank_import,
            name="question_bank_import",
        ),
        path(
            "question-banks/<int:bank_id>/export/<str:file_format>/",
            admin_views.bank_download,
            name="question_bank_export",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def question_bank_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, QuestionBank) or not user.has_perm("courses.change_questionbank"):
        return
    yield ListingButton(
        _("Import"), reverse("question_bank_import", args=[snippet.pk]), priority=20
    )
    for file_format, label in (("gift", _("Export GIFT")), ("csv", _("Export CSV"))):
        yield ListingButton(
            label,
            reverse("question_bank_export", args=[snippet.pk, file_format]),
            priority=30,
        )


# --- Translations (courses/translations.py, docs/translation.md) -------------------------------
@hooks.register("register_admin_urls")
def translation_urls():
    from courses import translation_admin

    report = translation_admin.OutOfDateTranslationsView
    return [
        path(
            "reports/translations-out-of-date/",
            report.as_view(),
            name="translations_out_of_date",
        ),
        path(
            "reports/translations-out-of-date/results/",
            report.as_view(results_only=True),
            name="translations_out_of_date_results",
        ),
        path(
            "translations/<id:page_id>/submit-for-review/",
            translation_admin.submit_for_review,
            name="translation_submit_for_review",
        ),
    ]


@hooks.register("register_reports_menu_item")
def translations_report_menu_item():
    from wagtail.admin.menu import MenuItem

    from courses.translation_admin import may_author_pages

    class TranslationsReportMenuItem(MenuItem):
        def is_shown(self, request):
            return may_author_pages(request.user)

    return TranslationsReportMenuItem(
        _("Translations out of date"),
        reverse("translations_out_of_date"),
        name="translations-out-of-date",
        icon_name="globe",
        order=1300,
    )


@hooks.register("register_page_listing_more_buttons")
def translation_review_button(page, user, next_url=None):
    """On a translated page the editor can change: "Submit translation for review"."""
    from courses.translations import translation_of_page

    if not page.permissions_for_user(user).can_edit() or translation_of_page(page) is None:
        return
    yield ListingButton(
        _("Submit translation for review"),
        reverse("translation_submit_for_review", args=[page.pk]),
        priority=60,
    )
