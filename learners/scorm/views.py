"""The SCORM runtime's two doors: the package's files, and the commit of CMI data.

Both check that the learner is enrolled in the lesson's course (trainers who may edit the
lesson see its files for previews); anything else is a 404, so nothing confirms a lesson or a
file exists.
"""

from __future__ import annotations

import json
import mimetypes
from functools import wraps

from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from csp.decorators import csp
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from courses.selectors.outline import course_for_page
from courses.selectors.scorm import get_scorm_lesson
from learners.progress.selectors import enrolment_current
from learners.scorm.services import StaleCommit, scorm_commit

# What a package may do inside its frame: its own scripts (SCORM authoring tools write inline
# scripts and some evaluate strings), styles, images, media and fonts from its own files, and
# requests to this origin only. No plugins, no other origin, framed only by this site.
PACKAGE_CSP = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "media-src": [SELF, "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "worker-src": [SELF, "blob:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
COMMIT_MAX_BYTES = getattr(settings, "SCORM_COMMIT_MAX_BYTES", 256 * 1024)


def _may_open(user, lesson) -> bool:
    if not user.is_authenticated:
        return False
    if lesson.permissions_for_user(user).can_edit():
        return True
    if not lesson.live:
        return False
    course = course_for_page(lesson)
    return course is not None and enrolment_current(user, course.pk) is not None


@require_GET
@xframe_options_sameorigin
@csp(PACKAGE_CSP)
def content(request, lesson_id: int, path: str):
    lesson = get_scorm_lesson(lesson_id, live_only=False)
    if lesson is None or lesson.package is None or not lesson.package.has_file(path):
        raise Http404
    if not _may_open(request.user, lesson):
        raise Http404
    try:
        handle = default_storage.open(f"{lesson.package.prefix}/{path}", "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type, encoding = mimetypes.guess_type(path)
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"result": False, "errorCode": 101, "error": message}, status=status)


def csrf_token_in_body(view):
    """CSRF protection that also takes the token from the JSON body.

    The runtime sends its last commit, when the SCO terminates or the page goes away, with
    `navigator.sendBeacon`, which cannot set a header: without this, Django refused that commit
    (403) and the data set since the previous commit was lost. The token is the same one the
    header carries, checked by Django's own CSRF middleware (`csrf_protect`) once it has been
    copied from the body; a request with neither is refused as before.
    """
    protected = csrf_protect(view)
    header = settings.CSRF_HEADER_NAME

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        declared = request.headers.get("Content-Length") or "0"
        if (
            request.method == "POST"
            and header not in request.META
            and declared.isdigit()
            and int(declared) <= COMMIT_MAX_BYTES
        ):
            try:
                token = json.loads(request.body).get("csrfToken")
            except (ValueError, UnicodeDecodeError, AttributeError):
                token = None
            if isinstance(token, str):
                request.META[header] = token
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)


@require_POST
@csrf_token_in_body
def commit(request, lesson_id: int):
    if not request.user.is_authenticated:
        return _error(_("Sign in again to save your progress."), 403)
    declared = request.headers.get("Content-Length") or "0"
    if not declared.isdigit() or int(declared) > COMMIT_MAX_BYTES:
        return _error(_("The activity sent more data than a lesson may store."), 413)
    body = request.body
    if len(body) > COMMIT_MAX_BYTES:
        return _error(_("The activity sent more data than a lesson may store."), 413)
    lesson = get_scorm_lesson(lesson_id)
    if lesson is None or lesson.package is None:
        raise Http404
    course = course_for_page(lesson)
    enrolment = enrolment_current(request.user, course.pk) if course else None
    if enrolment is None:
        raise Http404
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _error(_("The activity sent data that is not JSON."), 400)
    if not isinstance(payload, dict):
        return _error(_("The activity sent data that is not a JSON object."), 400)
    package = lesson.package
    sco = package.sco(str(payload.get("sco") or ""))
    number, sequence = payload.get("attempt"), payload.get("sequence")
    cmi = payload.get("cmi")
    if (
        sco is None
        or not isinstance(number, int)
        or not isinstance(sequence, int)
        or isinstance(number, bool)
        or isinstance(sequence, bool)
        or not 1 <= number <= 10_000
        or not 1 <= sequence <= 2**31 - 1
        or not isinstance(cmi, dict)
    ):
        return _error(_("The activity sent an incomplete commit."), 400)
    try:
        row = scorm_commit(
            user=request.user,
            enrolment=enrolment,
            lesson=lesson,
            package_id=package.pk,
            version=package.version,
            sco=sco,
            sco_identifiers=[item["identifier"] for item in package.scos],
            number=number,
            sequence=sequence,
            session_key=str(payload.get("session") or "")[:64],
            cmi=cmi,
        )
    except StaleCommit:
        return _error(
            _("This commit is out of date: the activity was saved from another window since."),
            409,
        )
    return JsonResponse(
        {
            "result": True,
            "errorCode": 0,
            "sequence": row.sequence,
            "completed": row.completed_at is not None,
        }
    )
