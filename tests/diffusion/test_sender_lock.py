"""One sender per feed: the push lock is held by one process (or instance) at a time."""

from __future__ import annotations

from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.diffusion.sender_lock import SenderLock


def test_only_one_sender_holds_the_lock_and_another_takes_over(
    live_settings: Settings, live_planes: Planes
) -> None:
    other_planes = open_planes(live_settings)  # as a second process would
    try:
        first = SenderLock(live_planes, live_settings, "push")
        second = SenderLock(other_planes, live_settings, "push")
        assert first.acquire()
        assert first.acquire()  # held: still ours
        assert not second.acquire()
        assert SenderLock(other_planes, live_settings, "nats").acquire()  # another name
        first.release()
        assert second.acquire()
        assert second.held
        second.release()
    finally:
        other_planes.dispose()
