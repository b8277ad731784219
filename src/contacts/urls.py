from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("zaken/<int:case_pk>/contacten/nieuw/", views.contact_new, name="new"),
    path("zaken/<int:case_pk>/contacten/<int:pk>/afronden/", views.contact_done, name="done"),
    path("zaken/<int:case_pk>/contacten/<int:pk>/niet-doorgegaan/", views.contact_not_held, name="not_held"),
    path("zaken/<int:case_pk>/contacten/<int:pk>/corrigeren/", views.contact_correction, name="correct"),
    path("zaken/<int:case_pk>/contacten/terugkerend/", views.series_new, name="series_new"),
    path("zaken/<int:case_pk>/contacten/terugkerend/<int:pk>/stoppen/", views.series_stop, name="series_stop"),
    path("zaken/<int:case_pk>/berichten/", views.messages_page, name="messages"),
    path("zaken/<int:case_pk>/contacten/<int:pk>/verzetten/", views.contact_move, name="move"),
    path("berichten/", views.inbox, name="inbox"),
    path("zaken/<int:case_pk>/casusoverleg/", views.conference_new, name="conference_new"),
]
