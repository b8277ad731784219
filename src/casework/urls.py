from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("mijn-werk/", views.my_work, name="my_work"),
    path("huishoudens/<int:household_pk>/zaak/", views.case_open, name="open"),
    path("werkbak/", views.werkbak, name="werkbak"),
    path("team/zaken/", views.team_cases, name="team_cases"),
    path("zaken/<int:pk>/", views.case_detail, name="detail"),
    path("zaken/<int:pk>/triage/", views.case_triage, name="triage"),
    path("zaken/<int:pk>/aanvraag/", views.case_aanvraag, name="aanvraag"),
    path("zaken/<int:pk>/status/", views.case_status, name="status"),
    path("zaken/<int:pk>/regisseur/", views.case_assign, name="assign"),
    path("zaken/<int:pk>/notitie/", views.case_note, name="note"),
    path("zaken/<int:pk>/evaluatie/", views.case_evaluate, name="evaluate"),
    path("zaken/<int:pk>/afsluiten/", views.case_close, name="close"),
    path("zaken/<int:pk>/heropenen/", views.case_reopen, name="reopen"),
    path("zaken/<int:pk>/opschalen/", views.case_escalate, name="escalate"),
    path("zaken/<int:pk>/afschalen/", views.case_deescalate, name="deescalate"),
    path("zaken/<int:pk>/betrokkenen/", views.case_involve, name="involve"),
    path("zaken/<int:pk>/betrokkenen/beeindigen/", views.case_involvement_end, name="involvement_end"),
    path("zaken/<int:pk>/adviesvraag/", views.consultation_ask, name="consult"),
    path("zaken/<int:pk>/wijzigingen/", views.case_history, name="history"),
    path("zaken/<int:pk>/wijzigen/", views.case_edit, name="edit"),
    path("adviesvragen/", views.consultations, name="consultations"),
    path("adviesvragen/<int:pk>/", views.consultation_detail, name="consultation"),
]
