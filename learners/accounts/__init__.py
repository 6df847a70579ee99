"""People and organisations: the user, organisations and departments, HR roles and the scope they
give, sign-up, profile and the Wagtail user admin. The lowest room with a domain: it imports no
other room but `common`.
"""
