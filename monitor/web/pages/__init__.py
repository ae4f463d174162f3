"""One module per page of the dashboard (SPEC §8)."""
