"""The demo HR officer sees a populated compliance matrix (make run's /hr/matrix/)."""

import re

import pytest
from django.core.management import call_command

from learners.models import User

pytestmark = pytest.mark.django_db


def test_demo_hr_officer_sees_a_populated_matrix(client):
    call_command("load_demo", verbosity=0)
    client.force_login(User.objects.get(email="hr@example.org"))
    response = client.get("/en/hr/matrix/")
    assert response.status_code == 200
    html = response.content.decode()
    people = re.findall(r'<th scope="row">', html)
    assert len(people) >= 10
    columns = re.findall(r'<th scope="col">', html)
    assert len(columns) >= 1 + 3  # the person column and three assigned courses
    for label in ("Overdue", "Not assigned", "Certified"):
        assert f'<span class="matrix-label">{label}</span>' in html, label
