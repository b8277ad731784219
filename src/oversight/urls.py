from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.review, name="review"),
    path("privacy/toegangslog/", views.log, name="log"),
    path("privacy/toegangslog/controle/", views.log_check, name="log_check"),
    path("privacy/doorbreken/<int:case_pk>/", views.break_glass, name="break_glass"),
    path("privacy/doorbraken/", views.break_glass_list, name="break_glass_list"),
    path("privacy/doorbraken/<int:pk>/beoordeeld/", views.break_glass_review, name="break_glass_review"),
    path("privacy/inzage/", views.requests, name="requests"),
    path("privacy/inzage/<int:pk>/", views.resident_request, name="resident"),
    path("privacy/inzage/<int:pk>/correctie/", views.resident_rectify, name="rectify"),
    path("privacy/inzage/<int:pk>/dossier.pdf", views.resident_request_pdf, name="resident_pdf"),
    path("privacy/inzage/<int:pk>/dossier.json", views.resident_request_json, name="resident_json"),
]

urlpatterns += [
    path(
        "privacy/inzage/<int:pk>/fout/<int:request_pk>/beantwoorden/",
        views.rectification_answer,
        name="rectification_answer",
    ),
]
