"""The scheduler's tests run the evaluation cycle's jobs on the same small world."""

from hoshin.evaluations.tests.test_cycle_commands import due_world, world  # noqa: F401
