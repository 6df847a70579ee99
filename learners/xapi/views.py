"""A learner's activity log as xAPI statements (JSON): for the learner, and for HR in scope."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from learners.accounts.decorators import hr_officer_required
from learners.accounts.models import User
from learners.accounts.selectors import user_in_hr_scope
from learners.xapi.selectors import learner_events
from learners.xapi.services import statements_build
from learners.xapi.statements import XAPI_VERSION


def _statements_response(person: User, filename: str) -> HttpResponse:
    statements = statements_build(events=learner_events(user_id=person.pk))
    response = HttpResponse(
        json.dumps(statements, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Experience-API-Version"] = XAPI_VERSION
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def my_statements(request):
    return _statements_response(request.user, "my-xapi-statements.json")


@hr_officer_required
@require_GET
def hr_learner_statements(request, user_id: int):
    person = User.objects.filter(pk=user_id).first()
    if person is None or not user_in_hr_scope(request.user, person):
        raise Http404
    return _statements_response(person, f"xapi-statements-{person.pk}.json")
