"""How the app looks: the figures' colours, marker shapes, sizes and fonts in one object (Style), so
presenter mode can scale them all at once, and the colours of the page's own HTML, the printed card
and the QR code in another (Page). Every colour the app draws is written here and nowhere else
(tests/test_style.py checks); only Streamlit's own widgets take theirs from the theme
(.streamlit/config.toml). Presentation only: no fact lives here.

The figures' colours follow the Okabe-Ito palette, which stays distinct for the common kinds of
colour blindness; every kind of marker also differs by shape and fill, never by colour alone."""

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
    background: str = "white"  # behind every chart: the plot and the paper round it
    marker_edge: str = "white"  # round a filled marker, so it stands off a zone or a bar under it
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
    selected_fill: str = "rgba(0,0,0,0)"  # the chosen point's ring is hollow
    # Depth view and notes
    danger: str = "#c0392b"
    reading: str = "#4b2e83"
    warning_text: str = "#8a1020"
    warning_fill: str = "rgba(253,226,226,0.92)"
    tissue_band: str = "#f0d5c8"
    muted: str = "#555555"
    # Your protocol over the back view: teal, none of the articles' zone or needle colours
    overlay: str = "#0b6e69"
    overlay_fill: str = "rgba(11,110,105,0.08)"
    # Presenter mode's legend, laid over the plot's corner: the zones show faintly through it
    legend_fill: str = "rgba(255,255,255,0.85)"
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


@dataclass(frozen=True)
class Page:
    """The colours of the page's own HTML (the blocks handed to st.markdown), of the printed session
    card and of the join link's QR code. The browser tests' axe-core contrast checks run against these
    values: change a text colour or the fill under it only together with them."""
    # Text
    # Streamlit's default text colour (the theme's, .streamlit/config.toml, is darker): a parameter
    # card's label and its "why" link
    text: str = "#31333f"
    secondary_text: str = "#4a4c57"  # small grey print: the disclaimer, key numbers, notes, a box's quotes
    muted: str = "#555"  # presenter mode's step line and notes, the quiz's "question n of m"
    quote_text: str = "#333"  # presenter mode's article quotes
    # Lines: Streamlit's default text colour, faint
    rule: str = "rgba(49,51,63,0.15)"  # under each table row
    box_border: str = "rgba(49,51,63,0.2)"  # round a box or a card
    # "Our reading": the same purple as the figures' reading notes; on the projector and the printed
    # card every badge is in it
    reading: str = Style.reading
    reading_fill: str = "#ece6f5"
    present_mark_fill: str = "#ede7f6"  # presenter mode's badges
    # Where the articles differ from each other (a badge, a compare row) or your protocol from them
    differ_text: str = "#7a3e00"  # also an entry another article disputes, on the card
    differ_fill: str = "#fff0d9"
    # A source card the articles disagree on: its tint, frame and "articles differ" mark
    conflict_fill: str = "rgba(255,164,33,0.10)"
    conflict_border: str = "rgba(255,164,33,0.6)"
    conflict_text: str = "#8f4a00"  # 4.5:1 on the card's tint (axe-core)
    # A value the last control change moved
    changed_text: str = "#14532d"
    changed_fill: str = "#dff3e4"
    # Warnings: the same red as the figures' depth note (the safety line, the "deeper than the
    # standard points" badge, the card's disclaimer frame), a darker one for words on the pink fill,
    # for contraindications and for the card's disclaimer and warnings
    warning: str = Style.warning_text
    warning_dark: str = "#6b0d19"
    warning_fill: str = "#fde2e2"
    # The notice over the page about the link it was opened with
    notice_text: str = "#004280"
    notice_fill: str = "rgba(28,131,225,0.1)"
    # The printed session card
    print_text: str = "#14161c"  # the theme's textColor (.streamlit/config.toml), as on screen
    print_rule: str = "#ccc"  # the back view's frame and the table's rules
    print_footer_rule: str = "#999"
    # The join link's QR code
    qr_dark: str = "#000"
    qr_light: str = "#fff"


PAGE = Page()

# The font the exported pictures (PNG, SVG, the card PDF's picture) and the printed card are set in: the
# page's own, Source Sans. Kaleido's and the card's Chromium draw with the fonts installed on the server,
# not the page's web font, so make installs it there (deploy/install_fonts.py, from Streamlit's copy).
# Where it is missing, DejaVu Sans and Liberation Sans, which come with Debian's Chromium
# (fonts-dejavu-core, fonts-liberation); a generic family last. Single quotes: Plotly writes it into a
# double-quoted SVG attribute.
FILE_FONT = "'Source Sans', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"
