"""`python -m immstat` = the `immstat` command."""

from .cli import main

main()
