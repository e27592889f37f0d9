from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("desk/start/", views.start, name="start"),
    path("desk/<int:pk>/", views.result, name="result"),
    path("desk/<int:pk>/<slug:step>/", views.step, name="step"),
]
