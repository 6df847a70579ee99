"""Writes about people and their organisations.

Membership rule: `User.organisation`/`User.department` are the verified membership, the only
one HR scope reads. A self-declared organisation (sign-up, a move from the profile) becomes a
pending `MembershipRequest`; the person keeps their previous verified membership until the
request is proven by a verified e-mail domain, an invitation, HR approval or single sign-on.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learners.accounts.models import (
    Department,
    Invitation,
    MembershipProof,
    MembershipRequest,
    Organisation,
    SingleSignOnRule,
    User,
)
from learners.accounts.selectors import hr_scope_organisation_ids
from learners.common.page_state import learner_pages_changed

INVITATION_SALT = "capacitas.invitation"


class JoinRequestsClosed(Exception):
    """The organisation admits members only by e-mail domain, invitation or single sign-on."""


class MembershipDecisionRefused(Exception):
    """The request is not pending, or not in the deciding officer's scope."""


def _verified_domains(user: User) -> set[str]:
    return {
        address.rsplit("@", 1)[1].lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
        if "@" in address
    }


@transaction.atomic
def membership_verify(
    *,
    user: User,
    organisation: Organisation,
    department: Department | None,
    proof: str,
    job_title: str | None = None,
) -> None:
    """Make `organisation`/`department` the person's verified membership.

    Learner records stay with the person; a pending request for this organisation is closed as
    approved. The HR assignment receiver (post_save on User) brings assignments up to date.
    """
    if department is not None and department.organisation_id != organisation.pk:
        department = None
    user.organisation = organisation
    user.department = department
    user.membership_proof = proof
    user.membership_verified_at = timezone.now()
    fields = ["organisation", "department", "membership_proof", "membership_verified_at"]
    if job_title:
        user.job_title = job_title
        fields.append("job_title")
    user.save(update_fields=fields)
    MembershipRequest.objects.filter(
        user=user, organisation=organisation, status=MembershipRequest.Status.PENDING
    ).update(status=MembershipRequest.Status.APPROVED, decided_at=timezone.now())


@transaction.atomic
def membership_request_submit(
    *, user: User, organisation: Organisation | None, department: Department | None
) -> MembershipRequest | None:
    """A person declares an organisation (and department). Returns the pending request, or None
    when nothing waits: no change, leaving every organisation, or proven at once by domain."""
    pending = MembershipRequest.objects.filter(user=user, status=MembershipRequest.Status.PENDING)
    if organisation is None:
        # Leaving needs no proof: it only takes the person out of an HR scope.
        pending.update(status=MembershipRequest.Status.WITHDRAWN, decided_at=timezone.now())
        if user.organisation_id is not None or user.department_id is not None:
            user.organisation = None
            user.department = None
            user.membership_proof = ""
            user.membership_verified_at = None
            user.save(
                update_fields=[
                    "organisation",
                    "department",
                    "membership_proof",
                    "membership_verified_at",
                ]
            )
        return None
    current = pending.first()
    if current is not None and (current.organisation_id, current.department_id) == (
        organisation.pk,
        getattr(department, "pk", None),
    ):
        return current  # the same request again: it keeps its place in the queue
    if organisation.pk == user.organisation_id and getattr(department, "pk", None) == (
        user.department_id
    ):
        pending.update(status=MembershipRequest.Status.WITHDRAWN, decided_at=timezone.now())
        return None
    if organisation.email_domain and organisation.email_domain.lower() in _verified_domains(user):
        pending.update(status=MembershipRequest.Status.WITHDRAWN, decided_at=timezone.now())
        membership_verify(
            user=user,
            organisation=organisation,
            department=department,
            proof=MembershipProof.EMAIL_DOMAIN,
        )
        return None
    if not organisation.accepts_join_requests and organisation.pk != user.organisation_id:
        raise JoinRequestsClosed
    pending.update(status=MembershipRequest.Status.WITHDRAWN, decided_at=timezone.now())
    return MembershipRequest.objects.create(
        user=user, organisation=organisation, department=department
    )


@transaction.atomic
def membership_request_decide(
    *, membership_request_id: int, officer: User, approve: bool
) -> MembershipRequest:
    request = (
        # Lock the request row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # department join.
        MembershipRequest.objects.select_for_update(of=("self",))
        .select_related("user", "organisation", "department")
        .filter(pk=membership_request_id)
        .first()
    )
    if (
        request is None
        or request.status != MembershipRequest.Status.PENDING
        or request.organisation_id not in hr_scope_organisation_ids(officer)
    ):
        raise MembershipDecisionRefused
    if approve:
        membership_verify(
            user=request.user,
            organisation=request.organisation,
            department=request.department,
            proof=MembershipProof.APPROVAL,
        )
    request.status = (
        MembershipRequest.Status.APPROVED if approve else MembershipRequest.Status.REFUSED
    )
    request.decided_at = timezone.now()
    request.decided_by = officer
    request.save(update_fields=["status", "decided_at", "decided_by"])
    return request


@transaction.atomic
def organisation_join_by_email_domain(*, user: User, email: str) -> Organisation | None:
    """After a verified address, place the person in the organisation whose e-mail domain
    matches: at once when they have no organisation, or when they asked to join this one.
    Never moves someone settled elsewhere who did not ask."""
    if "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].strip().lower()
    organisation = Organisation.objects.filter(email_domain__iexact=domain).first()
    if organisation is None:
        return None
    user = User.objects.select_for_update().get(pk=user.pk)
    pending = MembershipRequest.objects.filter(
        user=user, organisation=organisation, status=MembershipRequest.Status.PENDING
    ).first()
    if user.organisation_id is not None and pending is None:
        return None
    membership_verify(
        user=user,
        organisation=organisation,
        department=pending.department if pending else None,
        proof=MembershipProof.EMAIL_DOMAIN,
    )
    return organisation


# Invitations ------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The open invitation a signed link names, or None (tampered, expired, used, withdrawn)."""
    max_age = settings.INVITATION_MAX_AGE_DAYS * 86400
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return (
        Invitation.objects.select_related("organisation", "department")
        .filter(pk=data.get("i"), email=data.get("e"), accepted_at__isnull=True)
        .first()
    )


def _invitation_send(*, invitation: Invitation, accept_url: str) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    context = {
        "invitation": invitation,
        "accept_url": accept_url,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
    }
    subject = render_to_string("learners/accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("learners/accounts/email/invitation_message.txt", context)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )


@dataclass
class InvitationRow:
    line: int
    full_name: str
    email: str
    department_name: str
    job_title: str
    department: Department | None = None
    errors: list[str] = field(default_factory=list)


def invitation_rows_check(
    *, rows: list[InvitationRow], organisation: Organisation
) -> list[InvitationRow]:
    """Fill each row's department and errors. Three queries whatever the number of rows."""
    departments = {d.name.casefold(): d for d in organisation.departments.all()}
    members = set(
        User.objects.filter(
            organisation=organisation, email__in=[r.email.lower() for r in rows]
        ).values_list("email", flat=True)
    )
    open_invitations = set(
        Invitation.objects.filter(
            organisation=organisation,
            accepted_at__isnull=True,
            email__in=[r.email.lower() for r in rows],
        ).values_list("email", flat=True)
    )
    seen: set[str] = set()
    for row in rows:
        row.email = row.email.strip().lower()
        row.full_name = row.full_name.strip()
        row.job_title = row.job_title.strip()
        if not row.full_name:
            row.errors.append(_("The name is missing."))
        elif len(row.full_name) > 200:
            row.errors.append(_("The name is longer than 200 characters."))
        if len(row.job_title) > 200:
            row.errors.append(_("The job title is longer than 200 characters."))
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(_("“%(email)s” is not an e-mail address.") % {"email": row.email})
        else:
            if row.email in seen:
                row.errors.append(_("This address appears twice in the file."))
            elif row.email in members:
                row.errors.append(_("This person is already a member."))
            elif row.email in open_invitations:
                row.errors.append(_("This person already has an open invitation."))
            seen.add(row.email)
        if row.department_name.strip():
            row.department = departments.get(row.department_name.strip().casefold())
            if row.department is None:
                row.errors.append(
                    _("“%(name)s” is not a department of %(organisation)s.")
                    % {"name": row.department_name.strip(), "organisation": organisation.name}
                )
    return rows


INVITATION_CSV_MAX_ROWS = 1000
INVITATION_CSV_COLUMNS = ("name", "email", "department", "job_title")


def invitation_csv_parse(*, text: str) -> tuple[list[InvitationRow], list[str]]:
    """Rows of a CSV with the header name,email,department,job_title; file-level errors."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return [], [_("The file is empty.")]
    except csv.Error:
        return [], [_("The file is not a readable CSV file.")]
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    if names[:4] != list(INVITATION_CSV_COLUMNS):
        return [], [
            _("The first line must be the header: %(header)s.")
            % {"header": ",".join(INVITATION_CSV_COLUMNS)}
        ]
    rows: list[InvitationRow] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            values = [*values, "", "", "", ""][:4]
            rows.append(InvitationRow(reader.line_num, values[0], values[1], values[2], values[3]))
            if len(rows) > INVITATION_CSV_MAX_ROWS:
                return [], [
                    ngettext(
                        "The file has more than %(max)s row; split it.",
                        "The file has more than %(max)s rows; split it.",
                        INVITATION_CSV_MAX_ROWS,
                    )
                    % {"max": INVITATION_CSV_MAX_ROWS}
                ]
    except csv.Error:
        return [], [_("The file is not a readable CSV file.")]
    if not rows:
        return [], [_("The file has a header but no rows.")]
    return rows, []


class InvitationsRefused(Exception):
    def __init__(self, rows: list[InvitationRow]):
        super().__init__("invitation rows refused")
        self.rows = rows


def invitations_create(
    *,
    organisation: Organisation,
    rows: list[InvitationRow],
    invited_by: User,
    accept_url_for,
) -> list[Invitation]:
    """Create and send every invitation, or none: any row with an error refuses the batch."""
    rows = invitation_rows_check(rows=rows, organisation=organisation)
    if any(row.errors for row in rows):
        raise InvitationsRefused(rows)
    try:
        with transaction.atomic():
            invitations = [
                Invitation.objects.create(
                    organisation=organisation,
                    department=row.department,
                    email=row.email,
                    full_name=row.full_name,
                    job_title=row.job_title,
                    invited_by=invited_by,
                )
                for row in rows
            ]
    except IntegrityError:
        # Another officer invited one of these addresses meanwhile; check again for the message.
        raise InvitationsRefused(
            invitation_rows_check(rows=rows, organisation=organisation)
        ) from None
    # Sent after commit, so a refused batch never mails anyone.
    for invitation in invitations:
        _invitation_send(invitation=invitation, accept_url=accept_url_for(invitation))
    return invitations


class InvitationNotForYou(Exception):
    """The signed-in person's address is not the invited one."""


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> None:
    if user.email.lower() != invitation.email.lower():
        raise InvitationNotForYou
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        return
    membership_verify(
        user=user,
        organisation=invitation.organisation,
        department=invitation.department,
        proof=MembershipProof.INVITATION,
        job_title=invitation.job_title or None,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # Opening the signed link proved the mailbox: the invited address counts as verified.
    EmailAddress.objects.filter(user=user, email__iexact=invitation.email).update(verified=True)
    # An update sends no signal; a verified address opens enrolment on the course page.
    learner_pages_changed(user_ids=[user.pk])


# Single sign-on ---------------------------------------------------------------------------


def _claim(claims: dict, name: str) -> str:
    value = claims.get(name) if name else None
    if isinstance(value, list | tuple):  # SAML attributes arrive as lists
        value = value[0] if value else None
    return str(value).strip() if value is not None else ""


def sso_membership_apply(*, user: User, provider_id: str, claims: dict) -> Organisation | None:
    """Place the person by the identity provider's claims (rules per provider, in the admin).

    A rule for the exact claim value wins over the provider's catch-all rule; no rule, no
    change. The identity provider vouches for the person, so the membership is verified.
    """
    rules = list(
        SingleSignOnRule.objects.filter(provider_id=provider_id).select_related("organisation")
    )
    if not rules:
        return None
    exact = [
        r
        for r in rules
        if r.claim_value
        and r.claim_value.casefold() == _claim(claims, r.organisation_claim).casefold()
    ]
    catch_all = [r for r in rules if not r.claim_value]
    rule = (exact or catch_all or [None])[0]
    if rule is None:
        return None
    department_name = _claim(claims, rule.department_claim)
    department = (
        Department.objects.filter(
            organisation=rule.organisation, name__iexact=department_name
        ).first()
        if department_name
        else None
    )
    if (
        user.organisation_id != rule.organisation.pk
        or user.department_id != getattr(department, "pk", None)
        or user.membership_proof != MembershipProof.SSO
    ):
        membership_verify(
            user=user,
            organisation=rule.organisation,
            department=department,
            proof=MembershipProof.SSO,
        )
    return rule.organisation
