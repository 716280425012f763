"""`python -m immstat` = the `immstat` command."""

from immstat.cli import main

main()
