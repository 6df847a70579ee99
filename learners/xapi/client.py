"""The one place that talks to an LRS: a batch of statements POSTed to `<endpoint>/statements`."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from learners.xapi.statements import XAPI_VERSION


class LrsError(Exception):
    """The LRS did not take the batch; `message` is safe to store (it never holds the secret)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LrsTarget:
    endpoint: str
    key: str
    secret: str
    timeout: float = 10.0

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements/"

    def __repr__(self) -> str:  # never the secret, in a log or a traceback
        return f"LrsTarget(endpoint={self.endpoint!r}, key={self.key!r})"


def statements_post(*, target: LrsTarget, statements: list[dict]) -> list[str]:
    """POST the statements as one batch; returns the ids the LRS stored (xAPI 1.0.3, 7.2.2).

    Raises LrsError for a refusal (HTTP status and the start of the body), a timeout or an
    unreachable LRS.
    """
    body = json.dumps(statements, separators=(",", ":"), ensure_ascii=False).encode()
    credentials = base64.b64encode(f"{target.key}:{target.secret}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 (the URL is an http(s) endpoint by model validation)
        target.statements_url,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/json",
            "X-Experience-API-Version": XAPI_VERSION,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=target.timeout) as response:  # noqa: S310
            payload = response.read()
    except urllib.error.HTTPError as error:
        detail = error.read()[:300].decode("utf-8", "replace")
        raise LrsError(f"HTTP {error.code}: {detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise LrsError(f"LRS unreachable: {reason}") from None
    try:
        ids = json.loads(payload or b"[]")
    except ValueError:
        return []
    return [str(i) for i in ids] if isinstance(ids, list) else []
