from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("vragen/", views.questions, name="questions"),
    path("vragen/nieuw/", views.desk, name="desk"),
    path("vragen/zoek-inwoner/", views.resident_search, name="resident_search"),
    path("intake-wachtrij/", views.intake_queue, name="queue"),
    path("intake-wachtrij/<int:pk>/toewijzen/", views.intake_queue_assign, name="queue_assign"),
    path("verwijzen/", views.refer, name="refer"),
    path("verwijzen/bekendheidsvraag/", views.known_query, name="known_query"),
    path("verwijzingen/", views.referrals, name="referrals"),
    path("verwijzingen/<int:pk>/", views.referral_detail, name="referral"),
    path("bekendheidsvragen/", views.known_queries, name="known_queries"),
    path("hulp-vragen/", views.self_referral, name="self_referral"),
    path("hulp-vragen/verstuurd/", views.self_referral_thanks, name="self_referral_thanks"),
    path("beheer/partnersleutels/", views.partner_keys, name="partner_keys"),
    path("beheer/partnersleutels/<int:pk>/intrekken/", views.partner_key_revoke, name="partner_key_revoke"),
]
