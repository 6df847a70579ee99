"""Issued credentials: their content, JSON-LD expansion, signatures checked by independent
libraries, revocation through the status list, tampering, expiry, key rotation."""

from __future__ import annotations

import base64
import json
from datetime import UTC, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws
from openbadgeslib.ob3.verifier import OB3VerificationError, OB3Verifier
from pyld import jsonld

from learners.certificates.services import certificate_reissue, certificate_revoke
from learners.credentials import bitstring
from learners.credentials.documents import credential_from_payload, identity_hash
from learners.credentials.models import IssuedCredential, SigningKey, StatusList
from learners.credentials.selectors import credential_status
from learners.credentials.services import (
    credential_issue,
    credentials_backfill,
    signing_key_rotate,
)
from learners.models import Certificate, RevocationReason
from tests.factories import UserFactory, complete_course
from tests.learners.credentials.conftest import offline_loader, site_fetch

pytestmark = pytest.mark.django_db


def _certificate(user, course_tree, **fields) -> Certificate:
    """A certificate issued on completion (its credential is not: no on_commit here)."""
    enrolment = complete_course(user, course_tree)
    if fields:
        Certificate.objects.filter(enrolment=enrolment).update(**fields)
    return Certificate.objects.get(enrolment=enrolment)


def _parts(token: str) -> tuple[dict, dict]:
    header, payload, _signature = token.split(".")

    def load(part):
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))

    return load(header), load(payload)


def _published_pem(kid: str) -> bytes:
    """The public key the site publishes under `kid`, as PEM, read through jwcrypto."""
    keys = json.loads(site_fetch("http://testserver/.well-known/jwks.json"))["keys"]
    match = [key for key in keys if key["kid"] == kid]
    assert len(match) == 1, (kid, keys)
    return jwcrypto_jwk.JWK(**match[0]).export_to_pem()


def _verify_with_openbadgeslib(token: str, *, check_status: bool = True):
    header, _payload = _parts(token)
    verifier = OB3Verifier(pubkey_pem=_published_pem(header["kid"]))
    return verifier.verify(token, check_status=check_status, download=site_fetch)


def test_every_certificate_becomes_a_credential(certificate):
    credential = IssuedCredential.objects.get(certificate=certificate)
    header, payload = _parts(credential.jwt)
    assert header["alg"] == "EdDSA" and header["kid"] == credential.kid
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert payload["issuer"]["id"] == "http://testserver/credentials/issuer"
    assert payload["iss"] == payload["issuer"]["id"] and payload["jti"] == payload["id"]
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["name"] == certificate.course_title
    assert certificate.course_title in achievement["criteria"]["narrative"]
    assert payload["validFrom"].startswith(certificate.issued_at.strftime("%Y-%m-%d"))
    status = payload["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == "http://testserver/credentials/status/0"


def test_holder_identified_by_a_salted_hash_not_the_email(certificate):
    token = IssuedCredential.objects.get(certificate=certificate).jwt
    assert certificate.user.email not in token
    _header, payload = _parts(token)
    assert certificate.user.email not in json.dumps(payload)
    (identity,) = payload["credentialSubject"]["identifier"]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    assert identity["identityType"] == "emailAddress"
    assert identity["identityHash"] == identity_hash(certificate.user.email, identity["salt"])
    assert identity["identityHash"] != identity_hash("someone@else.example", identity["salt"])


def test_salts_differ_between_credentials(course_tree, django_capture_on_commit_callbacks):
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete_course(learner, course_tree)
    first = IssuedCredential.objects.get(certificate__enrolment=enrolment)
    second_certificate = _certificate(UserFactory(), course_tree)
    second, _created = credential_issue(certificate=second_certificate)
    salts = {
        _parts(c.jwt)[1]["credentialSubject"]["identifier"][0]["salt"] for c in (first, second)
    }
    assert len(salts) == 2


def test_hours_and_capstone_in_the_criteria(learner, course_tree):
    certificate = _certificate(
        learner, course_tree, estimated_hours="12.5", capstone_title="International action plan"
    )
    credential, _created = credential_issue(certificate=certificate)
    narrative = _parts(credential.jwt)[1]["credentialSubject"]["achievement"]["criteria"][
        "narrative"
    ]
    assert "12.5 hours" in narrative
    assert "“International action plan” accepted by a trainer" in narrative


def test_valid_until_is_the_end_of_the_expiry_day(learner, course_tree):
    day = timezone.localdate() + timedelta(days=700)
    certificate = _certificate(learner, course_tree, expires_on=day)
    credential, _created = credential_issue(certificate=certificate)
    payload = _parts(credential.jwt)[1]
    end = timezone.make_aware(
        timezone.datetime.combine(day, timezone.datetime.min.time()) + timedelta(seconds=86399)
    )
    assert payload["exp"] == int(end.timestamp())
    assert payload["validUntil"] == end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_issue_is_idempotent(certificate):
    first = IssuedCredential.objects.get(certificate=certificate)
    again, created = credential_issue(certificate=certificate)
    assert not created and again.pk == first.pk
    assert credentials_backfill() == 0
    assert IssuedCredential.objects.count() == 1


def test_backfill_issues_missing_credentials(learner, course_tree):
    certificate = _certificate(learner, course_tree)  # no on_commit here
    assert not IssuedCredential.objects.filter(certificate=certificate).exists()
    assert credentials_backfill() == 1
    assert credentials_backfill() == 0
    assert IssuedCredential.objects.filter(certificate=certificate).exists()
    assert StatusList.objects.filter(number=0).exists()


# --- JSON-LD: every term is defined ------------------------------------------------------------
# VC 2.0's context maps any term it does not define to this vocabulary (@vocab) instead of
# dropping it, so an undefined term shows up as a key under it.
UNDEFINED = "https://www.w3.org/ns/credentials/issuer-dependent#"


class UndefinedTerm(Exception):
    pass


def _dropped(term):
    raise UndefinedTerm(term)


def _expand(document: dict) -> list:
    """Expand offline; raise UndefinedTerm for any term that no context defines."""
    expanded = jsonld.expand(
        document, {"documentLoader": offline_loader}, on_property_dropped=_dropped
    )
    undefined = sorted(key for key in _keys(expanded, set()) if key.startswith(UNDEFINED))
    if undefined:
        raise UndefinedTerm(undefined)
    return expanded


def _keys(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key == "@type":
                found.update(value if isinstance(value, list) else [value])
            _keys(value, found)
    elif isinstance(node, list):
        for value in node:
            _keys(value, found)
    return found


@pytest.mark.parametrize("kind", ["credential", "status_list"])
def test_expands_with_no_undefined_term(certificate, client, kind):
    if kind == "credential":
        token = IssuedCredential.objects.get(certificate=certificate).jwt
    else:
        token = client.get("/credentials/status/0").content.decode()
    document = credential_from_payload(_parts(token)[1])
    keys = _keys(_expand(document), set())
    assert all(key.startswith(("@", "https://", "http://")) for key in keys), keys
    if kind == "credential":
        vocab = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
        terms = ("achievement", "Criteria", "narrative", "identityHash", "salt")
        for term in (*terms, "OpenBadgeCredential"):
            assert vocab + term in keys, term
        assert "https://www.w3.org/ns/credentials/status#statusListIndex" in keys
    else:
        assert "https://www.w3.org/ns/credentials/status#encodedList" in keys


@pytest.mark.parametrize("where", ["credentialSubject", "achievement", "top"])
def test_expansion_catches_an_undefined_term(certificate, where):
    document = credential_from_payload(
        _parts(IssuedCredential.objects.get(certificate=certificate).jwt)[1]
    )
    target = {
        "top": document,
        "credentialSubject": document["credentialSubject"],
        "achievement": document["credentialSubject"]["achievement"],
    }[where]
    target["favouriteColour"] = "blue"
    with pytest.raises(UndefinedTerm):
        _expand(document)


def test_the_json_download_is_the_signed_credential(certificate, learner_client):
    credential = IssuedCredential.objects.get(certificate=certificate)
    response = learner_client.get(
        f"/en/learn/certificates/{certificate.display_code}/credential.json"
    )
    assert json.loads(response.content) == credential_from_payload(_parts(credential.jwt)[1])
    _expand(json.loads(response.content))


# --- Signatures, checked by libraries other than the one that signs (joserfc) --------------
def test_signature_verifies_with_jwcrypto(certificate):
    token = IssuedCredential.objects.get(certificate=certificate).jwt
    header, _payload = _parts(token)
    keys = json.loads(site_fetch("http://testserver/.well-known/jwks.json"))
    key_set = jwcrypto_jwk.JWKSet.from_json(json.dumps(keys))
    verifier = jwcrypto_jws.JWS()
    verifier.deserialize(token)
    verifier.verify(key_set.get_key(header["kid"]), alg="EdDSA")
    assert json.loads(verifier.payload)["jti"] == _parts(token)[1]["id"]


def test_openbadgeslib_verifies_credential_and_status(certificate):
    verified = _verify_with_openbadgeslib(IssuedCredential.objects.get(certificate=certificate).jwt)
    assert verified.achievement.name == certificate.course_title
    assert verified.identifiers[0].identity_hash.startswith("sha256$")


@pytest.mark.parametrize("field", ["name", "validUntil", "issuer"])
def test_a_tampered_credential_fails(certificate, field):
    token = IssuedCredential.objects.get(certificate=certificate).jwt
    header, payload, signature = token.split(".")
    claims = _parts(token)[1]
    if field == "issuer":
        claims["issuer"]["name"] = "Someone else"
    elif field == "validUntil":
        claims["validUntil"] = "2999-01-01T00:00:00Z"
    else:
        claims["credentialSubject"]["achievement"]["name"] = "A course never taken"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    forged = f"{header}.{forged_payload}.{signature}"
    with pytest.raises(OB3VerificationError, match="(?i)signature"):
        _verify_with_openbadgeslib(forged)
    verifier = jwcrypto_jws.JWS()
    verifier.deserialize(forged)
    key = jwcrypto_jwk.JWK.from_pem(_published_pem(_parts(token)[0]["kid"]))
    with pytest.raises(jwcrypto_jws.InvalidJWSSignature):
        verifier.verify(key, alg="EdDSA")


def test_a_credential_signed_by_another_key_fails(certificate):
    from joserfc.jwk import OKPKey

    from learners.credentials.keys import jwt_sign

    token = IssuedCredential.objects.get(certificate=certificate).jwt
    stranger = OKPKey.generate_key("Ed25519")
    forged = jwt_sign(_parts(token)[1], stranger)
    # Same claims, a key the site never published: the kid is unknown, and the site's key fails.
    with pytest.raises(AssertionError):
        _verify_with_openbadgeslib(forged)
    verifier = OB3Verifier(pubkey_pem=_published_pem(_parts(token)[0]["kid"]))
    with pytest.raises(OB3VerificationError, match="(?i)signature"):
        verifier.verify(forged)


# --- Status list: revocation, supersession, expiry ---------------------------------------------
def _bit(certificate) -> bool:
    credential = IssuedCredential.objects.get(certificate=certificate)
    token = site_fetch("http://testserver/credentials/status/0").decode()
    encoded = _parts(token)[1]["credentialSubject"]["encodedList"]
    return bitstring.bit_is_set(bitstring.decode(encoded), credential.status_index)


def test_status_list_is_signed_gzip_multibase_and_16kb(certificate):
    token = site_fetch("http://testserver/credentials/status/0").decode()
    header, payload = _parts(token)
    assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    encoded = payload["credentialSubject"]["encodedList"]
    assert encoded.startswith("u") and "=" not in encoded
    assert len(bitstring.decode(encoded)) * 8 >= 131_072
    # Signed with a published key.
    OB3Verifier(pubkey_pem=_published_pem(header["kid"]))._decode_payload(token)


def test_revocation_flips_the_bit_and_the_verifier_reports_revoked(
    certificate, django_capture_on_commit_callbacks
):
    token = IssuedCredential.objects.get(certificate=certificate).jwt
    assert _bit(certificate) is False
    _verify_with_openbadgeslib(token)
    admin = UserFactory(is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, actor=admin, reason=RevocationReason.ERROR)
    assert _bit(certificate) is True
    with pytest.raises(OB3VerificationError, match="revocation"):
        _verify_with_openbadgeslib(token)
    # Without the status check the signature is still genuine: only the list says revoked.
    _verify_with_openbadgeslib(token, check_status=False)
    certificate.refresh_from_db()
    assert credential_status(certificate) == "revoked"


def test_a_replaced_certificate_is_revoked_and_its_replacement_valid(
    certificate, django_capture_on_commit_callbacks
):
    admin = UserFactory(is_superuser=True)
    old_token = IssuedCredential.objects.get(certificate=certificate).jwt
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(certificate=certificate, actor=admin, note="Name corrected")
    with pytest.raises(OB3VerificationError, match="revocation"):
        _verify_with_openbadgeslib(old_token)
    _verify_with_openbadgeslib(IssuedCredential.objects.get(certificate=new).jwt)


def test_other_credentials_stay_valid_after_a_revocation(
    certificate, course_tree, django_capture_on_commit_callbacks
):
    other = _certificate(UserFactory(), course_tree)
    other_credential, _created = credential_issue(certificate=other)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(
            certificate=certificate, actor=UserFactory(), reason=RevocationReason.OTHER
        )
    _verify_with_openbadgeslib(other_credential.jwt)


def test_an_expired_credential_is_reported_expired(learner, course_tree, time_machine):
    day = timezone.localdate() + timedelta(days=30)
    certificate = _certificate(learner, course_tree, expires_on=day)
    credential, _created = credential_issue(certificate=certificate)
    _verify_with_openbadgeslib(credential.jwt)
    time_machine.move_to(timezone.now() + timedelta(days=40))
    with pytest.raises(OB3VerificationError, match="(?i)expired"):
        _verify_with_openbadgeslib(credential.jwt)
    assert credential_status(certificate) == "expired"
    # A list fetched a day or more after its publication is re-signed first.
    site_fetch("http://testserver/credentials/status/0")
    assert StatusList.objects.get(number=0).valid_until > timezone.now()


def test_status_list_is_republished_daily(certificate, time_machine):
    site_fetch("http://testserver/credentials/status/0")
    first = StatusList.objects.get(number=0).published_at
    site_fetch("http://testserver/credentials/status/0")
    assert StatusList.objects.get(number=0).published_at == first  # served as stored
    time_machine.move_to(timezone.now() + timedelta(days=2))
    site_fetch("http://testserver/credentials/status/0")
    assert StatusList.objects.get(number=0).published_at > first
    call_command("credentials_status_publish", verbosity=0)


# --- Keys ---------------------------------------------------------------------------------------
def test_key_rotation_keeps_old_credentials_verifiable(certificate, course_tree, capsys):
    old_token = IssuedCredential.objects.get(certificate=certificate).jwt
    call_command("credentials_rotate_key")
    assert "retired" in capsys.readouterr().out
    assert SigningKey.objects.count() == 2
    assert SigningKey.objects.filter(retired_at__isnull=False).count() == 1
    new_certificate = _certificate(UserFactory(), course_tree)
    new_credential, _created = credential_issue(certificate=new_certificate)
    assert _parts(new_credential.jwt)[0]["kid"] != _parts(old_token)[0]["kid"]
    # Both verify, each with the published key its `kid` names.
    _verify_with_openbadgeslib(new_credential.jwt)
    old = _verify_with_openbadgeslib(old_token, check_status=False)
    # The status list is re-signed by the new key; openbadgeslib checks a list with the key of
    # the credential, so for an old credential the list's own kid is looked up instead.
    list_token = site_fetch("http://testserver/credentials/status/0").decode()
    list_kid = _parts(list_token)[0]["kid"]
    assert list_kid == _parts(new_credential.jwt)[0]["kid"]
    OB3Verifier(pubkey_pem=_published_pem(list_kid))._decode_payload(list_token)
    OB3Verifier(pubkey_pem=_published_pem(_parts(old_token)[0]["kid"])).check_status(
        old, verify_list=False, download=site_fetch
    )


def test_rotation_refused_when_the_key_comes_from_the_environment(settings, db):
    from learners.credentials.keys import key_generate
    from learners.credentials.services import KeyRotationRefused

    settings.OB3_SIGNING_KEY = json.dumps(key_generate().as_dict(private=True))
    with pytest.raises(KeyRotationRefused):
        signing_key_rotate()


def test_key_from_the_environment_as_pem_or_jwk(settings, learner, course_tree):
    from learners.credentials.keys import key_generate, signing_key_load

    key = key_generate()
    settings.OB3_SIGNING_KEY = key.as_pem(private=True).decode()
    assert signing_key_load().thumbprint() == key.thumbprint()
    settings.OB3_SIGNING_KEY = json.dumps(key.as_dict(private=True))
    credential, _created = credential_issue(certificate=_certificate(learner, course_tree))
    assert credential.kid == key.thumbprint()


def test_no_key_in_production_leaves_the_certificate_without_credential(
    settings, learner, course_tree, django_capture_on_commit_callbacks, tmp_path
):
    settings.OB3_SIGNING_KEY = ""
    settings.OB3_SIGNING_KEY_FILE = str(tmp_path / "missing.jwk")
    settings.OB3_GENERATE_KEY = False
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete_course(learner, course_tree)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert not IssuedCredential.objects.filter(certificate=certificate).exists()
    assert not (tmp_path / "missing.jwk").exists()


def test_generated_key_file_is_private(settings, tmp_path, db):
    from learners.credentials.keys import signing_key_load

    path = tmp_path / "keys" / "signing.jwk"
    settings.OB3_SIGNING_KEY_FILE = str(path)
    first = signing_key_load()
    assert path.stat().st_mode & 0o077 == 0
    assert signing_key_load().thumbprint() == first.thumbprint()
    assert "d" not in json.loads(site_fetch("http://testserver/.well-known/jwks.json"))["keys"]
