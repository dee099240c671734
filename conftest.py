"""Project-wide pytest fixtures."""

from pathlib import Path

import pytest

SEEDS_DIR = Path(__file__).resolve().parent.parent / "shared" / "seeds"
REFORM_SEED = SEEDS_DIR / "001_93b4eaf820d612a8.txt"
COMPREHENSIVE_SEED = SEEDS_DIR / "000_78a06c49d3f23c0e.txt"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Real hashing costs ~100 ms per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reform_seed_bytes() -> bytes:
    return REFORM_SEED.read_bytes()


@pytest.fixture
def comprehensive_seed_bytes() -> bytes:
    return COMPREHENSIVE_SEED.read_bytes()
