from django.urls import path

from . import views

app_name = "aftercare"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.review_page, name="review"),
    path("<int:pk>/debrief/", views.debrief, name="debrief"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("<int:pk>/present/", views.present, name="present"),
    path("<int:pk>/community/", views.community, name="community"),
    path("<int:pk>/statement/", views.statement, name="statement"),
    path("<int:pk>/programme/<slug:kind>/", views.programme, name="programme"),
    path("tasks/<int:tid>/done/", views.task_done, name="task_done"),
    path("checkin/<int:cid>/", views.checkin, name="checkin"),
]
