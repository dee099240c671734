"""Public portal pages (placeholder until the portal is built)."""

from django.http import HttpResponse


def home(request):
    return HttpResponse("hoshin")


plan_detail = action_detail = department_list = department_detail = home
