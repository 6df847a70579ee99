"""The JSON of an OpenBadgeCredential and of a status list credential (pure functions).

Open Badges 3.0.3 on the W3C Verifiable Credentials Data Model 2.0, secured as a VC-JWT
(OB 3.0 §8.2: the JWT payload is the credential, with the registered claims `iss`, `jti`,
`nbf`, `exp` and, when the subject has an `id`, `sub`, beside it).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
JWT_CLAIMS = ("iss", "sub", "jti", "nbf", "exp")


@dataclass(frozen=True)
class Issuer:
    id: str  # an https URL that serves the issuer's Profile
    name: str
    url: str


@dataclass(frozen=True)
class AchievementFacts:
    """What the certificate says, frozen at its issue."""

    key: str  # stable per course: the achievement's id derives from it
    title: str
    description: str
    narrative: str
    language: str


def iso(moment: datetime) -> str:
    """UTC, seconds, `Z`: the XML Schema dateTime that VC 2.0 requires."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 IdentityObject hash of an e-mail address: sha256 of address + salt, in hex."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def achievement_id(issuer_id: str, key: str) -> str:
    """A URN that stays the same for every credential of one course, and reveals nothing."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{issuer_id}#achievement:{key}')}"


def hours_text(hours: Decimal | None) -> str:
    if hours is None:
        return ""
    return f"{hours.normalize():f}"


def credential_document(
    *,
    credential_id: uuid.UUID,
    issuer: Issuer,
    achievement: AchievementFacts,
    email: str,
    salt: str,
    completed_on: date,
    valid_from: datetime,
    valid_until: datetime | None,
    status_list_url: str,
    status_index: int,
) -> dict:
    profile = {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url}
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.title,
        "description": achievement.description,
        "issuer": profile,
        "validFrom": iso(valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            # The holder, without the e-mail address: a salted hash that the holder (or
            # anyone they tell their address) can check, and that links nothing across
            # credentials because every credential has its own salt.
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": identity_hash(email, salt),
                    "salt": salt,
                }
            ],
            "activityEndDate": f"{completed_on.isoformat()}T00:00:00Z",
            "achievement": {
                "id": achievement_id(issuer.id, achievement.key),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": achievement.title,
                "description": achievement.description,
                "criteria": {"narrative": achievement.narrative},
                "inLanguage": achievement.language,
                "creator": profile,
            },
        },
        "credentialStatus": {
            "id": f"{status_list_url}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_list_url,
        },
    }
    if valid_until is not None:
        document["validUntil"] = iso(valid_until)
    return document


def status_list_document(
    *,
    url: str,
    issuer: Issuer,
    encoded_list: str,
    valid_from: datetime,
    valid_until: datetime,
) -> dict:
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.id,
        "validFrom": iso(valid_from),
        "validUntil": iso(valid_until),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


def jwt_payload(document: dict, *, valid_from: datetime, valid_until: datetime | None) -> dict:
    """The credential with the JWT registered claims beside it (OB 3.0 §8.2.4.1)."""
    payload = dict(document)
    payload["iss"] = (
        document["issuer"]["id"] if isinstance(document["issuer"], dict) else (document["issuer"])
    )
    payload["jti"] = document["id"]
    payload["nbf"] = int(valid_from.timestamp())
    if valid_until is not None:
        payload["exp"] = int(valid_until.timestamp())
    return payload


def credential_from_payload(payload: dict) -> dict:
    """The credential document of a JWT payload: the registered claims left out."""
    return {key: value for key, value in payload.items() if key not in JWT_CLAIMS}
