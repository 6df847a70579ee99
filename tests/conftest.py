import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tests.factories import PASSWORD, UserFactory, make_course


@pytest.fixture(autouse=True)
def _default_language():
    # The test client runs requests in the test's thread, and LocaleMiddleware leaves the
    # request's language active afterwards: a request to /es/… would make every later reverse()
    # in the run answer /es/ addresses. Each test starts, and ends, in the default language.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def learner(db):
    return UserFactory(full_name="Lea Learner")


@pytest.fixture
def other_learner(db):
    return UserFactory(full_name="Otto Other")


@pytest.fixture
def course_tree(db):
    return make_course(modules=2, lessons_per_module=2)


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
