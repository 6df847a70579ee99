"""Admin screens of the translation workflow: the "Translations out of date" report (Reports
menu) and "Submit translation for review". See courses/translations.py and docs/translation.md."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from courses.translations import (
    ReviewRefused,
    translation_missing_strings,
    translation_of_page,
    translation_submit_for_review,
    translation_workflow,
    translations_out_of_date,
)


def may_author_pages(user) -> bool:
    """Trainers, course editors and administrators: whoever may add, change or publish pages."""
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])


class OutOfDateTranslationsView(ReportView):
    page_title = gettext_lazy("Translations out of date")
    header_icon = "globe"
    results_template_name = "courses/admin/translations_out_of_date_results.html"
    index_url_name = "translations_out_of_date"
    index_results_url_name = "translations_out_of_date_results"
    context_object_name = "rows"
    list_export = ["page.title", "language", "source_title", "source_published_at", "synced_at"]
    export_headings = {
        "page.title": gettext_lazy("Translated page"),
        "language": gettext_lazy("Language"),
        "source_title": gettext_lazy("Source page"),
        "source_published_at": gettext_lazy("Source published"),
        "synced_at": gettext_lazy("Translation last synced"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_author_pages(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return translations_out_of_date(self.request.user)

    def get_filename(self):
        return f"translations-out-of-date-{datetime.date.today().isoformat()}"


@require_http_methods(["GET", "POST"])
def submit_for_review(request, page_id: int):
    """GET: what submitting does (and how many strings are still untranslated). POST: turn the
    strings translated so far into a draft and send it through the review workflow."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not page.permissions_for_user(request.user).can_edit():
        raise Http404  # someone else's page reads the same as no page
    page = page.specific
    translation = translation_of_page(page)
    if translation is None:
        raise Http404  # not a translation: nothing to submit here
    if request.method == "GET":
        return render(
            request,
            "courses/admin/translation_submit.html",
            {
                "page": page,
                "language": translation.target_locale.get_display_name(),
                "workflow": translation_workflow(page),
                "missing": translation_missing_strings(translation),
            },
        )
    try:
        page = translation_submit_for_review(user=request.user, page=page)
    except PermissionError as error:
        raise Http404 from error
    except ReviewRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("translation_submit_for_review", page.pk)
    messages.success(
        request,
        _("“%(title)s” was submitted for review. A course editor approves and publishes it.")
        % {"title": page.get_admin_display_title()},
    )
    return redirect("wagtailadmin_explore", page.get_parent().pk)
