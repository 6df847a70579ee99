"""Keep assignment membership current when people join, and place verified people by domain."""

from allauth.account.signals import email_confirmed
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.models import Page

from learners.accounts.models import Department, HROfficerRole, Organisation, User
from learners.accounts.services import organisation_join_by_email_domain
from learners.certificates.models import Certificate
from learners.hr import tallies
from learners.hr.models import AssignedLearner
from learners.progress.models import Enrolment
from learners.progress.signals import course_completed

MEMBERSHIP_FIELDS = {"organisation", "department", "is_active"}


@receiver(post_save, sender=User, dispatch_uid="hr_assignment_membership")
def _sync_assignments_on_join(sender, instance: User, created: bool, update_fields=None, **kw):
    # Saves that cannot change membership (last_login, password) cost nothing.
    if update_fields is not None and not MEMBERSHIP_FIELDS & set(update_fields):
        return
    if kw.get("raw"):
        return
    # First the tallies follow the person to their new organisation or department (before
    # the assignments below add enrolments there, which count themselves).
    tallies.person_after_save(instance, created=created)
    from learners.hr.services import assignment_memberships_sync

    assignment_memberships_sync(user=instance)


@receiver(email_confirmed, dispatch_uid="hr_join_by_email_domain")
def _join_by_email_domain(sender, request=None, email_address=None, **kwargs):
    if email_address is None:
        return
    from learners.hr.services import assignment_memberships_sync

    user = email_address.user
    # Joining by domain is an accounts matter; the assignments that come with it are HR's.
    if organisation_join_by_email_domain(user=user, email=email_address.email) is not None:
        assignment_memberships_sync(user=user)


NAV_CACHE_SECONDS = 300


def nav_cache_key(user_id: int) -> str:
    return f"hr-nav:{user_id}"


@receiver([post_save, post_delete], sender=HROfficerRole, dispatch_uid="hr_nav_cache")
def _forget_nav(sender, instance: HROfficerRole, **kwargs):
    # The "HR" link in the navigation is cached per person; a role change shows at once.
    cache.delete(nav_cache_key(instance.user_id))


# --- HR tallies (learners.hr.tallies) ----------------------------------------------------------
@receiver(pre_save, sender=User, dispatch_uid="hr_tally_person_before")
def _tally_person_before(sender, instance: User, raw=False, update_fields=None, **kwargs):
    if not raw:
        tallies.person_before_save(instance, update_fields)


@receiver(pre_save, sender=Enrolment, dispatch_uid="hr_tally_enrolment_before_save")
def _tally_enrolment_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw:
        tallies.before_row_write(
            user_id=instance.user_id,
            part=tallies.COURSES,
            update_fields=update_fields,
            fields=tallies.ENROLMENT_FIELDS,
        )


@receiver(pre_save, sender=AssignedLearner, dispatch_uid="hr_tally_assigned_before_save")
def _tally_assigned_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw:
        tallies.before_row_write(
            user_id=instance.user_id,
            part=tallies.COURSES,
            update_fields=update_fields,
            fields=tallies.ASSIGNED_FIELDS,
        )


@receiver(pre_save, sender=Certificate, dispatch_uid="hr_tally_certificate_before_save")
def _tally_certificate_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw:
        tallies.before_row_write(
            user_id=instance.user_id,
            part=tallies.DAYS,
            update_fields=update_fields,
            fields=tallies.CERTIFICATE_FIELDS,
        )


@receiver(pre_delete, sender=Enrolment, dispatch_uid="hr_tally_enrolment_before_delete")
@receiver(pre_delete, sender=AssignedLearner, dispatch_uid="hr_tally_assigned_before_delete")
def _tally_row_before_delete(sender, instance, **kwargs):
    tallies.before_row_write(user_id=instance.user_id, part=tallies.COURSES)


@receiver(pre_delete, sender=Certificate, dispatch_uid="hr_tally_certificate_before_delete")
def _tally_certificate_before_delete(sender, instance, **kwargs):
    tallies.before_row_write(user_id=instance.user_id, part=tallies.DAYS)


@receiver(post_save, sender=Enrolment, dispatch_uid="hr_tally_enrolment_after_save")
@receiver(post_save, sender=AssignedLearner, dispatch_uid="hr_tally_assigned_after_save")
def _tally_row_after_save(sender, instance, raw=False, **kwargs):
    if not raw:
        tallies.after_row_write(user_id=instance.user_id, part=tallies.COURSES, deleting=False)


@receiver(post_save, sender=Certificate, dispatch_uid="hr_tally_certificate_after_save")
def _tally_certificate_after_save(sender, instance, raw=False, **kwargs):
    if not raw:
        tallies.after_row_write(user_id=instance.user_id, part=tallies.DAYS, deleting=False)


@receiver(post_delete, sender=Certificate, dispatch_uid="hr_tally_certificate_after_delete")
def _tally_certificate_after_delete(sender, instance, **kwargs):
    tallies.after_row_write(user_id=instance.user_id, part=tallies.DAYS, deleting=True)


@receiver(post_delete, sender=Enrolment, dispatch_uid="hr_tally_enrolment_after_delete")
@receiver(post_delete, sender=AssignedLearner, dispatch_uid="hr_tally_assigned_after_delete")
def _tally_row_after_delete(sender, instance, **kwargs):
    tallies.after_row_write(user_id=instance.user_id, part=tallies.COURSES, deleting=True)


@receiver(course_completed, dispatch_uid="hr_tally_completion")
def _tally_completion(sender, enrolment: Enrolment, **kwargs):
    tallies.completion_recorded(enrolment)


@receiver(post_delete, dispatch_uid="hr_tally_page_deleted")
def _tally_page_deleted(sender, instance, **kwargs):
    # Sent for the Page row and again for its specific subclass; the second finds nothing.
    if isinstance(instance, Page):
        tallies.course_deleted(instance.pk)


@receiver(post_delete, sender=Department, dispatch_uid="hr_tally_department_deleted")
def _tally_department_deleted(sender, instance: Department, **kwargs):
    tallies.department_deleted(instance.pk)


@receiver(post_delete, sender=Organisation, dispatch_uid="hr_tally_organisation_deleted")
def _tally_organisation_deleted(sender, instance: Organisation, **kwargs):
    tallies.organisation_deleted(instance.pk)


@receiver(pre_delete, sender=User, dispatch_uid="hr_tally_person_before_delete")
def _tally_person_before_delete(sender, instance: User, **kwargs):
    # Every pre_delete of a cascade comes before any row goes, so these snapshots agree with
    # those of the person's enrolments and certificates; the person's row goes last.
    for part in (tallies.COURSES, tallies.DAYS):
        tallies.before_row_write(user_id=instance.pk, part=part)


@receiver(post_delete, sender=User, dispatch_uid="hr_tally_person_after_delete")
def _tally_person_after_delete(sender, instance: User, **kwargs):
    for part in (tallies.COURSES, tallies.DAYS):
        tallies.after_row_write(user_id=instance.pk, part=part, deleting=True)
