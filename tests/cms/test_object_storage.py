"""Object storage: the settings pick S3 when a bucket is named, against a real local S3 API."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.cms.test_settings import _run
from tests.s3_server import s3_buckets, s3_server  # noqa: F401 - fixtures

STORE_AND_SIGN = """
import json
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
public, private = storages["default"], storages["private"]
media_name = public.save("images/logo.txt", ContentFile(b"public bytes"))
private_name = private.save("certificates/one.pdf", ContentFile(b"%PDF-private"))
with private.open(private_name, "rb") as handle:
    read_back = handle.read().decode()
print(json.dumps({
    "backends": [type(public).__name__, type(private).__name__],
    "media_url": public.url(media_name),
    "private_url": private.url(private_name),
    "read_back": read_back,
    "signed": settings.PRIVATE_STORAGE_SIGNED_URLS,
}))
"""


def _get(url: str) -> bytes:
    return urllib.request.urlopen(url, timeout=10).read()  # noqa: S310 - loopback S3


def test_production_settings_store_media_and_private_files_on_s3(tmp_path, s3_server, s3_buckets):  # noqa: F811
    media, private = s3_buckets
    result = _run(
        ["shell", "--no-imports", "-c", STORE_AND_SIGN],
        tmp_path,
        **s3_server.environment(media, private),
        AWS_QUERYSTRING_EXPIRE="120",
        AWS_MEDIA_ACL="public-read",
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["backends"] == ["S3Storage", "S3Storage"]
    assert shown["signed"] is True
    assert shown["read_back"] == "%PDF-private"

    # Public media: a plain URL under media/ in the media bucket.
    media_url = urllib.parse.urlsplit(shown["media_url"])
    assert media_url.query == ""
    assert media_url.path == f"/{media}/media/images/logo.txt"
    assert _get(shown["media_url"]) == b"public bytes"

    # Private files: in the private bucket, under private/, behind a signed URL that expires.
    private_url = urllib.parse.urlsplit(shown["private_url"])
    query = urllib.parse.parse_qs(private_url.query)
    assert private_url.path == f"/{private}/private/certificates/one.pdf"
    assert "X-Amz-Signature" in query
    assert query["X-Amz-Expires"] == ["120"]
    assert _get(shown["private_url"]) == b"%PDF-private"
    unsigned = shown["private_url"].split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(unsigned)
    assert refused.value.code == 403
    # Nothing landed in the public bucket's private prefix.
    listed = s3_server.client().list_objects_v2(Bucket=media, Prefix="private/")
    assert listed["KeyCount"] == 0


def test_readyz_reaches_object_storage(tmp_path, s3_server, s3_buckets):  # noqa: F811
    media, private = s3_buckets
    code = (
        "from django.test import Client;"
        "r = Client(HTTP_HOST='capacitas.example').get('/readyz', secure=True);"
        "print(r.status_code, r.content.decode())"
    )
    up = _run(
        ["shell", "--no-imports", "-c", code], tmp_path, **s3_server.environment(media, private)
    )
    assert up.returncode == 0, up.stderr
    assert up.stdout.strip().splitlines()[-1].startswith("200 ")
    # A bucket that does not exist is not ready.
    down = _run(
        ["shell", "--no-imports", "-c", code],
        tmp_path,
        **s3_server.environment(media, "no-such-bucket"),
    )
    last = down.stdout.strip().splitlines()[-1]
    assert last.startswith("503 ") and '"storage"' in last.split(" ", 1)[1]
