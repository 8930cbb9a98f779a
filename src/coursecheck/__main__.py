"""``python -m coursecheck`` runs the command line."""

from coursecheck.cli import main

main()
