"""The Streamlit edge of acumap: one module per screen and the state they share. Everything they
show is computed by the acumap package (src/acumap), which never imports Streamlit."""
