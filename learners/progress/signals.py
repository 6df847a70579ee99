"""Signals other rooms listen to (a course completed)."""

from django.dispatch import Signal

# Sent once, inside the transaction that first records an enrolment's completion.
# Arguments: enrolment (learners.Enrolment). Certificates attach here.
course_completed = Signal()
