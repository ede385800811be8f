"""acumap: the four articles on acupuncture for spinal osteochondrosis as checked data, a session
planner over them, and Plotly figures of the back. Never imports Streamlit."""

from acumap.data.errors import DataError
from acumap.data.loading import Knowledge, load_knowledge
from acumap.plan.planner import Plan, make_plan

__all__ = ["DataError", "Knowledge", "Plan", "load_knowledge", "make_plan"]
