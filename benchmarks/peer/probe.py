"""Queries and bytes per page, in-process; runs in either site's venv (Capacitas or the peer).

    python probe.py LEARNER_LOGIN URL_ANONYMOUS URL_LEARNER...

DJANGO_SETTINGS_MODULE and the database environment name the site. Each page is requested
through Django's test client (the full middleware stack, as gunicorn serves it) twice, and the
second request is counted: the first fills per-process caches that a long-running worker has
filled too. The first URL is requested anonymously, the others as the learner. Prints JSON,
with the site's database connection settings so the other side can be given the same.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    login, anonymous_url, *learner_urls = argv
    user_model = get_user_model()
    learner = user_model._default_manager.get(**{user_model.USERNAME_FIELD: login})

    def measure(client: Client, url: str) -> dict:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return {
            "url": url,
            "status": response.status_code,
            "bytes": len(response.content),
            "queries": len(captured),
        }

    pages = [measure(Client(), anonymous_url)]
    client = Client()
    client.force_login(learner)
    pages += [measure(client, url) for url in learner_urls]
    database = settings.DATABASES["default"]
    print(
        json.dumps(
            {
                "pages": pages,
                "database": {
                    "vendor": connection.vendor,
                    "CONN_MAX_AGE": database.get("CONN_MAX_AGE", 0),
                    "CONN_HEALTH_CHECKS": database.get("CONN_HEALTH_CHECKS", False),
                    "OPTIONS": database.get("OPTIONS", {}),
                },
                "debug": settings.DEBUG,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
