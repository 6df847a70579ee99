"""HR: assignments and the enrolments they cause, the dashboard, learner pages, exports and
reminders. The top room: it may read every room beneath it.
"""
