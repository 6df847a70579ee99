import pytest

from tests.factories import (
    DepartmentFactory,
    HROfficerRoleFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture
def orgs(db):
    """A metropolitan government above municipalities A and B, plus an unrelated city C."""
    metro = OrganisationFactory(name="Metro", level="metropolitan")
    a = OrganisationFactory(name="Municipality A", parent=metro)
    b = OrganisationFactory(name="Municipality B", parent=metro)
    c = OrganisationFactory(name="City C")
    return {"metro": metro, "a": a, "b": b, "c": c}


@pytest.fixture
def depts(orgs):
    return {
        "a": DepartmentFactory(organisation=orgs["a"], name="Planning"),
        "b": DepartmentFactory(organisation=orgs["b"], name="Culture"),
        "c": DepartmentFactory(organisation=orgs["c"], name="Tourism"),
    }


@pytest.fixture
def people(orgs, depts):
    return {
        "a": UserFactory(full_name="Ana A", organisation=orgs["a"], department=depts["a"]),
        "b": UserFactory(full_name="Bea B", organisation=orgs["b"], department=depts["b"]),
        "c": UserFactory(full_name="Cid C", organisation=orgs["c"], department=depts["c"]),
    }


@pytest.fixture
def officer_a(orgs):
    return HROfficerRoleFactory(
        organisation=orgs["a"], user=UserFactory(full_name="Olga Officer A", organisation=orgs["a"])
    ).user


@pytest.fixture
def officer_metro(orgs):
    return HROfficerRoleFactory(
        organisation=orgs["metro"],
        user=UserFactory(full_name="Mia Metro", organisation=orgs["metro"]),
    ).user
