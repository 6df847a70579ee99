"""A real LTI 1.3 platform on a loopback port, for the end-to-end tests.

The protocol code is OpenLearning's `lti1p3platform` (PyPI, MIT; not written here): it builds
and signs the OIDC login initiation, the id_token of resource-link and deep-linking launches
(with its AGS claim), serves its key set, issues AGS access tokens against the tool's signed
client assertion (checked with the tool's key set), accepts scores through its
AssignmentsGradesService (bearer token checked), and validates the tool's deep-linking response
JWT. What is written here is only the glue that library leaves to its host framework: a WSGI
app (wsgiref, a thread per connection) that routes requests to those classes and records what
arrived.

Two kinds of browser use it. The Django test client (the default, `tool="http://testserver"`)
follows the tool's redirects and carries the platform's answers back to the tool: the launch
form and the deep-linking receipt are JSON bodies then. A real browser (Playwright, or a person
trying `make lti-demo`) says `Accept: text/html`, and gets what a real platform serves: an
auto-submitting launch form, a receipt page, and `/course`, a platform page that embeds the tool
in an iframe from a login initiation URL, as Moodle and Canvas do.
"""

from __future__ import annotations

import html
import importlib.util
import itertools
import json
import os
import threading
import typing as t
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.core.servers.basehttp import ThreadedWSGIServer

MISSING = (
    "LTI platform tests: SKIPPED — needs lti1p3platform (pip install -e '.[dev]'; "
    "it is in the dev extra)."
)

TOOL = "http://testserver"  # the Django test client's host
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


class Html(str):
    """A page for a browser (what `_route` answers instead of JSON)."""


def _page(title: str, body: str) -> Html:
    return Html(
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font-family:sans-serif;margin:0 auto;max-width:72rem;padding:0 1rem}"
        "iframe{border:1px solid #555;width:100%;height:80vh}"
        "a{color:#0645ad}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


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
    """One platform: issuer http://<host>:<port>, one client id and deployment, for the tool
    at `tool` (its base URL).

    The server listens on 127.0.0.1 whatever `host` says: `host` is the name in the issuer.
    A browser test runs the tool at http://localhost:<live_server port> and passes
    `host="localhost"`: the platform page and the tool's frame are then the same *site* (a
    site is scheme and registrable host; ports do not count), so the tool's SameSite=Lax
    cookies (session, CSRF, PyLTI1p3's state cookie, which has no SameSite over http) are
    sent inside the platform's iframe over plain http. With two different sites they would
    be third-party cookies there, which need SameSite=None; Secure, i.e. https.
    """

    def __init__(
        self,
        *,
        client_id: str = "capacitas-tool",
        deployment_id: str = "dep-1",
        tool: str = TOOL,
        host: str = "127.0.0.1",
        port: int = 0,
        keys: tuple[str, str] | None = None,
    ):
        from lti1p3platform.registration import Registration

        self.client_id = client_id
        self.deployment_id = deployment_id
        self.tool = tool.rstrip("/")
        self.tool_login = f"{self.tool}/lti/login/"
        self.tool_launch = f"{self.tool}/lti/launch/"
        self.private_key, self.public_key = keys or _rsa_pem()
        self.scores: list[dict[str, t.Any]] = []
        self.lineitems: dict[str, dict[str, t.Any]] = {}
        self.deep_link_items: list[list[dict[str, t.Any]]] = []
        self.launch_forms: list[dict[str, str]] = []  # every launch form the platform issued
        self.token_requests = 0
        self.dynamic_registrations: list[dict[str, t.Any]] = []
        self.home_links: list[tuple[str, str]] = []  # (label, URL) on the platform's home page
        self._pending: dict[str, PendingLaunch] = {}
        self._ids = itertools.count(1)
        # A thread per connection (Django's live-server class): wsgiref's own server answers one
        # request at a time in its serve_forever loop, so a browser's idle preconnected socket
        # held that loop in readline(), and stop() (shutdown() waits for the loop) hung the run.
        self._server: WSGIServer = make_server(
            "127.0.0.1",
            port,
            self._app,
            server_class=ThreadedWSGIServer,
            handler_class=_QuietHandler,
        )
        self.port = self._server.server_port
        self.issuer = f"http://{host}:{self.port}"
        self.registration = (
            Registration()
            .set_iss(self.issuer)
            .set_client_id(client_id)
            .set_deployment_id(deployment_id)
            .set_oidc_login_url(self.tool_login)
            .set_launch_url(self.tool_launch)
            .set_deeplink_launch_url(self.tool_launch)
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

    def serve_forever(self) -> None:
        """In the foreground (`make lti-demo`), until interrupted."""
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def trust_tool_keys(self, jwks: dict | None = None, *, url: str = "") -> None:
        """The tool's key set, as an administrator would give it; or its URL, which
        lti1p3platform then fetches whenever it checks the tool's signature."""
        if url:
            self.registration.set_tool_key_set_url(url)
        else:
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
        tool_launch = self.tool_launch
        launch_url = tool_launch if page_id is None else f"{tool_launch}?page={page_id}"
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
        login.set_launch_url(tool_launch if deep_link else launch_url)
        return login.initiate_login(user_id)

    def course_url(self, **launch: t.Any) -> str:
        """The platform's course page that embeds the tool (the `login_url` arguments)."""
        query = {key: value for key, value in launch.items() if value not in (None, "", False)}
        return f"{self.issuer}/course?{urlencode(query)}"

    def _course_page(self, query: dict) -> Html:
        """A platform course page: the tool in an iframe whose src is a fresh login initiation
        URL (a resource launch as a learner, or a deep-linking launch as an instructor)."""
        deep_link = query.get("deep_link") in ("1", "True", "true")
        page_id = int(query["page_id"]) if query.get("page_id") else None
        src = self.login_url(
            user_id=query.get("user_id", "platform-user"),
            page_id=page_id,
            deep_link=deep_link,
            name=query.get("name", ""),
            email=query.get("email", ""),
        )
        title = "Add an activity from Capacitas" if deep_link else "Capacitas activity"
        return _page(
            f"{title} · Loopback platform",
            f"<h1>{html.escape(title)}</h1>"
            f'<p><a href="/">Loopback platform home</a></p>'
            f'<iframe name="capacitas" title="Capacitas" src="{html.escape(src)}"'
            ' allow="fullscreen"></iframe>',
        )

    def _launch_page(self, form: dict) -> Html:
        """What a platform answers the browser: a form that posts the launch to the tool."""
        fields = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(form[name])}">'
            for name in ("id_token", "state")
        )
        return _page(
            "Launching Capacitas",
            f'<form id="launch" method="post" action="{html.escape(form["launch_url"])}">'
            f'{fields}<button type="submit">Continue to Capacitas</button></form>'
            '<script>document.getElementById("launch").submit();</script>',
        )

    def _receipt_page(self, items: list[dict[str, t.Any]]) -> Html:
        """The platform after a deep-linking answer: what it received, and (for people trying
        the demo) a link that launches each item as a learner."""
        rows = []
        for item in items:
            title = html.escape(str(item.get("title") or item.get("url") or "item"))
            page_id = (item.get("custom") or {}).get("page_id", "")
            link = ""
            if page_id:
                url = self.course_url(user_id="platform-learner-1", page_id=page_id)
                link = f' — <a href="{html.escape(url)}" target="_top">launch it as a learner</a>'
            rows.append(f"<li>{html.escape(item.get('type', ''))}: {title}{link}</li>")
        count = len(items)
        return _page(
            "Back on the platform",
            "<h1>Back on the platform</h1>"
            f'<p role="status">The platform received {count} '
            f"item{'s' if count != 1 else ''} from the tool.</p><ul>{''.join(rows)}</ul>",
        )

    def _home_page(self) -> Html:
        links = "".join(
            f'<li><a href="{html.escape(url)}">{html.escape(label)}</a></li>'
            for label, url in self.home_links
        )
        return _page(
            "Loopback platform",
            "<h1>Loopback LTI 1.3 platform</h1>"
            f"<p>Issuer {html.escape(self.issuer)}, client id {html.escape(self.client_id)}, "
            f"deployment {html.escape(self.deployment_id)}; the tool is at "
            f"{html.escape(self.tool)}.</p><ul>{links}</ul>",
        )

    def _auth(self, request) -> dict:
        """The OIDC authentication response: a signed id_token for the pending launch."""
        from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract

        query = request.get_data
        pending = self._pending.get(query.get("lti_message_hint", ""))
        if pending is None or query.get("login_hint") != pending.user_id:
            raise ValueError("unknown launch")
        if query.get("redirect_uri") != self.tool_launch:
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
        form = launch.lti_launch()
        self.launch_forms.append(form)
        return form

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
        browser = "text/html" in environ.get("HTTP_ACCEPT", "")
        status, payload = self._route(method, path, request, form, browser=browser)
        if isinstance(payload, Html):
            data, content_type = payload.encode(), "text/html; charset=utf-8"
        else:
            data, content_type = json.dumps(payload).encode(), "application/json"
        start_response(status, [("Content-Type", content_type)])
        return [data]

    def _route(self, method: str, path: str, request, form: dict, *, browser: bool = False):
        from lti1p3platform.exceptions import LtiException as PlatformError

        try:
            if browser and path == "/" and method == "GET":
                return "200 OK", self._home_page()
            if browser and path == "/course" and method == "GET":
                return "200 OK", self._course_page(request.get_data)
            if browser and path == "/replay" and method == "GET":
                # What someone who captured a launch would do: post its id_token once more.
                if not self.launch_forms:
                    return "404 Not Found", _page("No launch", "<h1>No launch yet</h1>")
                return "200 OK", self._launch_page(self.launch_forms[-1])
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
                form = self._auth(request)
                return "200 OK", self._launch_page(form) if browser else form
            if path == "/token" and method == "POST":
                self.token_requests += 1
                return "200 OK", self._config().get_access_token(form)
            if path == "/deep_link_return" and method == "POST":
                items = self._config().validate_deeplinking_resp(form)
                self.deep_link_items.append(items)
                if browser:
                    return "200 OK", self._receipt_page(items)
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
            return "400 Bad Request", self._error(browser, str(error))
        except Exception as error:  # noqa: BLE001 - a failing check is a refusal to the tool
            return "401 Unauthorized", self._error(browser, f"{type(error).__name__}: {error}")
        return "404 Not Found", self._error(browser, "no such endpoint")

    @staticmethod
    def _error(browser: bool, message: str):
        if browser:
            return _page(
                "Refused",
                f'<h1>The platform refused</h1><p role="alert">{html.escape(message)}</p>',
            )
        return {"error": message}
