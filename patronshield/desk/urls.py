from django.urls import path

from . import document_views, panel_views, record_views, views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("desk/start/", views.start, name="start"),
    path("desk/access/", views.access_log, name="access_log"),
    path("desk/<int:pk>/", views.result, name="result"),
    path("desk/<int:pk>/status/", views.status, name="status"),
    path("desk/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("desk/<int:pk>/check/", document_views.upload, name="upload"),
    path("desk/<int:pk>/check/<int:cid>/", document_views.result, name="check"),
    path("desk/<int:pk>/check/<int:cid>/confirm/", document_views.confirm, name="confirm"),
    path("desk/<int:pk>/check/<int:cid>/progress/", document_views.progress, name="check_progress"),
    path("desk/<int:pk>/checklist/", document_views.checklist, name="checklist"),
    *record_views.urlpatterns,
    *panel_views.urlpatterns,
    path("desk/<int:pk>/<slug:step>/", views.step, name="step"),
]
