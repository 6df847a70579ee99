"""A real LTI 1.3 platform on a loopback port, for the end-to-end tests.

The protocol code is OpenLearning's `lti1p3platform` (PyPI, MIT; not written here): it builds
and signs the OIDC login initiation, the id_token of resource-link and deep-linking launches
(with its AGS claim), serves its key set, issues AGS access tokens against the tool's signed
client assertion (checked with the tool's key set), accepts scores through its
AssignmentsGradesService (bearer token checked), and validates the tool's deep-linking response
JWT. What is written here is only the glue that library leaves to its host framework: a WSGI
app (wsgiref, in a thread) that routes requests to those classes and records what arrived.

The "browser" is the Django test client: it follows the tool's redirects and carries the
platform's answers (the auto-submitted launch form becomes a JSON body here) back to the tool.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import threading
import typing as t
from dataclasses import dataclass, field
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

MISSING = (
    "LTI platform tests: SKIPPED — needs lti1p3platform (pip install -e '.[dev]'; "
    "it is in the dev extra)."
)

TOOL = "http://testserver"
TOOL_LOGIN = f"{TOOL}/lti/login/"
TOOL_LAUNCH = f"{TOOL}/lti/launch/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def platform_available() -> bool:
    return importlib.util.find_spec("lti1p3platform") is not None


def platform_required() -> bool:
    return bool(os.environ.get("LTI_PLATFORM_REQUIRED"))


def _rsa_pem() -> tuple[str, str]:
    from jwcrypto.jwk import JWK

    key = JWK.generate(kty="RSA", size=2048)
    return (
        key.export_to_pem(private_key=True, password=None).decode(),
        key.export_to_pem().decode(),
    )


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - wsgiref's signature
        pass


@dataclass
class PendingLaunch:
    kind: str  # "resource" or "deeplink"
    user_id: str
    roles: list[str]
    launch_url: str
    resource_link_id: str = ""
    name: str = ""
    email: str = ""
    custom: dict[str, str] = field(default_factory=dict)
    lineitem: str = ""


class Platform:
    """One platform: issuer http://127.0.0.1:<port>, one client id and deployment."""

    def __init__(self, *, client_id: str = "capacitas-tool", deployment_id: str = "dep-1"):
        from lti1p3platform.registration import Registration

        self.client_id = client_id
        self.deployment_id = deployment_id
        self.private_key, self.public_key = _rsa_pem()
        self.scores: list[dict[str, t.Any]] = []
        self.lineitems: dict[str, dict[str, t.Any]] = {}
        self.deep_link_items: list[list[dict[str, t.Any]]] = []
        self.token_requests = 0
        self.dynamic_registrations: list[dict[str, t.Any]] = []
        self._pending: dict[str, PendingLaunch] = {}
        self._ids = itertools.count(1)
        self._server: WSGIServer = make_server(
            "127.0.0.1", 0, self._app, handler_class=_QuietHandler
        )
        self.port = self._server.server_port
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.registration = (
            Registration()
            .set_iss(self.issuer)
            .set_client_id(client_id)
            .set_deployment_id(deployment_id)
            .set_oidc_login_url(TOOL_LOGIN)
            .set_launch_url(TOOL_LAUNCH)
            .set_deeplink_launch_url(TOOL_LAUNCH)
            .set_platform_public_key(self.public_key)
            .set_platform_private_key(self.private_key)
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- the platform's addresses (what an administrator pastes into Capacitas) ---------------
    @property
    def auth_url(self) -> str:
        return f"{self.issuer}/auth"

    @property
    def token_url(self) -> str:
        return f"{self.issuer}/token"

    @property
    def keyset_url(self) -> str:
        return f"{self.issuer}/jwks"

    def start(self) -> Platform:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def trust_tool_keys(self, jwks: dict) -> None:
        """The tool's key set, as an administrator would give it (or the platform fetch it)."""
        self.registration.set_tool_key_set(jwks)

    # --- lti1p3platform's abstract classes, made concrete -------------------------------------
    def _config(self):
        from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract

        registration = self.registration

        class Conf(LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **kwargs):
                self._registration = registration

            def get_registration_by_params(self, **kwargs):
                return registration

        return Conf()

    @staticmethod
    def _request(method: str, query: dict, form: dict, headers: dict, body: t.Any, path: str):
        from lti1p3platform.request import Request

        class WsgiRequest(Request):
            def build_metadata(self, request):
                return request

        return WsgiRequest(
            {
                "method": method,
                "form_data": form,
                "get_data": query,
                "headers": headers,
                "content_type": headers.get("Content-Type"),
                "path": path,
                "json": body,
            }
        )

    def _ags(self, request, lineitem_url: str):
        from lti1p3platform.score import UpdateScoreStatus
        from lti1p3platform.service_connector import AssignmentsGradesService

        platform = self

        class Ags(AssignmentsGradesService):
            def find_lineitems(self, page=1, limit=None, **filters):
                return {"content": list(platform.lineitems.values()), "has_next": False}

            def find_lineitem(self, line_item_id):
                return platform.lineitems[line_item_id]

            def create_lineitem(self, creation_data):
                number = str(next(platform._ids))
                item = dict(creation_data, id=f"{platform.issuer}/lineitems/{number}")
                platform.lineitems[number] = item
                return item

            def update_lineitem(self, update_data):
                return update_data

            def delete_lineitem(self, line_item_id):
                platform.lineitems.pop(line_item_id, None)

            def update_score(self, line_item_id, score):
                platform.scores.append(dict(score, lineitem=line_item_id))
                return UpdateScoreStatus.SUCCESS

            def get_results(self, line_item_id, page=1, limit=None, user_id=None):
                return {"content": [], "has_next": False}

        return Ags(request, self._config(), f"{self.issuer}/lineitems", lineitem_url)

    # --- what a platform user does ------------------------------------------------------------
    def login_url(
        self,
        *,
        user_id: str,
        page_id: int | None = None,
        deep_link: bool = False,
        roles: list[str] | None = None,
        name: str = "",
        email: str = "",
        resource_link_id: str | None = None,
    ) -> str:
        """The OIDC third-party login initiation URL the platform sends the browser to."""
        from lti1p3platform.oidc_login import OIDCLoginAbstract

        hint = f"hint-{next(self._ids)}"
        launch_url = TOOL_LAUNCH if page_id is None else f"{TOOL_LAUNCH}?page={page_id}"
        link_id = resource_link_id or f"link-{page_id}"
        lineitem_number = str(next(self._ids))
        self.lineitems.setdefault(
            lineitem_number,
            {"id": f"{self.issuer}/lineitems/{lineitem_number}", "scoreMaximum": 100},
        )
        self._pending[hint] = PendingLaunch(
            kind="deeplink" if deep_link else "resource",
            user_id=user_id,
            roles=roles or ([INSTRUCTOR] if deep_link else [LEARNER]),
            launch_url=launch_url,
            resource_link_id=link_id,
            name=name,
            email=email,
            lineitem=f"{self.issuer}/lineitems/{lineitem_number}",
        )

        class Login(OIDCLoginAbstract):
            def set_lti_message_hint(self, **kwargs):
                self._lti_message_hint = kwargs["hint"]

            def get_redirect(self, url):
                return url

        login = Login(None, self._config())
        login.set_lti_message_hint(hint=hint)
        login.set_launch_url(TOOL_LAUNCH if deep_link else launch_url)
        return login.initiate_login(user_id)

    def _auth(self, request) -> dict:
        """The OIDC authentication response: a signed id_token for the pending launch."""
        from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract

        query = request.get_data
        pending = self._pending.get(query.get("lti_message_hint", ""))
        if pending is None or query.get("login_hint") != pending.user_id:
            raise ValueError("unknown launch")
        if query.get("redirect_uri") != TOOL_LAUNCH:
            raise ValueError("redirect_uri is not registered")

        class Launch(LTIAdvantageMessageLaunchAbstract):
            def render_launch_form(self, launch_data, **kwargs):
                return launch_data

        launch = Launch(request, self._config())
        launch.set_user_data(
            pending.user_id, pending.roles, full_name=pending.name, email_address=pending.email
        )
        launch.set_launch_context_claim("course-101", context_title="Platform course")
        if pending.kind == "deeplink":
            launch.set_dl(f"{self.issuer}/deep_link_return", title="Pick from Capacitas")
        else:
            launch.set_launch_url(pending.launch_url)
            launch.set_resource_link_claim(pending.resource_link_id, title="Capacitas activity")
            launch.set_ags(
                f"{self.issuer}/lineitems",
                pending.lineitem,
                allow_creating_lineitems=True,
            )
            if pending.custom:
                launch.set_custom_parameters_claim(pending.custom)
        return launch.lti_launch()

    # --- the WSGI app -------------------------------------------------------------------------
    def _app(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        content_type = environ.get("CONTENT_TYPE", "")
        headers = {
            "Authorization": environ.get("HTTP_AUTHORIZATION", ""),
            "Content-Type": content_type,
        }
        form = dict(parse_qsl(raw.decode())) if "form" in content_type else {}
        body = json.loads(raw) if raw and "json" in content_type else None
        request = self._request(method, query, form, headers, body, path)
        status, payload = self._route(method, path, request, form)
        data = json.dumps(payload).encode()
        start_response(status, [("Content-Type", "application/json")])
        return [data]

    def _route(self, method: str, path: str, request, form: dict):
        from lti1p3platform.exceptions import LtiException as PlatformError

        try:
            # LTI Dynamic Registration (lti1p3platform has none): the platform's side of it,
            # written here as the spec describes it, to test the tool's side.
            if path == "/.well-known/openid-configuration":
                return "200 OK", {
                    "issuer": self.issuer,
                    "authorization_endpoint": self.auth_url,
                    "token_endpoint": self.token_url,
                    "jwks_uri": self.keyset_url,
                    "registration_endpoint": f"{self.issuer}/register",
                    "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                        "product_family_code": "loopback",
                    },
                }
            if path == "/register" and method == "POST":
                self.dynamic_registrations.append(
                    {"authorization": request.headers["Authorization"], "body": request.json}
                )
                return "201 Created", {
                    **request.json,
                    "client_id": self.client_id,
                    "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                        **request.json["https://purl.imsglobal.org/spec/lti-tool-configuration"],
                        "deployment_id": self.deployment_id,
                    },
                }
            if path == "/jwks":
                return "200 OK", self._config().get_jwks()
            if path == "/auth":
                return "200 OK", self._auth(request)
            if path == "/token" and method == "POST":
                self.token_requests += 1
                return "200 OK", self._config().get_access_token(form)
            if path == "/deep_link_return" and method == "POST":
                items = self._config().validate_deeplinking_resp(form)
                self.deep_link_items.append(items)
                return "200 OK", {"received": len(items)}
            if path.startswith("/lineitems/") and path.endswith("/scores"):
                number = path.split("/")[2]
                lineitem_url = f"{self.issuer}/lineitems/{number}"
                response = self._ags(request, lineitem_url).handle_resp(
                    self._ags(request, lineitem_url).handle_update_score,
                    line_item_id=number,
                )
                return f"{response.code} X", {"message": response.message}
            if path == "/lineitems":
                ags = self._ags(request, "")
                handler = (
                    ags.handle_create_lineitem if method == "POST" else ags.handle_get_lineitems
                )
                response = ags.handle_resp(handler)
                content = response.result
                if isinstance(content, dict) and "content" in content:
                    content = content["content"]
                return f"{response.code} X", content
        except (PlatformError, ValueError, KeyError, AssertionError) as error:
            return "400 Bad Request", {"error": str(error)}
        except Exception as error:  # noqa: BLE001 - a failing check is a refusal to the tool
            return "401 Unauthorized", {"error": f"{type(error).__name__}: {error}"}
        return "404 Not Found", {"error": "no such endpoint"}
