"""Tables of the ticketing domain (games plane inventory and tickets; sovereign holders)."""

from __future__ import annotations

__all__: list[str] = []
