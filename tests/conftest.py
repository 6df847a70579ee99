import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, UserFactory, make_course


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
