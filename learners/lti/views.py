"""The tool's doors for platforms: key set, login initiation, launch, deep-linking picker.

None of them carries a language prefix (platforms are configured with these addresses). Every
refusal is a 4xx page that says what went wrong; PyLTI1p3 checks state, nonce, issuer,
audience, signature and deployment, and a nonce is accepted only once (LtiNonce).
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from lti_tool.models import Key, LtiLaunch
from lti_tool.utils import DjangoToolConfig, get_launch_from_request
from lti_tool.views import LtiLaunchBaseView, OIDCLoginInitView
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoOIDCLogin
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from learners.lti.framing import SESSION_REGISTRATION, allow_framing, framed_by_platforms
from learners.lti.registration import (
    RegistrationRefused,
    ToolUrls,
    canvas_configuration,
    dynamic_register,
)
from learners.lti.selectors import (
    launch_target,
    page_id_from_launch,
    picker_courses,
    url_origin,
)
from learners.lti.services import (
    LaunchPerson,
    account_for_launch,
    grade_link_record,
    nonce_consume,
    tool_key_ensure,
)
from learners.progress.models import EnrolmentSource
from learners.progress.services import EnrolmentRefused, enrolment_create

logger = logging.getLogger(__name__)

AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
TARGET_LINK = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"
NEW_WINDOW = "lti1p3_new_window"


class LaunchRefused(Exception):
    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


def _refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "learners/lti/error.html", {"reason": message}, status=status)


def _explain(error: Exception) -> tuple[str, int]:
    """A PyLTI1p3 refusal as a sentence a person can act on, and its status."""
    text = str(error)
    if "egistration" in text or "Client id not registered" in text:
        return _(
            "This learning platform is not registered with Capacitas (unknown issuer or "
            "client id). Ask an administrator to register it."
        ), 403
    if "expired" in text:
        return _(
            "The launch message has expired. Start the launch again from your learning platform."
        ), 400
    if "decode id_token" in text or "public key" in text or "JWT" in text or "KID" in text:
        return _("The launch message's signature could not be verified."), 403
    if "State" in text or "state" in text:
        return _(
            "This launch did not start here, or it expired (the launch state was not found). "
            "Start it again from your learning platform."
        ), 400
    if "once" in text or "Nonce" in text or "nonce" in text:
        return _(
            "This launch message was already used or is not valid. Start the launch again "
            "from your learning platform."
        ), 403
    if "deployment" in text:
        return _("This deployment of Capacitas on your platform is not known."), 403
    return _("The launch could not be accepted: %(reason)s") % {"reason": text[:200]}, 400


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The tool's public keys (django-lti's Key model; `manage.py rotate_keys` rotates them)."""
    tool_key_ensure()
    response = JsonResponse(Key.objects.as_jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


def _launch_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("lti_launch"))


@method_decorator((never_cache, framed_by_platforms), name="dispatch")
class LoginView(OIDCLoginInitView):
    """OIDC third-party login initiation (GET or POST from the platform)."""

    def get_oidc_response(self, request, registration_uuid, params):
        if params.get("target_link_uri") is None or not params.get("iss"):
            return _refusal(
                request, _("The login request is missing its issuer or target link."), 400
            )
        if not params.get(NEW_WINDOW):
            # First visit: check, in the browser, that cookies work in this frame (PyLTI1p3's
            # state cookie needs them). Our own page: translated, and CSP-clean (no inline JS).
            query = {key: value for key, value in params.items() if key != "csrfmiddlewaretoken"}
            query[NEW_WINDOW] = "1"
            return render(
                request,
                "learners/lti/cookie_check.html",
                {"continue_url": f"{request.path}?{urlencode(query)}"},
            )
        tool_key_ensure()
        tool_conf = DjangoToolConfig(registration_uuid)
        oidc_login = DjangoOIDCLogin(
            request, tool_conf, launch_data_storage=DjangoCacheDataStorage()
        )
        try:
            return oidc_login.disable_check_cookies().redirect(_launch_url(request))
        except (LtiException, OIDCException) as error:
            message, status = _explain(error)
            return _refusal(request, message, status)


@method_decorator(framed_by_platforms, name="dispatch")
class LaunchView(LtiLaunchBaseView):
    """The launch (POST id_token and state): a resource link or a deep-linking request."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except LaunchRefused as refusal:
            return _refusal(request, str(refusal), refusal.status)
        except (LtiException, OIDCException) as error:
            message, status = _explain(error)
            logger.info("LTI launch refused: %s", error)
            return _refusal(request, message, status)
        except KeyError as error:  # a required claim missing from a validated message
            return _refusal(
                request,
                _("The launch message lacks a required claim (%(claim)s).") % {"claim": error},
                400,
            )

    def launch_setup(self, request, lti_launch: LtiLaunch) -> None:
        nonce = lti_launch.get_claim("nonce") or ""
        if not nonce_consume(issuer=lti_launch.get_claim("iss"), nonce=nonce):
            raise LaunchRefused(
                _(
                    "This launch message was already used (replayed nonce). Start the launch "
                    "again from your learning platform."
                )
            )

    def handle_inactive_deployment(self, request, lti_launch: LtiLaunch) -> HttpResponse:
        message = _(
            "This deployment of Capacitas on your platform is not active yet. An administrator "
            "activates it under Settings › LTI deployments."
        )
        return_url = lti_launch.get_return_url(lti_errormsg=message)
        if return_url:
            return HttpResponseRedirect(return_url)
        return _refusal(request, message, 403)

    def handle_resource_launch(self, request, lti_launch: LtiLaunch) -> HttpResponse:
        target = launch_target(
            page_id_from_launch(lti_launch.get_claim(CUSTOM), lti_launch.get_claim(TARGET_LINK))
        )
        if target is None:
            raise LaunchRefused(
                _("The course or lesson this link points at is not available on Capacitas."),
                404,
            )
        issuer, sub = lti_launch.get_claim("iss"), lti_launch.get_claim("sub")
        if not sub:
            raise LaunchRefused(_("The launch does not say who you are (no user)."), 400)
        registration = lti_launch.registration
        user = account_for_launch(
            registration=registration,
            person=LaunchPerson(
                issuer=issuer,
                sub=sub,
                email=lti_launch.get_claim("email") or "",
                name=lti_launch.get_claim("name") or "",
            ),
        )
        try:
            enrolment_create(
                user=user,
                course=target.course,
                source=EnrolmentSource.LTI,
                language=getattr(request, "LANGUAGE_CODE", ""),
            )
        except EnrolmentRefused as refusal:
            raise LaunchRefused(str(refusal), 403) from refusal
        grade_link_record(
            registration=registration,
            user=user,
            issuer=issuer,
            sub=sub,
            page=target.page,
            resource_link_id=(lti_launch.resource_link_claim or {}).get("id", ""),
            endpoint=lti_launch.get_claim(AGS_ENDPOINT),
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SESSION_REGISTRATION] = registration.pk
        return HttpResponseRedirect(target.page.get_url(request))

    def handle_deep_linking_launch(self, request, lti_launch: LtiLaunch) -> HttpResponse:
        message_launch = lti_launch.get_message_launch()
        if not (
            message_launch.check_teacher_access()
            or message_launch.check_staff_access()
            or message_launch.check_designer_access()
        ):
            raise LaunchRefused(_("Only a teacher on your platform may choose content."), 403)
        return render(
            request,
            "learners/lti/picker.html",
            {"launch_id": lti_launch.get_launch_id(), "courses": picker_courses()},
        )


login_view = csrf_exempt(LoginView.as_view())
launch_view = csrf_exempt(LaunchView.as_view())


@csrf_exempt  # the picker runs in the platform's frame; the launch id is the credential
@require_POST
@never_cache
@framed_by_platforms
def deep_link_choose(request: HttpRequest) -> HttpResponse:
    """The teacher's choice from the picker, returned to the platform as an LtiResourceLink.

    The picker form carries the launch id (an unguessable key of the validated deep-linking
    launch in the cache) instead of a cookie, since third-party frames often get none.
    """
    launch_id = request.POST.get("launch_id", "")
    if not launch_id.startswith("lti1p3-launch-"):
        return _refusal(request, _("This choice does not belong to a deep-linking launch."), 400)
    try:
        lti_launch = get_launch_from_request(request, launch_id)
    except LtiException:
        return _refusal(
            request, _("This deep-linking launch expired. Start it again from your platform."), 400
        )
    if not lti_launch.is_deep_link_launch:
        return _refusal(request, _("This choice does not belong to a deep-linking launch."), 400)
    try:
        page_id = int(request.POST.get("page_id", ""))
    except ValueError:
        page_id = None
    target = launch_target(page_id)
    if target is None:
        raise Http404
    launch_url = f"{_launch_url(request)}?{urlencode({'page': target.page.pk})}"
    resource = (
        DeepLinkResource()
        .set_url(launch_url)
        .set_title(target.page.title)
        .set_custom_params({"page_id": str(target.page.pk)})
    )
    if target.kind in ("course", "quiz"):
        resource.set_lineitem(
            LineItem()
            .set_score_maximum(100)
            .set_label(target.page.title)
            .set_resource_id(str(target.page.pk))
            .set_tag(f"capacitas-{target.kind}")
        )
    deep_link = lti_launch.get_message_launch().get_deep_link()
    return_url = deep_link._deep_link_settings["deep_link_return_url"]
    response = render(
        request,
        "learners/lti/deep_link_return.html",
        {
            "return_url": return_url,
            "jwt": deep_link.get_response_jwt([resource]),
            "title": target.page.title,
        },
    )
    # The answer is a form posted to the platform: allow that one origin in form-action.
    origin = url_origin(return_url)
    if origin:
        response._csp_update = {"form-action": [origin]}
        response._csp_update_ro = {"form-action": [origin]}
    return response


def _tool_urls(request: HttpRequest) -> ToolUrls:
    return ToolUrls(
        login=request.build_absolute_uri(reverse("lti_login")),
        launch=_launch_url(request),
        jwks=request.build_absolute_uri(reverse("lti_jwks")),
    )


@require_GET
def canvas_config(request: HttpRequest) -> JsonResponse:
    """Canvas: Developer Keys › + LTI Key › Method "Enter URL" takes this address."""
    return JsonResponse(canvas_configuration(_tool_urls(request)))


REGISTRATION_REFUSALS = {
    "invalid-token": (gettext_lazy("This registration address is not valid or has expired."), 403),
    "token-used": (gettext_lazy("This registration address was already used."), 403),
    "bad-configuration-url": (
        gettext_lazy("The platform's configuration address is not valid."),
        400,
    ),
    "configuration-unreadable": (
        gettext_lazy("The platform's configuration could not be read."),
        502,
    ),
    "configuration-incomplete": (gettext_lazy("The platform's configuration is incomplete."), 400),
    "issuer-mismatch": (
        gettext_lazy("The platform's configuration does not come from its issuer's site."),
        400,
    ),
    "registration-refused": (gettext_lazy("The platform did not accept the registration."), 502),
}


@require_GET
@never_cache
def dynamic_registration(request: HttpRequest, token: str) -> HttpResponse:
    """LTI Dynamic Registration: the platform opens this with `openid_configuration`."""
    openid_configuration = request.GET.get("openid_configuration", "")
    if not openid_configuration:
        return _refusal(request, _("The platform did not send its configuration address."), 400)
    try:
        registration = dynamic_register(
            token=token,
            openid_configuration=openid_configuration,
            registration_token=request.GET.get("registration_token", ""),
            urls=_tool_urls(request),
        )
    except RegistrationRefused as refusal:
        message, status = REGISTRATION_REFUSALS[str(refusal)]
        return _refusal(request, str(message), status)
    response = render(request, "learners/lti/registered.html", {"registration": registration})
    origin = url_origin(openid_configuration)
    return allow_framing(response, [origin] if origin else [])
