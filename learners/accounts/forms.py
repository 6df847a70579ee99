"""Sign-up and profile forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from learners.accounts.models import Department, GovernmentLevel, Organisation, User


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's signup form; allauth calls `signup()` after creating the user."""

    field_order = [
        "full_name",
        "email",
        "password1",
        "password2",
        "organisation",
        "department",
        "job_title",
        "government_level",
    ]

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("My organisation is not listed"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.select_related("organisation").order_by(
            "organisation__name", "name"
        ),
        required=False,
        empty_label=_("None or not listed"),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    government_level = forms.ChoiceField(
        label=_("Level of government"),
        choices=[("", _("Choose…")), *GovernmentLevel.choices],
    )

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("department")
        organisation = cleaned.get("organisation")
        if department and department.organisation_id != getattr(organisation, "pk", None):
            self.add_error("department", _("Choose a department of the organisation you selected."))
        return cleaned

    def signup(self, request, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.organisation = self.cleaned_data.get("organisation")
        user.department = self.cleaned_data.get("department")
        user.job_title = self.cleaned_data.get("job_title", "").strip()
        user.government_level = self.cleaned_data["government_level"]
        user.save()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "organisation", "department", "job_title", "government_level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["department"].queryset = Department.objects.select_related(
            "organisation"
        ).order_by("organisation__name", "name")
        self.fields["government_level"].required = True

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("department")
        if department and department.organisation_id != getattr(
            cleaned.get("organisation"), "pk", None
        ):
            self.add_error("department", _("Choose a department of the organisation you selected."))
        return cleaned
