"""A real S3 API on loopback for the object-storage tests: moto's server, started per session.

The tests that use it are skipped, with a plain message, when moto is not installed or its
server does not start (ports 8440-8449 all taken, for instance).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

import pytest

PORTS = range(8440, 8450)
ACCESS_KEY = "capacitas-test"
SECRET_KEY = "capacitas-test-secret"
REGION = "us-east-1"


@dataclass
class S3Server:
    endpoint_url: str

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def storage_options(self, bucket: str, **options) -> dict:
        return {
            "endpoint_url": self.endpoint_url,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": REGION,
            "bucket_name": bucket,
            **options,
        }

    def environment(self, bucket: str, private_bucket: str) -> dict:
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_PRIVATE_BUCKET_NAME": private_bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint_url,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="session")
def s3_server():
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
        import storages  # noqa: F401
    except ImportError as missing:
        pytest.skip(f"moto[server] and django-storages[s3] are needed ({missing.name} missing)")
    port = next((p for p in PORTS if _free(p)), None)
    if port is None:
        pytest.skip("No free port in 8440-8449 for the local S3 server")
    process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint + "/", timeout=2).read()  # noqa: S310 - loopback
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.skip(f"The local S3 server (moto) did not start on port {port}")
                time.sleep(0.3)
        yield S3Server(endpoint)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def s3_buckets(s3_server):
    """Two fresh buckets: public media and private files."""
    client = s3_server.client()
    suffix = f"{time.monotonic_ns()}"
    media, private = f"media-{suffix}", f"private-{suffix}"
    client.create_bucket(Bucket=media)
    client.create_bucket(Bucket=private)
    return media, private
