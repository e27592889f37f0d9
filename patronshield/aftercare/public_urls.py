from django.urls import path

from . import public_views

app_name = "statements"
urlpatterns = [
    path("statements/", public_views.statements, name="list"),
    path("statements.atom", public_views.statements_feed, name="feed"),
    path("l/<slug:library>/statements.atom", public_views.statements_feed, name="feed"),
    path("statements/<str:code>/", public_views.statements_in, name="list_in"),
    path("l/<slug:library>/statements/", public_views.statements, name="list"),
    path("l/<slug:library>/statements/<str:code>/", public_views.statements_in, name="list_in"),
]
