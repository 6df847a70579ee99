"""Background work of the privacy room (django-tasks; immediate in dev and tests)."""

from django_tasks import task


@task()
def data_export_build_task(export_id: int) -> bool:
    from learners.privacy.archive import data_export_build

    return data_export_build(export_id=export_id)


@task()
def records_purge_task() -> dict[str, int]:
    from learners.privacy.retention import records_purge

    return records_purge()
