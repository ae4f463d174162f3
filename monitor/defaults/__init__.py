"""Defaults that ship with the product, read through `monitor.resources`: the alert and
report text templates (`templates/`, which an office's `templates_dir` can override file
by file) and the default 口语化/敏感 expression dictionary (`expressions.yaml`)."""
