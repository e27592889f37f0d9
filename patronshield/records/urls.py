from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/hold/", views.request_hold, name="hold"),
    path("<int:pk>/grant/", views.request_grant, name="grant"),
    path("<int:pk>/files/<int:fid>/", views.request_file, name="file"),
    path("<int:pk>/<slug:step>/", views.request_step, name="step"),
]
