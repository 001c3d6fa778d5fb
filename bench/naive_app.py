"""A Streamlit page holding only the naive map; run by the benchmark through AppTest.

The benchmark puts the inputs (raw counties, products, sites, bounds) into session state
before the first run, so the page only builds and sends the map, on every run.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from bench.naive import naive_map

INPUTS_KEY = "bench_naive_inputs"

raw_counties, products, sites, bounds = st.session_state[INPUTS_KEY]
st_folium(naive_map(raw_counties, products, sites, bounds), key="naive_map", height=640,
          use_container_width=True, returned_objects=[])  # fmt: skip
