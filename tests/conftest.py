"""Shared fixtures. The real services themselves come from ``tests/services_plugin.py``."""
