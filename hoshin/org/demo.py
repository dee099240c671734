"""An extension point of ``create_demo_users``: steps that higher apps add for the demo users.

A step is called once per run with the demo users just created or refreshed and returns lines
to print (e.g. ``hoshin.accounts`` gives the users whose role needs a second factor an
authenticator and prints its secret). Registered from an ``AppConfig.ready()``.
"""

from collections.abc import Callable

from hoshin.org.models import User

DemoUserStep = Callable[[list[User]], list[str]]
_steps: dict[str, DemoUserStep] = {}


def register_demo_user_step(name: str, step: DemoUserStep) -> None:
    """Run ``step(users)`` after the demo users are created (once per name)."""
    _steps[name] = step


def demo_user_steps() -> list[DemoUserStep]:
    return list(_steps.values())
