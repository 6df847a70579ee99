import uuid

import pytest

from learners.xapi.models import LearningRecordStore
from tests.learners.xapi.ralph import MISSING, ralph_available, ralph_required, ralph_start


@pytest.fixture(scope="session")
def ralph():
    """One Ralph LRS for the session (it takes seconds to start)."""
    if not ralph_available():
        if ralph_required():
            pytest.fail(MISSING + " RALPH_REQUIRED is set: CI must run it.")
        pytest.skip(MISSING)
    lrs = ralph_start()
    yield lrs
    lrs.stop()


@pytest.fixture
def unique_site(settings):
    """A site address of its own per test: statement ids (uuid5 of site and event id) never
    meet those of another test in the shared Ralph, whatever the database's ids."""
    settings.SITE_URL = f"https://capacitas-{uuid.uuid4().hex[:12]}.example.org"
    return settings.SITE_URL


@pytest.fixture
def ralph_store(db, ralph, unique_site, monkeypatch):
    monkeypatch.setenv("XAPI_TEST_RALPH_SECRET", ralph.password)
    return LearningRecordStore.objects.create(
        name="ralph", endpoint=ralph.endpoint, key=ralph.user, secret_env="XAPI_TEST_RALPH_SECRET"
    )


@pytest.fixture
def superuser_client(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client
