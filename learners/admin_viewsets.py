"""Wagtail's user viewset with our forms and templates (see `learners.apps.LearnersUsersConfig`)."""

from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from learners.admin_forms import LearnerUserCreationForm, LearnerUserEditForm


class UserViewSet(WagtailUserViewSet):
    create_template_name = "learners/admin/user_create.html"
    edit_template_name = "learners/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return LearnerUserEditForm if for_update else LearnerUserCreationForm
