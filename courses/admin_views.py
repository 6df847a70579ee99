"""Question bank import (upload, preview, confirm) and export, in the Wagtail admin."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from courses.models import QuestionBank
from courses.question_import import (
    MAX_BYTES,
    ImportRefused,
    bank_export,
    bank_questions_import,
    preview_import,
)


class ImportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("gift", gettext_lazy("GIFT (Moodle)")),
            ("csv", gettext_lazy("CSV (spreadsheet)")),
        ],
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("UTF-8 text, at most 1 MB. Nothing is imported until you confirm."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


def _bank_for(request, bank_id: int) -> QuestionBank:
    if not request.user.has_perm("courses.change_questionbank"):
        raise PermissionDenied
    return get_object_or_404(QuestionBank, pk=bank_id)


def _edit_url(bank: QuestionBank) -> str:
    return reverse("wagtailsnippets_courses_questionbank:edit", args=[bank.pk])


@require_http_methods(["GET", "POST"])
def bank_import(request, bank_id: int):
    bank = _bank_for(request, bank_id)
    context = {"bank": bank, "edit_url": _edit_url(bank)}
    if request.method == "POST" and request.POST.get("confirm"):
        file_format = request.POST.get("file_format", "")
        text = request.POST.get("content", "")
        try:
            count = bank_questions_import(bank=bank, text=text, file_format=file_format)
        except ImportRefused as refusal:
            messages.error(request, str(refusal))
            context["form"] = ImportForm()
            context["preview"] = preview_import(text=text, file_format=file_format)
            return render(request, "courses/admin/bank_import.html", context, status=400)
        messages.success(
            request,
            ngettext(
                "%(count)s question imported into “%(bank)s”.",
                "%(count)s questions imported into “%(bank)s”.",
                count,
            )
            % {"count": count, "bank": bank},
        )
        return redirect(_edit_url(bank))
    form = ImportForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        context["preview"] = preview_import(
            text=form.cleaned_data["file"], file_format=form.cleaned_data["file_format"]
        )
        context["content"] = form.cleaned_data["file"]
        context["file_format"] = form.cleaned_data["file_format"]
    return render(request, "courses/admin/bank_import.html", context)


@require_GET
def bank_download(request, bank_id: int, file_format: str):
    bank = _bank_for(request, bank_id)
    content = bank_export(bank, file_format)
    kind = "text/csv" if file_format == "csv" else "text/plain"
    response = HttpResponse(content, content_type=f"{kind}; charset=utf-8")
    extension = "csv" if file_format == "csv" else "gift.txt"
    response["Content-Disposition"] = f'attachment; filename="question-bank-{bank.pk}.{extension}"'
    return response
