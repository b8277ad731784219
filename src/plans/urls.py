from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("zaken/<int:case_pk>/gesprek/", views.conversation_new, name="conversation_new"),
    path("zaken/<int:case_pk>/gesprekken/<int:pk>/", views.conversation_detail, name="conversation"),
    path(
        "zaken/<int:case_pk>/gesprekken/<int:pk>/corrigeren/", views.conversation_correct, name="conversation_correct"
    ),
    path("zaken/<int:case_pk>/gesprekken/<int:pk>/verslag.pdf", views.conversation_pdf, name="conversation_pdf"),
    path("huishoudens/<int:household_pk>/plan/", views.plan_detail, name="plan"),
    path("huishoudens/<int:household_pk>/plan/starten/", views.plan_start, name="start"),
    path("huishoudens/<int:household_pk>/plan/versies/", views.plan_versions, name="versions"),
    path("huishoudens/<int:household_pk>/plan/plan.pdf", views.plan_pdf, name="pdf"),
    path("huishoudens/<int:household_pk>/plan/<slug:part>/", views.plan_edit, name="edit"),
    path("huishoudens/<int:household_pk>/plan/<slug:part>/<int:item_pk>/", views.plan_edit, name="edit_item"),
]
