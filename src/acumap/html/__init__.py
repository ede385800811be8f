"""The screens' HTML: pure functions from plans and data to the strings the Streamlit screens (ui/)
hand to st.markdown — explore, presenter and the uploaded protocol's panel. Every word from the
strings files or the data, escaped here.

Layer 4: may import every layer below (data, style, plan, protocol, charts, teach); not output or
classroom beside it."""
