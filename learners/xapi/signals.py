"""The xAPI room's receivers, connected from LearnersConfig.ready()."""

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from learners.progress.models import ActivityEvent
from learners.progress.signals import activity_recorded
from learners.xapi.models import LearningRecordStore
from learners.xapi.services import active_lrs_forget, lrs_environment_sync, outbox_enqueue
from learners.xapi.tasks import xapi_forward


def forward_after_commit() -> None:
    """Ask the worker to send the outbox once the current transaction commits."""
    transaction.on_commit(xapi_forward.enqueue)


def _on_activity_recorded(sender, event: ActivityEvent, **kwargs) -> None:
    if outbox_enqueue(event=event):
        forward_after_commit()


activity_recorded.connect(_on_activity_recorded, sender=ActivityEvent, dispatch_uid="xapi_outbox")
post_save.connect(active_lrs_forget, sender=LearningRecordStore, dispatch_uid="xapi_lrs_saved")
post_delete.connect(active_lrs_forget, sender=LearningRecordStore, dispatch_uid="xapi_lrs_deleted")


def _sync_after_migrate(sender, app_config=None, **kwargs) -> None:
    # Every deployment runs migrate at start (deploy/migrate): the environment's LRS follows.
    # A migrate to an earlier target (or a rollback) leaves no LRS table: nothing to sync.
    if app_config is None or app_config.label != "learners":
        return
    connection = connections[kwargs.get("using") or DEFAULT_DB_ALIAS]
    if LearningRecordStore._meta.db_table in connection.introspection.table_names():
        lrs_environment_sync()


post_migrate.connect(_sync_after_migrate, dispatch_uid="xapi_lrs_environment")
