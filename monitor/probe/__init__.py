"""Availability probe of the home and key pages (the national 15-second rule)."""
