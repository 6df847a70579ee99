"""Background work of the xAPI room (django-tasks; immediate in dev and tests)."""

from django_tasks import task


@task()
def xapi_forward() -> int:
    """Send the outbox's due statements to every active LRS; returns how many were sent."""
    from learners.xapi.services import outbox_drain

    return outbox_drain().sent
