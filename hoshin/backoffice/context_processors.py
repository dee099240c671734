"""What the staff pages' frame needs on every page (the menu)."""

from django.utils.functional import SimpleLazyObject

from hoshin.backoffice.permissions import can_manage_plans


def staff_nav(request):
    # Lazy: portal pages never read it, so they never pay for the role lookup.
    return {"can_manage": SimpleLazyObject(lambda: can_manage_plans(request.user))}
