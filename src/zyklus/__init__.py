"""zyklus: run a city's social planning cycle (Zyklus der Sozialplanung) from git."""

__version__ = "0.1.0"
