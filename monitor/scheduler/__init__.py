"""The scheduler (`monitor schedule`): jobs, their runs in child processes, the lock."""
