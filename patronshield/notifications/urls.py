from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("ack/<str:token>/", views.ack, name="ack"),
    path("api/alert", views.alert, name="alert"),
    path("healthz", views.healthz, name="healthz"),
    path("twilio/status", views.twilio_status, name="twilio_status"),
    path("twilio/gather/<str:token>", views.twilio_gather, name="twilio_gather"),
]
