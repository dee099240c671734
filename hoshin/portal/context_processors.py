"""Values every page template needs."""

from django.conf import settings


def site(request):
    return {"city_name": settings.HOSHIN_CITY_NAME}
