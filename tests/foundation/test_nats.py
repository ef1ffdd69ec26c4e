"""NATS JetStream, the feed's scale-out path, carries Podium's ODF messages intact.

The diffusion node (a later issue) publishes each feed message to a JetStream stream;
this checks, against the real server, that a stream keeps a built ODF message byte for
byte with its ODF key in the headers, and that a consumer reads it back.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import nats
import pytest

from podium.odf import parse_message
from tests.conftest import NATS_URL, require_service

pytestmark = pytest.mark.nats

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "odf-samples"


def _message() -> bytes:
    return next(iter(sorted(SAMPLES.glob("*DT_SCHEDULE*.xml")))).read_bytes()


async def _round_trip(payload: bytes) -> bytes:
    client = await nats.connect(NATS_URL, connect_timeout=3)
    try:
        stream = f"PODIUM_TEST_{os.getpid()}"
        js = client.jetstream()
        await js.add_stream(name=stream, subjects=[f"{stream}.odf.>"])
        try:
            await js.publish(
                f"{stream}.odf.DT_SCHEDULE", payload, headers={"ODF-DocumentType": "DT_SCHEDULE"}
            )
            sub = await js.pull_subscribe(f"{stream}.odf.>", durable="reader")
            [received] = await sub.fetch(1, timeout=5)
            await received.ack()
            assert received.headers == {"ODF-DocumentType": "DT_SCHEDULE"}
            return received.data
        finally:
            await js.delete_stream(stream)
    finally:
        await client.close()


def test_jetstream_keeps_an_odf_message_byte_for_byte() -> None:
    require_service("NATS JetStream", NATS_URL, 4222)
    payload = _message()
    assert asyncio.run(_round_trip(payload)) == payload
    assert parse_message(payload).header.document_type == "DT_SCHEDULE"
