"""Sign-up and profile forms."""

from allauth.account.models import EmailAddress
from django import forms
from django.utils.translation import gettext_lazy as _

from learners.accounts.models import Department, GovernmentLevel, Organisation, User
from learners.accounts.selectors import membership_request_pending_for
from learners.accounts.services import membership_request_submit
from learners.common.languages import language_codes, language_name

CLOSED_MESSAGE = _(
    "This organisation admits members by invitation, by its e-mail domain or by single "
    "sign-on only. Ask its HR officers for an invitation."
)


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
        email = (cleaned.get("email") or "").lower()
        if (
            organisation is not None
            and not organisation.accepts_join_requests
            and not (
                organisation.email_domain
                and email.endswith("@" + organisation.email_domain.lower())
            )
        ):
            self.add_error("organisation", CLOSED_MESSAGE)
        return cleaned

    def signup(self, request, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.job_title = self.cleaned_data.get("job_title", "").strip()
        user.government_level = self.cleaned_data["government_level"]
        user.save()
        # The organisation chosen here is a claim, not a membership: it waits for proof (a
        # verified address at the organisation's domain, or its HR's approval).
        organisation = self.cleaned_data.get("organisation")
        if organisation is not None and organisation.accepts_join_requests:
            membership_request_submit(
                user=user, organisation=organisation, department=self.cleaned_data.get("department")
            )


class ProfileForm(forms.ModelForm):
    """The person's own profile. Organisation and department are not saved here: a change is a
    membership request (see `profile_edit`), so they are plain fields, not model fields."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("None"),
        help_text=_(
            "Joining or moving to an organisation waits for its approval; until then you stay "
            "where you are now."
        ),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.select_related("organisation").order_by(
            "organisation__name", "name"
        ),
        required=False,
        empty_label=_("None or not listed"),
    )

    language = forms.ChoiceField(
        label=_("Certificate language"),
        required=False,
        help_text=_(
            "The language of your certificates and their verification pages. You can also "
            "download any certificate in another language from My learning."
        ),
    )

    field_order = [
        "full_name",
        "organisation",
        "department",
        "job_title",
        "government_level",
        "language",
    ]

    class Meta:
        model = User
        fields = ["full_name", "job_title", "government_level", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # From settings.LANGUAGES, each in its own name: adding a language adds a choice.
        self.fields["language"].choices = [
            ("", _("The language I enrolled in")),
            *((code, language_name(code)) for code in language_codes()),
        ]
        self.fields["government_level"].required = True
        pending = membership_request_pending_for(self.instance)
        if pending is not None:
            self.initial.update(organisation=pending.organisation, department=pending.department)
        else:
            self.initial.update(
                organisation=self.instance.organisation_id,
                department=self.instance.department_id,
            )

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("department")
        if department and department.organisation_id != getattr(
            cleaned.get("organisation"), "pk", None
        ):
            self.add_error("department", _("Choose a department of the organisation you selected."))
        organisation = cleaned.get("organisation")
        if (
            organisation is not None
            and not organisation.accepts_join_requests
            and organisation.pk != self.instance.organisation_id
            and not (
                organisation.email_domain
                and EmailAddress.objects.filter(
                    user=self.instance,
                    verified=True,
                    email__iendswith="@" + organisation.email_domain,
                ).exists()
            )
        ):
            self.add_error("organisation", CLOSED_MESSAGE)
        return cleaned


class _ScopedOrganisationMixin:
    """The organisation field offers only organisations in the officer's HR scope."""

    def _scope(self, officer: User) -> None:
        from learners.accounts.selectors import hr_scope_organisation_ids

        scope = hr_scope_organisation_ids(officer)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=scope).order_by(
            "name"
        )
        if "department" in self.fields:
            self.fields["department"].queryset = Department.objects.filter(
                organisation_id__in=scope
            ).select_related("organisation")


class InvitationForm(_ScopedOrganisationMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects,
        required=False,
        empty_label=_("None"),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)

    def __init__(self, *args, officer: User, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope(officer)

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("department")
        if department and department.organisation_id != getattr(
            cleaned.get("organisation"), "pk", None
        ):
            self.add_error("department", _("Choose a department of the organisation you selected."))
        return cleaned


INVITATION_CSV_MAX_BYTES = 1_000_000


class InvitationCSVForm(_ScopedOrganisationMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects)
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_(
            "UTF-8, first line name,email,department,job_title; department and job title may "
            "be empty."
        ),
    )
    # The confirmed file travels back in the preview page, so nothing is stored between steps.
    csv_text = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, officer: User, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope(officer)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > INVITATION_CSV_MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 1 MB; split it."))
            try:
                cleaned["csv_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
                ) from None
        if not cleaned.get("csv_text"):
            self.add_error("file", _("Choose a CSV file."))
        elif "\x00" in cleaned["csv_text"]:
            raise forms.ValidationError(_("The file is not a CSV text file."))
        return cleaned
