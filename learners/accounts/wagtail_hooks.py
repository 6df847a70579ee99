"""Organisations, departments and HR roles in the Wagtail admin."""

from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_organisation_admin():
    from learners.accounts.admin import OrganisationsGroup

    return OrganisationsGroup()
