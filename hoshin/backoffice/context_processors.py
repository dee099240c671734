"""What the staff pages' frame needs on every page (the menu)."""

from django.utils.functional import SimpleLazyObject

from hoshin.org.roles import is_admin, is_planning_office


def staff_nav(request):
    # Lazy: portal pages never read it, so they never pay for the role lookup.
    return {
        "can_manage": SimpleLazyObject(lambda: is_planning_office(user=request.user)),
        "can_audit": SimpleLazyObject(lambda: is_admin(user=request.user)),
    }
