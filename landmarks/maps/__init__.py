"""Folium map builders; their JavaScript and CSS live beside them as files."""
