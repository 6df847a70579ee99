"""Editor forms of the course pages."""

from wagtail.admin.forms import WagtailAdminPageForm


class ValidateOnSaveDraftForm(WagtailAdminPageForm):
    """*Save draft* checks what *Submit* and *Publish* check.

    Wagtail 8 defers required fields (the page's and those inside its blocks) when a draft is
    saved, so a lesson with an empty body was saved with a "Saved" badge and its errors only
    appeared at Submit. A lesson is never worth keeping half-empty here (the trainer keeps
    writing in the open editor), so the form refuses at once and Wagtail shows its usual
    errors on the fields themselves, with the tab's error count.
    """

    def defer_required_fields(self):
        return None
