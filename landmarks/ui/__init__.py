"""Streamlit-side helpers: caching at the UI boundary and shared page furniture."""
