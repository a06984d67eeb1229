"""Helpers shared by several drivers (unit-file writing, safe words); not a driver."""
