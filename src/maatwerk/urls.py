from django.urls import path

from . import views

app_name = "maatwerk"

urlpatterns = [
    path("zaken/<int:case_pk>/maatwerk/", views.case_maatwerk, name="case"),
    path("maatwerk/", views.worklist, name="worklist"),
    path("maatwerk/adviezen/<int:pk>/", views.advice_detail, name="advice"),
    path("maatwerk/toewijzingen/", views.allocations, name="allocations"),
    path("maatwerk/toewijzingen/<int:pk>/bericht.xml", views.allocation_download, name="allocation_xml"),
    path("maatwerk/berichten/", views.messages_page, name="messages"),
    path("maatwerk/berichten/<int:pk>/", views.message_detail, name="message"),
    path("maatwerk/berichten/<int:pk>/bericht.xml", views.message_xml, name="message_xml"),
    path("maatwerk/verzoeken/", views.requests, name="requests"),
    path("maatwerk/verzoeken/<int:pk>/", views.request_detail, name="request"),
    path("maatwerk/kosten/", views.costs, name="costs"),
]
