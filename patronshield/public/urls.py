from django.urls import include, path

from . import views

app_name = "public"

# Each page in the reader's language at <page>/<code>/; without a code, in the browser's.
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
    path("resources/<str:code>/", views.resources_in, name="resources_in"),
    path("events/", views.events, name="events"),
    path("events/<str:code>/", views.events_in, name="events_in"),
    path("events.ics", views.events_ics, name="events_ics"),
    path("transparency/", views.transparency_report, name="transparency"),
    path(
        "transparency/<int:year>-Q<int:quarter>/",
        views.transparency_report,
        name="transparency_quarter",
    ),
    path("transparency/<str:code>/", views.transparency_in, name="transparency_in"),
    path(
        "transparency/<str:code>/<int:year>-Q<int:quarter>/",
        views.transparency_in,
        name="transparency_quarter_in",
    ),
    path("transparency.csv", views.transparency_csv, name="transparency_csv"),
    path("transparency.json", views.transparency_json, name="transparency_json"),
    path("canary.json", views.canary_json, name="canary_json"),
    path(".well-known/patronshield-key.txt", views.public_key, name="public_key"),
]
# The deployment's library at the root; consortium members under /l/<slug>/.
urlpatterns = pages + [path("l/<slug:library>/", include(pages))]
