"""Capacitas as an LTI 1.3 / LTI Advantage tool (django-lti, PyLTI1p3 underneath).

A platform (Moodle, Canvas, Open edX) launches a course, lesson or quiz; the launched person
gets an account linked to the platform's (issuer, sub), is enrolled and lands on the page; their
completion and final-assessment score go back through Assignment and Grade Services; Deep
Linking lets the platform's teacher pick what to link. docs/interoperability.md ("LTI 1.3").
"""
