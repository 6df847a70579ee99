"""The Ed25519 key that signs credentials: where it comes from, and how a JWT is signed.

Production: `OB3_SIGNING_KEY` (a private Ed25519 JWK as JSON, or PKCS#8 PEM) or
`OB3_SIGNING_KEY_FILE` (a path to one). Development and tests: the file is generated on first
use (`OB3_GENERATE_KEY`), never inside the repository's tracked files.
"""

from __future__ import annotations

import contextlib
import json
import os
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc import jws
from joserfc.errors import SecurityWarning
from joserfc.jwk import OKPKey

ALGORITHM = "EdDSA"  # what Open Badges 3.0 and the verifiers in use name Ed25519 signatures


class SigningKeyMissing(Exception):
    """No signing key is configured (production without OB3_SIGNING_KEY[_FILE])."""


def key_import(raw: str) -> OKPKey:
    """A private Ed25519 key from a JWK (JSON) or a PEM; ImproperlyConfigured otherwise."""
    text = raw.strip()
    try:
        data = json.loads(text) if text.startswith("{") else text.encode("ascii")
        key = OKPKey.import_key(data)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"The credential signing key cannot be read: {exc}") from exc
    if key.curve_name != "Ed25519" or not key.is_private:
        raise ImproperlyConfigured("The credential signing key must be a private Ed25519 key.")
    return key


def key_generate() -> OKPKey:
    return OKPKey.generate_key("Ed25519")


def key_file_write(path: Path, key: OKPKey, *, replace: bool) -> None:
    """Write a private key readable by its owner only; atomically when replacing one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = json.dumps(key.as_dict(private=True))
    if not replace:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        return
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)


def key_file_path() -> Path | None:
    path = getattr(settings, "OB3_SIGNING_KEY_FILE", "")
    return Path(path) if path else None


def key_from_environment() -> bool:
    return bool(getattr(settings, "OB3_SIGNING_KEY", ""))


def signing_key_load() -> OKPKey:
    """The current private key; generated into the key file where settings allow it."""
    raw = getattr(settings, "OB3_SIGNING_KEY", "")
    if raw:
        return key_import(raw)
    path = key_file_path()
    if path is None:
        raise SigningKeyMissing("Set OB3_SIGNING_KEY or OB3_SIGNING_KEY_FILE.")
    if not path.exists():
        if not getattr(settings, "OB3_GENERATE_KEY", False):
            raise SigningKeyMissing(f"The credential signing key file {path} does not exist.")
        # Another process may have generated it first: then theirs is used.
        with contextlib.suppress(FileExistsError):
            key_file_write(path, key_generate(), replace=False)
    return key_import(path.read_text())


def public_jwk(key: OKPKey) -> dict:
    """The public JWK as published, with its `kid` (RFC 7638 thumbprint), `use` and `alg`."""
    data = key.as_dict(private=False)
    return {
        "kty": data["kty"],
        "crv": data["crv"],
        "x": data["x"],
        "kid": key.thumbprint(),
        "use": "sig",
        "alg": ALGORITHM,
    }


def jwt_sign(payload: dict, key: OKPKey) -> str:
    """A compact JWS (VC-JWT) over the JSON of `payload`."""
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": key.thumbprint()}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with warnings.catch_warnings():
        # joserfc prefers the newer name "Ed25519" (RFC 9864); OB 3.0 verifiers expect EdDSA.
        warnings.simplefilter("ignore", SecurityWarning)
        return jws.serialize_compact(header, body, key, algorithms=[ALGORITHM])
