"""``python -m zyklus`` runs the command line."""

from zyklus.cli import main

main()
