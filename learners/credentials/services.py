"""Issuing credentials, publishing status lists, rotating the signing key."""

from __future__ import annotations

import logging
import secrets
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from joserfc.jwk import OKPKey

from learners.certificates.models import Certificate
from learners.credentials import bitstring
from learners.credentials.documents import (
    AchievementFacts,
    Issuer,
    credential_document,
    hours_text,
    jwt_payload,
    status_list_document,
)
from learners.credentials.keys import (
    SigningKeyMissing,
    jwt_sign,
    key_file_path,
    key_file_write,
    key_from_environment,
    key_generate,
    public_jwk,
    signing_key_load,
)
from learners.credentials.models import IssuedCredential, SigningKey, StatusList

log = logging.getLogger(__name__)

# A published list is valid for a week and re-signed once a day (on request or by the daily
# command), so a stale copy replayed by someone else stops being accepted within a week.
STATUS_LIST_VALIDITY = timedelta(days=7)
STATUS_LIST_REFRESH_AFTER = timedelta(days=1)


class KeyRotationRefused(Exception):
    pass


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def issuer_profile() -> Issuer:
    name = getattr(settings, "OB3_ISSUER_NAME", "") or settings.WAGTAIL_SITE_NAME
    return Issuer(id=site_url() + reverse("credentials_issuer"), name=name, url=site_url() + "/")


def status_list_url(number: int) -> str:
    return site_url() + reverse("credentials_status_list", args=[number])


def _valid_until(certificate: Certificate) -> datetime | None:
    """The end of the last day of validity, in the site's time zone."""
    if certificate.expires_on is None:
        return None
    end = datetime.combine(certificate.expires_on, time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_default_timezone())


def _achievement(certificate: Certificate) -> AchievementFacts:
    # Credentials are written once, in the site's language, whatever the request's.
    with translation.override(settings.LANGUAGE_CODE):
        title = certificate.course_title
        parts = [_("Complete every lesson of the course “%(course)s”.") % {"course": title}]
        if certificate.estimated_hours is not None:
            parts.append(
                _("The course takes about %(hours)s hours of study.")
                % {"hours": hours_text(certificate.estimated_hours)}
            )
        if certificate.final_score is not None:
            parts.append(_("Pass the final assessment."))
        if certificate.capstone_title:
            parts.append(
                _("Have the capstone workbook “%(capstone)s” accepted by a trainer.")
                % {"capstone": certificate.capstone_title}
            )
        description = _(
            "Certificate of completion of the course “%(course)s”, issued by %(issuer)s."
        ) % {"course": title, "issuer": certificate.issuer_name}
        return AchievementFacts(
            key=str(certificate.course_id or f"title:{title}"),
            title=title,
            description=description,
            narrative=" ".join(parts),
            language=settings.LANGUAGE_CODE,
        )


def signing_key_register(*, key: OKPKey) -> SigningKey:
    """Record the public half of `key` so the key set publishes it (once)."""
    jwk = public_jwk(key)
    record, _created = SigningKey.objects.get_or_create(
        kid=jwk["kid"], defaults={"public_jwk": jwk}
    )
    return record


def _new_status_index() -> int:
    """A random free position: lists fill to half before the next one is opened, so a
    credential's index says little about when it was issued."""
    number = IssuedCredential.objects.count() // (bitstring.LIST_BITS // 2)
    return number * bitstring.LIST_BITS + secrets.randbelow(bitstring.LIST_BITS)


def _sign_credential(
    *, certificate: Certificate, credential_id: uuid.UUID, index: int, key: OKPKey
) -> str:
    valid_from = certificate.issued_at
    valid_until = _valid_until(certificate)
    document = credential_document(
        credential_id=credential_id,
        issuer=issuer_profile(),
        achievement=_achievement(certificate),
        email=certificate.user.email,
        salt=secrets.token_hex(16),
        completed_on=certificate.completed_on,
        valid_from=valid_from,
        valid_until=valid_until,
        status_list_url=status_list_url(index // bitstring.LIST_BITS),
        status_index=index % bitstring.LIST_BITS,
    )
    return jwt_sign(jwt_payload(document, valid_from=valid_from, valid_until=valid_until), key)


def credential_issue(*, certificate: Certificate) -> tuple[IssuedCredential, bool]:
    """The certificate's credential, signed now if it has none; (credential, created).

    Once per certificate: the one-to-one constraint turns a concurrent second issue into an
    IntegrityError, after which the first one's credential is returned.
    """
    existing = IssuedCredential.objects.filter(certificate_id=certificate.pk).first()
    if existing:
        return existing, False
    key = signing_key_load()
    certificate = Certificate.objects.select_related("user").get(pk=certificate.pk)
    with transaction.atomic():
        signing_key_register(key=key)
        for _attempt in range(20):
            credential_id = uuid.uuid4()
            index = _new_status_index()
            token = _sign_credential(
                certificate=certificate, credential_id=credential_id, index=index, key=key
            )
            try:
                with transaction.atomic():
                    credential = IssuedCredential.objects.create(
                        certificate=certificate,
                        credential_id=credential_id,
                        status_index=index,
                        kid=key.thumbprint(),
                        jwt=token,
                    )
            except IntegrityError:
                existing = IssuedCredential.objects.filter(certificate_id=certificate.pk).first()
                if existing:
                    return existing, False
                continue  # the random index was taken: draw another
            break
        else:
            raise RuntimeError("No free status list index after 20 draws.")
    number = index // bitstring.LIST_BITS
    if certificate.revoked_at or certificate.superseded_at:
        transaction.on_commit(lambda: status_list_publish(number=number))
    return credential, True


def credentials_backfill() -> int:
    """Issue the credential of every certificate that has none (demo, upgrades); idempotent."""
    missing = Certificate.objects.filter(credential__isnull=True).order_by("pk")
    count = 0
    for certificate in missing.iterator():
        _credential, created = credential_issue(certificate=certificate)
        count += created
    for number in status_list_numbers():
        status_list_publish(number=number)
    return count


def status_list_numbers() -> list[int]:
    top = IssuedCredential.objects.order_by("-status_index").values_list("status_index", flat=True)
    highest = top.first()
    return [] if highest is None else list(range(highest // bitstring.LIST_BITS + 1))


def _withdrawn_indices(number: int) -> list[int]:
    """Positions in list `number` of credentials whose certificate is revoked or replaced."""
    start = number * bitstring.LIST_BITS
    return [
        index - start
        for index in IssuedCredential.objects.filter(
            status_index__gte=start, status_index__lt=start + bitstring.LIST_BITS
        )
        .filter(
            Q(certificate__revoked_at__isnull=False) | Q(certificate__superseded_at__isnull=False)
        )
        .values_list("status_index", flat=True)
    ]


def status_list_publish(*, number: int) -> StatusList:
    """Sign and store list `number` as it stands now.

    The list's row is locked while it is computed, so a publish that starts after a
    revocation committed always includes it, and never overwrites a newer one with an older one.
    """
    key = signing_key_load()
    now = timezone.now()
    with transaction.atomic():
        signing_key_register(key=key)
        StatusList.objects.get_or_create(number=number, defaults={"jwt": "", "valid_until": now})
        row = StatusList.objects.select_for_update().get(number=number)
        url = status_list_url(number)
        valid_until = now + STATUS_LIST_VALIDITY
        document = status_list_document(
            url=url,
            issuer=issuer_profile(),
            encoded_list=bitstring.encode(_withdrawn_indices(number)),
            valid_from=now,
            valid_until=valid_until,
        )
        row.jwt = jwt_sign(jwt_payload(document, valid_from=now, valid_until=valid_until), key)
        row.published_at = now
        row.valid_until = valid_until
        row.save(update_fields=["jwt", "published_at", "valid_until"])
    return row


def status_list_current(*, number: int) -> StatusList | None:
    """The published list, re-signed first when it is a day old (or was never published)."""
    if number > (status_list_numbers() or [0])[-1]:
        return None
    row = StatusList.objects.filter(number=number).first()
    if row is None or row.published_at < timezone.now() - STATUS_LIST_REFRESH_AFTER:
        row = status_list_publish(number=number)
    return row


def status_lists_refresh() -> int:
    """Re-sign every list (the daily command); the number of lists published."""
    numbers = status_list_numbers()
    for number in numbers:
        status_list_publish(number=number)
    return len(numbers)


def signing_key_rotate() -> tuple[SigningKey, SigningKey]:
    """Replace the key in the key file by a new one; (old, new).

    The old key's public half stays in the published key set, so every credential it signed
    still verifies; the status lists are re-signed with the new key.
    """
    if key_from_environment():
        raise KeyRotationRefused(
            _(
                "The signing key comes from OB3_SIGNING_KEY: put the new key there (generate "
                "one with --print) and restart; the old key stays published once it has signed."
            )
        )
    path = key_file_path()
    if path is None:
        raise KeyRotationRefused(_("Set OB3_SIGNING_KEY_FILE to the key file to rotate."))
    try:
        old_key = signing_key_load()
    except SigningKeyMissing as exc:
        raise KeyRotationRefused(str(exc)) from exc
    new_key = key_generate()
    with transaction.atomic():
        old = signing_key_register(key=old_key)
        new = signing_key_register(key=new_key)
        SigningKey.objects.filter(pk=old.pk).update(retired_at=timezone.now())
        # Written last, inside the transaction: if writing fails nothing is recorded as retired.
        key_file_write(path, new_key, replace=True)
    status_lists_refresh()
    old.refresh_from_db()
    return old, new
