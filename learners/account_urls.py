from django.urls import path

from learners.views import profile

urlpatterns = [path("profile/", profile.profile_edit, name="profile_edit")]
