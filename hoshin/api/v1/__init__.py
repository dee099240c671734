"""Version 1 of the API (``/api/v1/``)."""
