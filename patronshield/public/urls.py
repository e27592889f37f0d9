from django.urls import include, path

from . import views

app_name = "public"

pages = [
    path("rights/", views.rights_index, name="rights_index"),
    path("rights/sw.js", views.service_worker, name="service_worker"),
    path("rights/<str:code>/", views.rights_page, name="rights"),
    path(
        "rights/<str:code>/<str:kind>.pdf",
        views.rights_pdf,
        name="rights_pdf",
    ),
    path("resources/", views.resources, name="resources"),
    path("events/", views.events, name="events"),
    path("events.ics", views.events_ics, name="events_ics"),
    path("transparency/", views.transparency_report, name="transparency"),
    path(
        "transparency/<int:year>-Q<int:quarter>/",
        views.transparency_report,
        name="transparency_quarter",
    ),
    path("transparency.csv", views.transparency_csv, name="transparency_csv"),
]
# The deployment's library at the root; consortium members under /l/<slug>/.
urlpatterns = pages + [path("l/<slug:library>/", include(pages))]
