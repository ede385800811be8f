"""How the figures look: colours, marker shapes, sizes and fonts in one object, so presenter mode
can scale them all at once. Presentation only: no fact lives here.

Colours follow the Okabe-Ito palette, which stays distinct for the common kinds of colour
blindness; every kind of marker also differs by shape and fill, never by colour alone."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Style:
    # Body and bones
    skin: str = "#f6e7da"
    outline: str = "#b08d74"
    bone: str = "#8c7b6b"
    spine_fill: str = "#e8ddd0"
    grid: str = "#eeeeee"
    # Zones, one colour per region (the chosen one strong, the others faint)
    cervical: str = "#56b4e9"
    thoracic: str = "#009e73"
    lumbar: str = "#e69f00"
    other_region: str = "#999999"
    # Needles: deep (sedative) filled triangles pointing down, shallow (exciting) open circles
    sedative: str = "#b03a00"
    exciting: str = "#0059a0"
    sedative_symbol: str = "triangle-down"
    exciting_symbol: str = "circle-open"
    optional_opacity: float = 0.45
    # Standard points
    point: str = "#6a4c93"
    point_faint: str = "#9a9a9a"
    selected_ring: str = "#000000"
    # Depth view and notes
    danger: str = "#c0392b"
    reading: str = "#4b2e83"
    warning_text: str = "#8a1020"
    warning_fill: str = "rgba(253,226,226,0.92)"
    tissue_band: str = "#f0d5c8"
    muted: str = "#555555"
    # Sizes (pixels), scaled together by `scaled`
    needle_size: float = 12
    needle_ring_size: float = 20
    point_size: float = 8
    point_faint_size: float = 6
    selected_size: float = 16
    spine_size: float = 7
    landmark_size: float = 5
    font: float = 12
    small_font: float = 10
    label_font: float = 9
    title_font: float = 15
    line_width: float = 1.5
    back_width: float = 560  # the width the back view's height is worked out for
    # The narrowest the back view is drawn (358 px on a 390 px phone): its tick labels are chosen to
    # fit side by side at this width, so none overlap on any wider chart either.
    narrowest_width: float = 340
    # The explore page's plot keeps one height whatever the stretch of back (the first screen at
    # 1280x720 is laid out for it); presenter mode gives it a range. (The minimum was once above the
    # maximum, which silently meant the same thing.)
    back_min_height: float = 356
    back_max_height: float = 356
    depth_height: float = 400

    def scaled(self, factor: float) -> Style:
        """The same style with every size multiplied by `factor` (presenter mode)."""
        sizes = {f.name: getattr(self, f.name) * factor for f in fields(self)
                 if isinstance(getattr(self, f.name), float | int) and f.name != "optional_opacity"}
        return replace(self, **sizes)

    def region(self, name: str) -> str:
        return getattr(self, name, self.other_region)

    def needle(self, method: str) -> tuple[str, str]:
        """(colour, symbol) of a plain method's needles."""
        return (self.sedative, self.sedative_symbol) if method == "sedative" else (self.exciting, self.exciting_symbol)


EXPLORE = Style()
# Presenter mode, for a projector at 1280x720 seen from the back of a room: every size half as large
# again, and the back view's plot as tall as fits under the page header with its legend (the title
# and key numbers are the text beside it, so the plot has the room they took in the figure).
PRESENT = replace(EXPLORE.scaled(1.5), back_min_height=400, back_max_height=560)


# The session timeline and the course calendar (timeline.py, course.py): a session's colour, each
# method's bar, and the grey of what no article states.
SESSION_COLOUR = "#3a6ea5"
METHOD_COLOURS = {"exciting": "#d08c1f", "sedative": "#4b2e83"}
NOT_STATED_GREY = "#666666"
