"""The session plan and its texts: the planner (one region x method x stage from the articles'
statements only), how its values read (formatting, citing), the standard points placed in a zone,
their usual depth, the patient checklist and the panels' plain values (presenting).

Layer 1: imports from acumap.data and acumap.style only."""
