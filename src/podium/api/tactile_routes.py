"""The tactile stream's API (Vision Pad style): positions and key events of a unit."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(tags=["tactile stream"])
