"""Supplier capability matchmaking for Vietnam's supporting-industry (CNHT) programme."""

__version__ = "0.1.0"
