"""JSON API of the accessibility domain."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["accessibility"])
