from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("mijn/", views.home, name="home"),
    path("mijn/inloggen/", views.sign_in_page, name="sign_in"),
    path("mijn/inloggen/digid/", views.start, name="start"),
    path("mijn/inloggen/terug/", views.callback, name="callback"),
    path("mijn/inloggen/onbekend/", views.unknown, name="unknown"),
    path("mijn/inloggen/niveau/", views.level_too_low, name="level_too_low"),
    path("mijn/uitgelogd/", views.signed_out, name="signed_out"),
    path("mijn/uitloggen/", views.sign_out_view, name="sign_out"),
    path("mijn/plan/<int:pk>/", views.plan, name="plan"),
    path("mijn/plan/<int:pk>/akkoord/", views.plan_agree, name="plan_agree"),
    path("mijn/plan/<int:pk>/wijziging/", views.plan_change, name="plan_change"),
    path("mijn/toestemmingen/", views.consents, name="consents"),
    path("mijn/toestemmingen/<int:pk>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("mijn/berichten/", views.messages_overview, name="messages"),
    path("mijn/berichten/<int:pk>/", views.thread, name="thread"),
    path("mijn/berichten/<int:pk>/melding/", views.message_notice, name="message_notice"),
    path("mijn/afspraken/<int:pk>/verzetten/", views.visit_move, name="visit_move"),
    path("mijn/dossier/", views.own_file, name="own_file"),
    path("mijn/dossier/<str:form>/", views.own_file_download, name="own_file_download"),
]

from . import rectification, report  # noqa: E402

urlpatterns += [
    path("mijn/verslag/<int:pk>/", report.report, name="report"),
    path("mijn/fout-melden/", rectification.rectification, name="rectification"),
]

from . import representation  # noqa: E402

urlpatterns += [
    path("mijn/namens/<int:pk>/", representation.switch, name="act_for"),
    path("mijn/namens/stoppen/", representation.switch_back, name="act_as_self"),
]

from . import consent  # noqa: E402

urlpatterns += [
    path("mijn/toestemmingen/nieuw/", consent.consent_give, name="consent_give"),
]
