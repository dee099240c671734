"""Staff URLs of surveys, under /staff/surveys/ (namespace ``surveys_staff``)."""

from django.urls import path, re_path

from hoshin.surveys.views import staff, staff_results

app_name = "surveys_staff"

urlpatterns = [
    path("", staff.survey_list, name="list"),
    path("new/", staff.survey_create, name="create"),
    path("<int:survey_id>/", staff.survey_detail, name="detail"),
    path("<int:survey_id>/edit/", staff.survey_edit, name="edit"),
    re_path(
        r"^(?P<survey_id>[0-9]+)/(?P<action>publish|unpublish|close|new-version|delete)/$",
        staff.survey_action,
        name="action",
    ),
    path("<int:survey_id>/sections/new/", staff.section_form, name="section_create"),
    path("<int:survey_id>/sections/<int:section_id>/", staff.section_form, name="section_edit"),
    path(
        "<int:survey_id>/sections/<int:section_id>/delete/",
        staff.section_delete,
        name="section_delete",
    ),
    path("<int:survey_id>/questions/new/", staff.question_form, name="question_create"),
    path("<int:survey_id>/questions/<int:question_id>/", staff.question_form, name="question_edit"),
    path(
        "<int:survey_id>/questions/<int:question_id>/delete/",
        staff.question_delete,
        name="question_delete",
    ),
    path("<int:survey_id>/invitations/", staff.invitations, name="invitations"),
    path("<int:survey_id>/invitations.csv", staff.invitations_csv, name="invitations_csv"),
    path("<int:survey_id>/results/", staff_results.results, name="results"),
    path(
        "<int:survey_id>/results/questions/<int:question_id>/texts/",
        staff_results.texts,
        name="texts",
    ),
    path("<int:survey_id>/export/", staff_results.export, name="export"),
]
