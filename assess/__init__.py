"""Provides assess: structured assessments of organized crime in conflict and fragile settings."""

__version__ = "0.1.0"
