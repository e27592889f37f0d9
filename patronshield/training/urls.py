from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    path("module/<slug:slug>/", views.module_page, name="module"),
    path("drill/<slug:scenario>/", views.drill_page, name="drill"),
    path("drills/<int:pk>/finish/", views.drill_finish, name="drill_finish"),
    path("drills/<int:pk>/", views.drill_result, name="drill_result"),
]
