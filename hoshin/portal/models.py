"""The portal keeps no models of its own: the public-data version is in ``hoshin.changes``, moved
URLs in ``hoshin.plans``."""
