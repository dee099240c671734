"""Field shapes and choices every finance table shares."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Money in the published tables is in 千円 (thousands of yen), whole numbers, signed (△ printed
# for minus by hoshin.lib.numbers). Bond amounts and their schedules are in yen (see debt.py).
MONEY = {"max_digits": 15, "decimal_places": 0}
# Ratios as the city prints them: percentages with up to 2 decimals (13.59 = 13.59%), or an
# index such as 財政力指数 0.853 (3 decimals).
RATE = {"max_digits": 8, "decimal_places": 3}


class ReportStatus(models.TextChoices):
    """Figures are first published as 速報 (preliminary) and later confirmed (確報)."""

    PRELIMINARY = "preliminary", _("速報値")
    FINAL = "final", _("確定値")
