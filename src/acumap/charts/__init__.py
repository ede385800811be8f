"""Plotly figures and what they need: the back view, the depth view, the session timeline, the course,
their text alternatives, hover texts that fit, tick labels that do not overlap, and the one kept
Chromium that draws a figure as an image.

Layer 3: imports from acumap.data, acumap.style, acumap.plan and acumap.protocol (an upload drawn over
the back view); never from acumap.teach beside it."""
