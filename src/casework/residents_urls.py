from django.urls import path

from . import residents as views

app_name = "people"

urlpatterns = [
    path("inwoners/", views.search, name="search"),
    path("inwoners/nieuw/", views.resident_new, name="resident_new"),
    path("inwoners/<int:pk>/netwerk/", views.network_add, name="network_add"),
    path("inwoners/<int:pk>/wijzigen/", views.resident_edit, name="resident_edit"),
    path("netwerk/<int:pk>/wijzigen/", views.network_edit, name="network_edit"),
    path("huishoudens/<int:pk>/", views.household_detail, name="household"),
    path("huishoudens/<int:pk>/lid/", views.member_add, name="member_add"),
    path("huishoudens/<int:pk>/brp/", views.housemates, name="housemates"),
    path("huishoudens/<int:pk>/toestemming/", views.consents, name="consents"),
    path(
        "huishoudens/<int:pk>/toestemming/<int:consent_pk>/intrekken/", views.consent_withdraw, name="consent_withdraw"
    ),
]

from . import representation  # noqa: E402

urlpatterns += [
    path("huishoudens/<int:pk>/vertegenwoordiging/", representation.representations, name="representations"),
    path(
        "huishoudens/<int:pk>/vertegenwoordiging/<int:representation_pk>/beeindigen/",
        representation.representation_stop,
        name="representation_end",
    ),
]
