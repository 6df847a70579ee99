"""Open Badges 3.0 credentials: every certificate also as a signed, verifiable credential.

See docs/interoperability.md.
"""
