"""Tables of the sport entries domain (games plane)."""

from __future__ import annotations

__all__: list[str] = []
