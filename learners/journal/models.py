"""Private answers to reflection prompts, one per learner and prompt."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReflectionNote(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflection_notes"
    )
    # The lesson may be deleted or the prompt rewritten; the note keeps its own copy of both.
    lesson = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson_title = models.CharField(max_length=255)
    course_id = models.PositiveIntegerField(null=True, blank=True)
    course_title = models.CharField(max_length=255, blank=True)
    block_id = models.CharField(max_length=64)
    prompt = models.TextField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reflection note")
        verbose_name_plural = _("reflection notes")
        ordering = ["course_title", "lesson_title", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "block_id"], name="one_note_per_prompt"),
        ]

    def __str__(self) -> str:
        return f"{self.lesson_title} ({self.user_id})"
