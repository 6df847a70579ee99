"""The LTI tool's fixed addresses (no language prefix: platforms are configured with them)."""

from django.urls import path

from learners.lti import views

urlpatterns = [
    path("lti/jwks.json", views.jwks, name="lti_jwks"),
    path("lti/login/", views.login_view, name="lti_login"),
    path("lti/login/<uuid:registration_uuid>/", views.login_view, name="lti_login_registration"),
    path("lti/launch/", views.launch_view, name="lti_launch"),
    path("lti/deep-link/", views.deep_link_choose, name="lti_deep_link_choose"),
    path("lti/canvas.json", views.canvas_config, name="lti_canvas_config"),
    path("lti/register/<str:token>/", views.dynamic_registration, name="lti_register"),
]
