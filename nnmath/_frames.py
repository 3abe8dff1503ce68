"""What the slider widgets share: a drawn figure as a small PNG, and as an ``<img>`` tag."""

from __future__ import annotations

import base64
import html
import io
from typing import Any, Callable

import numpy as np


def canvas_png(canvas: Any, style: Callable[[], Any]) -> bytes:
    """Draw an Agg ``canvas`` inside ``style()`` and return it as a PNG with a 64-colour palette.

    The figures have few colours, so a palette PNG is a third of the size of a
    full-colour one and no less sharp.
    """
    from PIL import Image

    with style():
        canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., :3]
    image = Image.fromarray(pixels).quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="png")
    return buffer.getvalue()


def img_tag(alt: str, png: bytes) -> str:
    """``<img alt="..." src="data:image/png;base64,...">``, scaled to the page width."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{data}" style="max-width:100%;height:auto">'
