"""The `monitor` commands: one module each, loaded by `monitor.cli` when they run."""
