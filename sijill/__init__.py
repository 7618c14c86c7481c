"""Sijill: documentation, witness protection, record linkage and casualty estimation."""

__version__ = "0.1.0"
