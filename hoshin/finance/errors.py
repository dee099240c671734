"""The one error the finance services raise: its message is for the person who typed the figure."""


class FinanceError(ValueError):
    """A figure or a change that cannot be accepted; ``str()`` says what and why."""
