"""The benchmark's baseline: the smallest page of the same kind as acumap, one slider and one
small Plotly chart that depends on it. Every measurement of acumap is compared with this page in
the same run, so the machine's noise is shared and the report gives ratios."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="baseline", layout="wide")

n = st.slider("Value", min_value=1, max_value=9, value=5, key="n")
xs = list(range(20))
ys = [round(math.sin(x / 3) * n, 4) for x in xs]
fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines+markers", name="line"))
fig.update_layout(title={"text": f"Baseline n = {n}"}, height=400, margin={"l": 40, "r": 10, "t": 48, "b": 40})
st.plotly_chart(fig, key="chart")
