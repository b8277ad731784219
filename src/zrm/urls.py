from django.urls import path

from . import views

app_name = "zrm"

urlpatterns = [
    path("zaken/<int:case_pk>/zrm/", views.assessment_new, name="new"),
]
