"""Capstone workbooks: drafts, submitted versions and their review."""
