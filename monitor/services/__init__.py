"""Services: the judgements the office publishes, computed from storage with the pure rules.

Each module turns recorded facts into one product (a unit's check, the figures, the problem
life, an export). The command line is a thin layer over them.
"""
