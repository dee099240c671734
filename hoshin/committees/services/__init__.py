"""Writes of the committee app, one module per topic (``register``, ``selection``, ``scoring``,
``results``); each validates, writes inside ``transaction.atomic`` and records an audit entry
last. Errors are in ``errors``."""
