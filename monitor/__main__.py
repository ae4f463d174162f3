"""`python -m monitor`: the command line, as the scheduler starts it for each job run."""

from monitor.cli import main

main()
