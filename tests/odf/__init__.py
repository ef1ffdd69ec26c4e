# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Tests of the pure ODF package."""
