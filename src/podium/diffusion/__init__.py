"""Diffusion: the ODF messages of the Games, built from the games plane."""

from podium.diffusion.messages import OdfMessageFile, feed_context, iter_messages

__all__ = ["OdfMessageFile", "feed_context", "iter_messages"]
