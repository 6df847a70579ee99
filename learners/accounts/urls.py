"""Account pages beyond allauth's (the profile, invitation links)."""

from django.urls import path

from learners.accounts import views as profile

urlpatterns = [
    path("profile/", profile.profile_edit, name="profile_edit"),
    path("invitation/<str:token>/", profile.invitation_respond, name="membership_invitation"),
]
