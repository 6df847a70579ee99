"""LTI platforms and deployments in the Wagtail admin (imported by learners/wagtail_hooks.py)."""

from lti_tool.models import LtiDeployment, LtiRegistration
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from learners.lti.admin import SuperuserOnly

register_permission_policy(LtiRegistration, SuperuserOnly(LtiRegistration))
register_permission_policy(LtiDeployment, SuperuserOnly(LtiDeployment))


@hooks.register("register_admin_viewset")
def register_lti_registrations():
    from learners.lti.admin import LtiRegistrationViewSet

    return LtiRegistrationViewSet("lti_registrations")


@hooks.register("register_admin_viewset")
def register_lti_deployments():
    from learners.lti.admin import LtiDeploymentViewSet

    return LtiDeploymentViewSet("lti_deployments")
