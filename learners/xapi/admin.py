"""Learning Record Stores in the Wagtail admin (Settings › Learning record stores)."""

import os
import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

from learners.progress.models import Verb
from learners.xapi.models import LearningRecordStore

ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,99}$")


class LearningRecordStoreForm(WagtailAdminModelForm):
    endpoint = forms.URLField(
        label=_("Endpoint"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The LRS's xAPI base address, e.g. https://lrs.example.org/xAPI/"),
    )
    verbs = forms.MultipleChoiceField(
        label=_("Verbs"),
        choices=Verb.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The verbs this LRS receives; none selected means every verb."),
    )

    class Meta:
        model = LearningRecordStore
        fields = ["name", "endpoint", "key", "secret_env", "verbs", "active"]

    def clean_secret_env(self) -> str:
        name = self.cleaned_data["secret_env"].strip()
        if not ENV_NAME.match(name):
            raise forms.ValidationError(
                _(
                    "Give the name of an environment variable (capital letters, digits and _), "
                    "not the secret itself."
                )
            )
        return name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = getattr(self.instance, "secret_env", "")
        if name:
            # Whether the variable is set, never its value.
            state = _("set") if os.environ.get(name) else _("not set in this process")
            self.fields["secret_env"].help_text = f"{self.fields['secret_env'].help_text} ({state})"


class LearningRecordStoreViewSet(ModelViewSet):
    model = LearningRecordStore
    form_class = LearningRecordStoreForm
    form_fields = LearningRecordStoreForm.Meta.fields
    icon = "upload"
    menu_label = _("Learning record stores")
    add_to_settings_menu = True
    list_display = ["name", "endpoint", "active"]

    def get_form_class(self, for_update=False):
        return LearningRecordStoreForm
