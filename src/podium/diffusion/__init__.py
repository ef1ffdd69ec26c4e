"""Diffusion: the ODF messages of the Games, built from the games plane."""

from podium.diffusion.messages import (
    OdfMessageFile,
    build_message,
    feed_context,
    iter_messages,
    message_index,
)

__all__ = ["OdfMessageFile", "build_message", "feed_context", "iter_messages", "message_index"]
