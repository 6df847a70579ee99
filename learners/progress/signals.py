"""Signals other rooms listen to (a course completed)."""

from django.dispatch import Signal

# Sent once, inside the transaction that first records an enrolment's completion.
# Arguments: enrolment (learners.Enrolment). Certificates attach here.
course_completed = Signal()

# Sent inside the transaction that appends an activity event, so what a receiver writes (the
# xAPI outbox) commits or rolls back with the event itself. Arguments: event (ActivityEvent).
activity_recorded = Signal()
