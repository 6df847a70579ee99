"""Certificates: issue, codes, PDF, public verification, expiry and reminders, re-issue, revocation
and their audit log.
"""
