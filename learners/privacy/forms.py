"""Forms of the privacy room."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountEraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account will be erased now and cannot be restored."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you want to go ahead.")},
    )
