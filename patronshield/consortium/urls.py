from django.urls import path

from . import views

app_name = "consortium"
urlpatterns = [
    path("", views.page, name="page"),
    path("settings/", views.settings_page, name="settings"),
]
