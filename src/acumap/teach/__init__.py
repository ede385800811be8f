"""Teaching: presenter mode's lesson, the seeded quiz made from the planner, and links to a view (the
page's controls as URL parameters, the lesson step among them).

Layer 3: imports from acumap.data, acumap.style, acumap.plan and acumap.protocol; never from
acumap.charts beside it."""
