"""Caching of public pages (placeholder until the page cache lands: browser caching only)."""

from django.views.decorators.cache import cache_control

public_page = cache_control(public=True, max_age=60)
