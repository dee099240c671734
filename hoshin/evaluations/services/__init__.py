"""Writes to evaluation data. Every service validates, writes atomically and is audited."""
