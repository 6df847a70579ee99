"""The xAPI room's receivers, connected from LearnersConfig.ready()."""

from django.db.models.signals import post_delete, post_migrate, post_save

from learners.progress.models import ActivityEvent
from learners.progress.signals import activity_recorded
from learners.xapi.models import LearningRecordStore
from learners.xapi.services import active_lrs_forget, lrs_environment_sync, outbox_enqueue

activity_recorded.connect(outbox_enqueue, sender=ActivityEvent, dispatch_uid="xapi_outbox")
post_save.connect(active_lrs_forget, sender=LearningRecordStore, dispatch_uid="xapi_lrs_saved")
post_delete.connect(active_lrs_forget, sender=LearningRecordStore, dispatch_uid="xapi_lrs_deleted")


def _sync_after_migrate(sender, app_config=None, **kwargs) -> None:
    # Every deployment runs migrate at start (deploy/migrate): the environment's LRS follows.
    if app_config is not None and app_config.label == "learners":
        lrs_environment_sync()


post_migrate.connect(_sync_after_migrate, dispatch_uid="xapi_lrs_environment")
