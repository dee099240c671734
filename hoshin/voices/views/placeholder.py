"""Stand-in for views under construction (removed when every area has landed)."""

from django.http import HttpResponse


def not_ready(request, *args, **kwargs):
    return HttpResponse("準備中", status=501)
