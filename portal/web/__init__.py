"""Shared HTTP pieces: the base layout, language choice, security headers, public pages."""
