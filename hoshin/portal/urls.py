from django.urls import path

from hoshin.portal import feeds, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/nodes/<int:node_id>/", views.node_detail, name="node"),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<int:department_id>/", views.department_detail, name="department"),
    path("feeds/", views.feed_list, name="feeds"),
    path("feeds/results.atom", feeds.results_feed, name="feed_results"),
    path("plans/<int:plan_id>/results.atom", feeds.plan_feed, name="plan_feed"),
    path(
        "departments/<int:department_id>/results.atom",
        feeds.department_feed,
        name="department_feed",
    ),
]
