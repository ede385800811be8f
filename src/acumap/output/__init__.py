"""Files to take away: the plan as CSV, the back view as PNG, SVG or PDF, and the printable session
card. Pure functions: a plan or a figure in, text or bytes out.

Layer 4: may import every layer below (data, style, plan, protocol, charts, teach); not html or
classroom beside it."""
