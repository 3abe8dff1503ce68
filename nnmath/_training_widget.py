"""The training widget of the chapter "Training a network" (re-exported by nnmath.widgets)."""

from __future__ import annotations

__all__: list[str] = []
