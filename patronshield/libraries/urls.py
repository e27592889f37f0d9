from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("", views.show, name="show"),
    path("draft/", views.draft, name="draft"),
    path("<int:number>/", views.version_page, name="version"),
    path("<int:number>.pdf", views.version_pdf, name="pdf"),
    path("<int:number>/adopt/", views.adopt, name="adopt"),
    path("card/<int:branch>/<str:language>.pdf", views.desk_card, name="card"),
]
