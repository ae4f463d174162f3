"""The monitor's rules as pure functions (SPEC §4): plain typed inputs in, findings out.

Nothing here opens a database, makes a request or reads the config; callers pass the facts.
"""
