"""Writes to citizens' voices. Every service validates, writes atomically and is audited."""
