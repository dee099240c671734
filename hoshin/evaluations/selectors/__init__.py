"""Reads of evaluation data. Public reads go through ``public.py`` only."""
