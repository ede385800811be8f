"""acumap: the four articles on acupuncture for spinal osteochondrosis as checked data, a session
planner over them, and Plotly figures of the back. Never imports Streamlit."""

from acumap.errors import DataError
from acumap.loading import Knowledge, load_knowledge
from acumap.planner import Plan, make_plan

__all__ = ["DataError", "Knowledge", "Plan", "load_knowledge", "make_plan"]
