"""What the staff pages' frame needs on every page (the menu)."""

from django.utils.functional import SimpleLazyObject

from hoshin.accounts.selectors import request_fully_signed_in
from hoshin.backoffice.menu import ACCOUNT_MENU, menu_for
from hoshin.org.roles import is_admin, is_planning_office


def staff_nav(request):
    # Lazy: portal pages never read it, so they never pay for the role lookup.
    return {
        "can_manage": SimpleLazyObject(lambda: is_planning_office(user=request.user)),
        "can_administer": SimpleLazyObject(lambda: is_admin(user=request.user)),
        # The menu waits until the second step (if any) is passed: its pages would only send
        # the user back to the step.
        "fully_signed_in": SimpleLazyObject(lambda: request_fully_signed_in(request)),
        # Only the pages this user may open (the views' own role checks: backoffice.menu).
        "staff_menu": SimpleLazyObject(lambda: menu_for(user=request.user)),
        "staff_account_menu": SimpleLazyObject(
            lambda: menu_for(user=request.user, entries=ACCOUNT_MENU)
        ),
    }
