"""Enrolment, lesson progress, the activity log, My learning, the transcript and the enrolment
gate. Higher rooms plug in through `completion_requirement_register` and
`dashboard_extras_register`.
"""
