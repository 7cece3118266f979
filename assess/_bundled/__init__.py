"""Provides the bundled frameworks, schemas and templates as package data (links to the checkout's folders)."""
