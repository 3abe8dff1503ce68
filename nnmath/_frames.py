"""What the slider widgets share.

A drawn figure as a small PNG and as an ``<img>`` tag, the checks of their
``dpi`` and ``learning_rates`` arguments, and the static (kernel-free) widget:
precomputed frames in a ``Stack`` switched by a jslinked ``SelectionSlider``.
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any, Callable, Sequence

import numpy as np

from . import _validate


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


def check_dpi(dpi: Any) -> int:
    """The resolution of a widget frame: a whole number from 30 to 300."""
    d = _validate.whole_number(dpi, "dpi", minimum=30)
    if d > 300:
        raise ValueError(f"dpi must be at most 300 (frames are meant to be small), got {dpi}")
    return d


def learning_rate_list(rates: Any) -> list[float]:
    """``learning_rates`` checked: a non-empty list, tuple or 1-D array of distinct positive numbers, sorted."""
    if isinstance(rates, (str, bytes)) or not isinstance(rates, (Sequence, np.ndarray)):
        raise TypeError(f"learning_rates must be a list of numbers, got {_validate._describe(rates)}")
    values = [_validate.positive_number(r, f"learning_rates[{i}]") for i, r in enumerate(rates)]
    if not values:
        raise ValueError("learning_rates must hold at least one learning rate, got an empty list")
    if len(set(values)) != len(values):
        raise ValueError(f"learning_rates must not repeat a value, got {values}")
    return sorted(values)


def static_slider(frames: Sequence[Any], painter: Any, labels: Sequence[str], start: int, note: str) -> Any:
    """The kernel-free widget: one picture per frame, switched in the browser by a slider.

    ``painter.paint(frame)`` then ``painter.png()`` draws each frame (whose
    ``alt`` is its alt text); ``labels`` are the slider's readouts, ``start``
    the frame shown first and ``note`` the HTML under the pictures. The box
    has the attributes ``slider``, ``display`` (the ``Stack``), ``frames`` and
    ``link`` (the ``jslink``).
    """
    import ipywidgets as w

    pages = []
    for frame in frames:
        painter.paint(frame)
        pages.append(w.HTML(img_tag(frame.alt, painter.png())))
    stack = w.Stack(pages, selected_index=start)
    slider = w.SelectionSlider(
        options=[(label, i) for i, label in enumerate(labels)],
        index=start,
        description="η",
        continuous_update=True,
        layout=w.Layout(width="480px"),
    )
    link = w.jslink((slider, "index"), (stack, "selected_index"))
    box = w.VBox([slider, stack, w.HTML(note)])
    box.slider, box.display, box.frames, box.link = slider, stack, list(frames), link
    return box
