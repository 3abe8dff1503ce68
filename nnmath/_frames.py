"""The widget framework: frames, a painter that redraws one figure, and the static/live switch.

A widget is three things, and only the first two differ between widgets:

* a function that computes a *frame* (a frozen dataclass with an ``alt`` text)
  for one setting of the controls;
* a :class:`Painter` that draws the parts of the figure that never change once,
  and :meth:`Painter.paint` that updates the rest in place for a frame;
* :func:`static_widget` or :func:`live_widget`, which turn those into an
  ipywidgets control: precomputed frames switched in the browser by
  ``jslink``-ed sliders (one slider per control, one or two controls), or every
  change recomputed in a running kernel. Both return a :class:`SliderWidget`,
  the small object that holds the widget's state.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from . import _validate

BLOW_UP = 10.0
"""A run has blown up once it is this many times further from its goal than
at its start: for gradient descent, the distance to the optimum; for
training, the loss (the distance from a loss of 0)."""


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


def check_frame(frame: Any, kind: type, maker: str) -> Any:
    """``frame`` itself if it is a ``kind``; a TypeError naming the function that makes one otherwise."""
    if not isinstance(frame, kind):
        raise TypeError(f"frame must be a {kind.__name__} from {maker}, got {_validate._describe(frame)}")
    return frame


class Painter:
    """One figure, drawn once; :meth:`paint` updates it in place for each frame.

    A widget's painter sets ``figsize``, draws what never changes in
    :meth:`draw` (curves, axes, labels; it may call :meth:`add_messages`) and
    changes only data and texts in :meth:`paint`. Reusing the figure keeps a
    live update at about half the time of building a new one.
    """

    figsize: tuple[float, float] = (8.0, 3.3)

    def __init__(self, dpi: int, *args: Any) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from .plotting import COLORS, style

        self.colors, self.style = COLORS, style
        self.messages: list[Any] = []
        with style():
            self.figure = Figure(figsize=self.figsize, dpi=dpi)
            self.canvas = FigureCanvasAgg(self.figure)
            self.draw(self.figure, *args)

    def draw(self, figure: Any, *args: Any) -> None:
        """Draw the parts of the figure that are the same for every frame."""
        raise NotImplementedError

    def paint(self, frame: Any) -> None:
        """Change the figure to show ``frame``."""
        raise NotImplementedError

    def add_messages(self, axes: Sequence[Any], fontsize: float, alpha: float) -> None:
        """A hidden message box in the middle of each of ``axes``, for :meth:`show_divergence`."""
        self.messages = [
            ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=fontsize,
                    bbox={"facecolor": "white", "alpha": alpha}, visible=False)
            for ax in axes
        ]

    def show_divergence(self, frame: Any, diverged: bool, color: Any) -> None:
        """Show "diverged at step k with η = ..." in every message box, or hide them."""
        for message in self.messages:
            message.set_visible(diverged)
            if diverged:
                message.set_text(f"diverged at step {frame.diverged_at}\nwith η = {frame.learning_rate:g}")
                message.set_color(color)
                message.get_bbox_patch().set_edgecolor(color)

    def png(self) -> bytes:
        """The figure as PNG bytes with a 64-colour palette (a third of the size of full colour)."""
        return canvas_png(self.canvas, self.style)

    def html(self, frame: Any) -> str:
        """``frame`` painted, as an ``<img>`` tag with the frame's alt text."""
        self.paint(frame)
        return img_tag(frame.alt, self.png())


@dataclass(eq=False)
class SliderWidget:
    """A slider widget: what the page displays, its controls and the frames it shows.

    See the chapters :ref:`chapter-gradient-descent` and :ref:`chapter-training`.

    Displaying it (the last line of a cell) displays ``box``.

    Attributes
    ----------
    box : ipywidgets.VBox
        The controls above the picture.
    controls : dict of str to ipywidgets widget
        The controls by name; the first is the learning rate.
    display : ipywidgets widget
        Static: the ``Stack`` of pictures (for two controls, a ``Stack`` of
        ``Stack`` s); live: the ``HTML`` widget showing the latest frame.
    frames : list or frame
        Static: every precomputed frame, ``frames[i]`` for one control and
        ``frames[i][j]`` for two; live: the frame shown now.
    links : list of ipywidgets.Link
        Static: the ``jslink`` s from each slider to the stacks it switches;
        live: empty.
    update : callable or None
        Live: recompute the frame for the controls' values and redraw it.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import learning_rate_widget
    >>> f = nnmath.quadratic(1.0)
    >>> widget = learning_rate_widget(f, learning_rates=[0.5, 1.5], dpi=30)
    >>> list(widget.controls), [frame.status for frame in widget.frames]
    (['learning_rate'], ['converged', 'diverged'])
    >>> widget.slider is widget.controls["learning_rate"]
    True
    >>> widget.link is widget.links[0]
    True
    """

    box: Any
    controls: dict[str, Any]
    display: Any
    frames: Any
    links: list[Any] = field(default_factory=list)
    update: Callable[..., None] | None = None

    @property
    def slider(self) -> Any:
        """The first control, the learning-rate slider."""
        return next(iter(self.controls.values()))

    @property
    def link(self) -> Any:
        """The ``jslink`` of the first slider in static mode, ``None`` in live mode."""
        return self.links[0] if self.links else None

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)


@dataclass(frozen=True)
class Axis:
    """One control of a static widget: its name, the slider's description and one label per value."""

    name: str
    description: str
    labels: list[str]
    start: int = 0


def static_widget(frames: Sequence[Any], painter: Painter, axes: Sequence[Axis], note: str) -> SliderWidget:
    """The kernel-free widget: one picture per frame, switched in the browser by one slider per axis.

    ``frames`` is a grid with one dimension per axis (``frames[i]`` or
    ``frames[i][j]``), each frame painted once. For one axis the pictures sit
    in one ``Stack``; for two, an outer ``Stack`` over the first axis holds one
    ``Stack`` per row over the second. Each slider's ``index`` is
    ``jslink``-ed to the ``selected_index`` of every stack of its level, so
    the sliders work on a static page. ``note`` is the HTML under the pictures.
    """
    import ipywidgets as w

    if not 1 <= len(axes) <= 2:
        raise ValueError(f"a static widget has one or two controls, got {len(axes)}")
    levels: list[list[Any]] = [[] for _ in axes]

    def stack(grid: Sequence[Any], depth: int) -> Any:
        if len(grid) != len(axes[depth].labels):
            raise ValueError(f"the frames of control {axes[depth].name!r} must number "
                             f"{len(axes[depth].labels)}, got {len(grid)}")
        if depth == len(axes) - 1:
            pages = [w.HTML(painter.html(frame)) for frame in grid]
        else:
            pages = [stack(row, depth + 1) for row in grid]
        level = w.Stack(pages, selected_index=axes[depth].start)
        levels[depth].append(level)
        return level

    display = stack(frames, 0)
    controls, links = {}, []
    for axis, stacks in zip(axes, levels):
        slider = w.SelectionSlider(options=[(label, i) for i, label in enumerate(axis.labels)], index=axis.start,
                                   description=axis.description, continuous_update=True,
                                   layout=w.Layout(width="480px"))
        controls[axis.name] = slider
        links += [w.jslink((slider, "index"), (level, "selected_index")) for level in stacks]
    box = w.VBox([*controls.values(), display, w.HTML(note)])
    return SliderWidget(box=box, controls=controls, display=display, frames=list(frames), links=links)


def live_widget(controls: dict[str, Any], compute: Callable[..., Any], painter: Callable[[Any], Painter]) -> SliderWidget:
    """The kernel widget: every change of a control recomputes the frame and redraws it.

    ``compute(**values)`` makes the frame from the controls' values, by name;
    ``painter(frame)`` makes the painter on the first update, which is then
    reused for every later frame.
    """
    import ipywidgets as w

    display = w.HTML()
    widget = SliderWidget(box=w.VBox([*controls.values(), display]), controls=controls, display=display,
                          frames=None)
    painters: list[Painter] = []

    def update(change: Any = None) -> None:
        frame = compute(**{name: control.value for name, control in controls.items()})
        if not painters:
            painters.append(painter(frame))
        display.value = painters[0].html(frame)
        widget.frames = frame

    for control in controls.values():
        control.observe(update, names="value")
    widget.update = update
    update()
    return widget
