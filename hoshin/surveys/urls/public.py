"""Public URLs of surveys, under /surveys/ (namespace ``surveys``)."""

from django.urls import path

from hoshin.surveys.views import public, public_results

app_name = "surveys"

urlpatterns = [
    path("", public.survey_list, name="list"),
    path("<int:survey_id>/", public.survey_answer, name="answer"),
    path("<int:survey_id>/thanks/", public.survey_thanks, name="thanks"),
    path("<int:survey_id>/results/", public_results.survey_results_page, name="results"),
]
