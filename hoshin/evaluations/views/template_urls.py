from django.urls import path

from hoshin.evaluations.views import template_config

urlpatterns = [
    path(
        "plans/<int:plan_id>/evaluation-template/",
        template_config.template_config,
        name="template_config",
    ),
    path(
        "plans/<int:plan_id>/evaluation-template/reset/",
        template_config.template_reset,
        name="template_reset",
    ),
    path("unit-costs/", template_config.unit_costs, name="unit_costs"),
]
