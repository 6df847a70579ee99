"""Account pages beyond allauth's (the profile)."""

from django.urls import path

from learners.accounts import views as profile

urlpatterns = [path("profile/", profile.profile_edit, name="profile_edit")]
