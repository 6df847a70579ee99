"""Forms of the HR area; every choice is limited to the officer's scope."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.selectors.certificates import courses_for_assignment
from courses.selectors.content import get_live_course
from learners.accounts.models import Department, Organisation, User
from learners.hr.models import AssignmentTarget
from learners.hr.selectors import scoped_departments, scoped_organisations, scoped_users

EMAIL_SPLIT = re.compile(r"[\s,;]+")


MAX_INDIVIDUALS = 500


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.name} — {obj.organisation.name}"


class AssignmentForm(forms.Form):
    course = forms.TypedChoiceField(label=_("Course"), coerce=int)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    target = forms.ChoiceField(
        label=_("Assign to"),
        choices=AssignmentTarget.choices,
        widget=forms.RadioSelect,
        initial=AssignmentTarget.DEPARTMENT,
    )
    department = DepartmentChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Only when assigning to a department. People who join it later are included."),
    )
    learners = forms.CharField(
        label=_("Learners' e-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only when assigning to individual learners: one address per line."),
    )
    due_on = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    recurrence_months = forms.IntegerField(
        label=_("Recertify every (months)"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Optional. Leave empty for a one-off assignment."),
    )

    def __init__(self, *args, viewer: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["course"].choices = [("", _("Choose a course")), *courses_for_assignment()]
        self.fields["organisation"].queryset = scoped_organisations(viewer).order_by("name")
        self.fields["department"].queryset = scoped_departments(viewer).order_by(
            "organisation__name", "name"
        )
        self.people: list[User] = []
        self.course_page = None

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_on

    def clean_course(self):
        course = get_live_course(self.cleaned_data["course"])
        if course is None:
            raise forms.ValidationError(_("Choose a published course."))
        self.course_page = course
        return course.pk

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        organisation = cleaned.get("organisation")
        department = cleaned.get("department")
        if target == AssignmentTarget.DEPARTMENT:
            if department is None:
                self.add_error("department", _("Choose the department."))
            elif organisation and department.organisation_id != organisation.pk:
                self.add_error(
                    "department", _("Choose a department of the organisation you selected.")
                )
        if target == AssignmentTarget.INDIVIDUALS:
            emails = [e.lower() for e in EMAIL_SPLIT.split(cleaned.get("learners", "")) if e]
            if not emails:
                self.add_error("learners", _("Enter at least one e-mail address."))
            elif len(emails) > MAX_INDIVIDUALS:
                self.add_error(
                    "learners",
                    _("At most %(n)d addresses at once; assign a department instead.")
                    % {"n": MAX_INDIVIDUALS},
                )
            else:
                people = list(scoped_users(self.viewer).filter(email__in=emails))
                unknown = sorted(set(emails) - {p.email for p in people})
                if unknown:
                    # Addresses outside the scope read the same as unknown ones.
                    self.add_error(
                        "learners",
                        _("No one in your organisations has these addresses: %(emails)s")
                        % {"emails": ", ".join(unknown[:10])},
                    )
                self.people = people
        return cleaned


class DepartmentMoveForm(forms.Form):
    department = DepartmentChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            organisation_id=person.organisation_id
        ).select_related("organisation")
        self.fields["department"].initial = person.department_id
        self.fields["department"].empty_label = _("No department")
