"""Every URL of the project, requested by every role and anonymously, against one table of what
each must get (issue 6).

``EXPECTED`` below is that table. ``test_the_table_covers_every_url`` walks the URL configuration:
a URL without a row fails with its name (so does a new view), and so does a row whose URL is gone.
``test_every_role_gets_what_the_table_says`` builds one small world, requests every row as every
role and reports every difference at once, with the row as it was observed.

Write a row from the access rules in docs/privacy.md ("Who sees what"), never by copying what a
view happens to answer. A cell is an HTTP status, or:

    login   302 to the sign-in page (anonymous, or a partner key, on a staff page)
    card    403 with the case's minimal card and the form to state a reason (break the glass); the
            gate logs it as "minimal card". The API answers the same 403 as a problem.

A plain 403 means the role has no use for the page; it is the same for every record, so it
confirms nothing. A 404 means the user has no reason to know the record exists: another team's
dossier is 404, never 403. API errors must be RFC 9457 problems (application/problem+json).

Pages are requested with GET; a URL whose POST is its point (a view that only accepts POST, or a
write API) has a POST row, sent empty (the test client does not enforce CSRF; the API gets ``{}``
as JSON): 400 is what a permitted user gets for the empty form, 403/404 who may not. Every
request runs in a transaction that is rolled back (the views' own ``transaction.atomic`` blocks
become savepoints inside it) and the client's cookies are put back after it, so no request changes
what the next one sees. The Django admin is represented by its index, its login and one changelist;
static files are served by WhiteNoise outside the URL configuration and are public.
"""

import logging
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from cases.models import CaseInvolvement, Consultation
from conftest import login
from contacts.factories import ContactFactory
from contacts.models import ContactSeries, ContactStatus
from insights.models import Figure, RegionKind
from insights.services import initiative_start, signal_forward, signal_raise
from intake.models import PartnerToken, Referral, ReferralSource
from maatwerk.factories import IndicationAdviceFactory, beschikker_of, customised_provision
from maatwerk.models import Allocation, AllocationRequest, MessageKind
from maatwerk.services import decision_make
from partners.factories import OrganisationFactory
from partners.models import PartnerContact
from people.factories import NetworkMemberFactory, household_in, valid_bsn
from people.models import Representation, RepresentationKind
from plans.models import Action, Arrangement, Conversation, Goal, Source
from plans.services import plan_start
from portal.factories import resident_client
from privacy.factories import ConsentFactory
from privacy.models import AccessLog, BreakGlass, RectificationRequest
from provisions.factories import ProvisionFactory
from provisions.models import ProvisionReferral
from zrm.models import LifeDomain

# The columns: who asks. Every signed-in user has passed both sign-in steps. "The case" is one
# case of team A (district A) with a household, a plan, contacts, an advice with its decision and
# allocation, a referral to a provision; see subjects() below.
WHO = {
    "anon": "not signed in",
    "regie": "social worker of team A, regisseur of the case",
    "mate": "social worker of team A, not on the case (sees its minimal card, may break the glass)",
    "other": "social worker of team B, which serves another district",
    "lead": "team leader of team A",
    "besch": "beschikker (decision maker) of the municipality",
    "policy": "policy officer of the municipality; the signal is forwarded to them",
    "fg": "privacy officer of the municipality (functionaris gegevensbescherming)",
    "admin": "functional administrator: staff in the Django admin, may view and change users",
    "ref": "referrer: a GP of a partner organisation, signed in; made the intake referral",
    "key": "the GP practice's system with its partner API key, no session",
    "res": "a resident signed in to Mijn Wijkteam with DigiD, of another household than the case's",
}
ROLES = tuple(WHO)

EXPECTED = """
url name                               how   anon  regie mate  other lead  besch policy fg    admin ref   key   res

# --- Public pages, signing in
home                                   GET   login 302   302   302   302   302   302    302   302   302   login login
healthz                                GET   200   200   200   200   200   200   200    200   200   200   200   200
accessibility                          GET   200   200   200   200   200   200   200    200   200   200   200   200
set_language                           POST  302   302   302   302   302   302   302    302   302   302   302   302
accounts:login                         GET   200   302   302   302   302   302   302    302   302   302   200   200
accounts:logout                        POST  login login login login login login login  login login login login login
accounts:twofactor                     GET   login 302   302   302   302   302   302    302   302   302   login login
# after both steps a user may enrol another authenticator app (a new phone), after signing in again
# on this page (password and code)
accounts:twofactor_setup               GET   login 200   200   200   200   200   200    200   200   200   login login
# every signed-in user changes their own password (the rules beside the field)
accounts:password_change               GET   login 200   200   200   200   200   200    200   200   200   login login
# single sign-on: off unless configured, so 404 here; with a real provider in accounts/tests/test_sso.py
accounts:sso                           GET   404   404   404   404   404   404   404    404   404   404   404   404
accounts:sso_callback                  GET   404   404   404   404   404   404   404    404   404   404   404   404

# --- Residents and households (people)
# residents and households of the team's districts: who lives there, which cases (the desk)
people:search                          GET   login 200   200   200   200   403   403    403   403   403   login login
people:resident_new                    GET   login 200   200   200   200   403   403    403   403   403   login login
# the network is dossier: the minimal card for a team member not on the household's case
people:network_add                     GET   login 200   card  404   200   403   403    403   403   403   login login
people:network_edit                    GET   login 200   card  404   200   403   403    403   403   403   login login
people:household                       GET   login 200   200   404   200   403   403    403   403   403   login login
people:member_add                      GET   login 200   200   404   200   403   403    403   403   403   login login
# who lives at the address according to the BRP: as adding a member by hand
people:housemates                      GET   login 200   200   404   200   403   403    403   403   403   login login
# personal data are registration, as at the desk; consent to share is dossier
people:resident_edit                   GET   login 200   200   404   200   403   403    403   403   403   login login
people:consents                        GET   login 200   card  404   200   403   403    403   403   403   login login
people:consent_withdraw                POST  login 400   card  404   400   403   403    403   403   403   login login
# representatives for Mijn Wijkteam (parent, curator, bewindvoerder, mentor): dossier, as consents
people:representations                 GET   login 200   card  404   200   403   403    403   403   403   login login
people:representation_end              POST  login 302   card  404   302   403   403    403   403   403   login login

# --- Cases
# the casework roles' start page; every other role is sent on to its own (User.home_url)
cases:my_work                          GET   login 200   200   200   200   302   302    302   302   302   login login
# the open cases of one's own teams, one row per resident (names, as on the work queue)
cases:team_cases                       GET   login 200   200   200   200   403   403    403   403   403   login login
cases:open                             GET   login 200   200   404   200   403   403    403   403   403   login login
cases:werkbak                          GET   login 200   200   200   200   403   403    403   403   403   login login
# the dossier: its regisseur and its team leader; the team member not on it sees the card
cases:detail                           GET   login 200   card  404   200   403   403    403   403   403   login login
cases:history                          GET   login 200   card  404   200   403   403    403   403   403   login login
cases:edit                             GET   login 200   card  404   200   403   403    403   403   403   login login
cases:triage                           GET   login 200   card  404   200   403   403    403   403   403   login login
cases:aanvraag                         POST  login 400   card  404   400   403   403    403   403   403   login login
cases:status                           POST  login 400   card  404   400   403   403    403   403   403   login login
cases:assign                           POST  login 400   card  404   400   403   403    403   403   403   login login
cases:note                             POST  login 400   card  404   400   403   403    403   403   403   login login
cases:close                            GET   login 200   card  404   200   403   403    403   403   403   login login
cases:evaluate                         GET   login 200   card  404   200   403   403    403   403   403   login login
cases:reopen                           POST  login 400   card  404   400   403   403    403   403   403   login login
cases:escalate                         GET   login 200   card  404   200   403   403    403   403   403   login login
cases:deescalate                       POST  login 400   card  404   400   403   403    403   403   403   login login
cases:involve                          GET   login 200   card  404   200   403   403    403   403   403   login login
cases:involvement_end                  GET   login 200   card  404   200   403   403    403   403   403   login login
cases:consult                          GET   login 200   card  404   200   403   403    403   403   403   login login
cases:consultations                    GET   login 200   200   200   200   403   403    403   403   403   login login
# a question to a colleague: who asked it and who it is addressed to (someone else, in team B)
cases:consultation                     GET   login 200   404   404   404   403   403    403   403   403   login login

# --- Follow-up (contacts), ZRM, conversations and the plan
# every page of the dossier shows the card to a team member not on the case
contacts:new                           GET   login 200   card  404   200   403   403    403   403   403   login login
contacts:done                          GET   login 200   card  404   200   403   403    403   403   403   login login
contacts:correct                       GET   login 200   card  404   200   403   403    403   403   403   login login
contacts:not_held                      POST  login 302   card  404   302   403   403    403   403   403   login login
contacts:series_new                    GET   login 200   card  404   200   403   403    403   403   403   login login
contacts:series_stop                   POST  login 302   card  404   302   403   403    403   403   403   login login
contacts:conference_new                GET   login 200   card  404   200   403   403    403   403   403   login login
# the thread with the resident (Mijn Wijkteam): whoever may open the dossier; moving a visit from it
contacts:messages                      GET   login 200   card  404   200   403   403    403   403   403   login login
contacts:move                          POST  login 400   card  404   400   403   403    403   403   403   login login
# the unread messages addressed to the user (their own cases; a team leader's cases without regisseur)
contacts:inbox                         GET   login 200   200   200   200   403   403    403   403   403   login login
zrm:new                                GET   login 200   card  404   200   403   403    403   403   403   login login
plans:conversation_new                 GET   login 200   card  404   200   403   403    403   403   403   login login
plans:conversation                     GET   login 200   card  404   200   403   403    403   403   403   login login
plans:conversation_correct             GET   login 200   card  404   200   403   403    403   403   403   login login
plans:conversation_pdf                 GET   login 200   card  404   200   403   403    403   403   403   login login
plans:plan                             GET   login 200   card  404   200   403   403    403   403   403   login login
plans:start                            POST  login 302   card  404   302   403   403    403   403   403   login login
plans:versions                         GET   login 200   card  404   200   403   403    403   403   403   login login
plans:pdf                              GET   login 200   card  404   200   403   403    403   403   403   login login
plans:edit                             GET   login 200   card  404   200   403   403    403   403   403   login login
plans:edit_item                        GET   login 200   card  404   200   403   403    403   403   403   login login

# --- Privacy: break the glass, the access review, the resident's file
# the access log and the resident's file: the privacy officer only
privacy:review                         GET   login 403   403   403   403   403   403    200   403   403   login login
privacy:log                            GET   login 403   403   403   403   403   403    200   403   403   login login
privacy:log_check                      GET   login 403   403   403   403   403   403    200   403   403   login login
# state a reason: 400 when empty; who may already open the dossier is sent to it (302)
privacy:break_glass                    POST  login 302   400   404   302   403   403    403   403   403   login login
# openings with a reason: reviewed by the team leader, and by the privacy officer when late
privacy:break_glass_list               GET   login 403   403   403   200   403   403    200   403   403   login login
privacy:break_glass_review             POST  login 403   403   403   302   403   403    302   403   403   login login
privacy:requests                       GET   login 403   403   403   403   403   403    200   403   403   login login
privacy:resident                       GET   login 403   403   403   403   403   403    200   403   403   login login
privacy:rectify                        GET   login 403   403   403   403   403   403    200   403   403   login login
# the privacy officer answers a resident's report of a mistake (from Mijn Wijkteam)
privacy:rectification_answer           POST  login 403   403   403   403   403   403    400   403   403   login login
privacy:resident_pdf                   GET   login 403   403   403   403   403   403    200   403   403   login login
privacy:resident_json                  GET   login 403   403   403   403   403   403    200   403   403   login login

# --- Maatwerk: advice, decision, allocation
# the team's advice on the case is dossier; the beschikker works from the advice itself
maatwerk:case                          GET   login 200   card  404   200   403   403    403   403   403   login login
maatwerk:worklist                      GET   login 403   403   403   403   200   403    403   403   403   login login
maatwerk:advice                        GET   login 200   card  404   200   200   403    403   403   403   login login
# the decision: the beschikker's, on an open advice (this one is decided: 405 for who may see it)
maatwerk:advice                        POST  login 405   card  404   405   405   403    403   403   403   login login
maatwerk:allocations                   GET   login 403   403   403   403   200   403    403   403   403   login login
# the WMO301 message holds the BSN: the dossier rule, and the beschikker's
maatwerk:allocation_xml                GET   login 200   card  404   200   200   403    403   403   403   login login
# messages with providers: the beschikker; the functional administrator (contract management)
# sees the traffic per provider without clients' data, never a message itself
maatwerk:messages                      GET   login 403   403   403   403   200   403    403   200   403   login login
maatwerk:message                       GET   login 403   403   403   403   200   403    403   403   403   login login
maatwerk:message_xml                   GET   login 403   403   403   403   200   403    403   403   403   login login
maatwerk:requests                      GET   login 403   403   403   403   200   403    403   403   403   login login
maatwerk:request                       GET   login 403   403   403   403   200   403    403   403   403   login login
# costs against budget: aggregates
maatwerk:costs                         GET   login 403   403   403   200   200   200    403   200   403   login login

# --- Social map and smoelenboek
# the social map and the smoelenboek: every professional; no residents' data
provisions:social_map                  GET   login 200   200   200   200   200   200    200   200   200   login login
provisions:providers                   GET   login 200   200   200   200   200   200    200   200   200   login login
provisions:follow_ups                  GET   login 200   200   200   200   403   403    403   403   403   login login
# whether a referral worked goes into the dossier: who referred, or who may open the case
provisions:outcome                     POST  login 302   card  404   302   403   403    403   403   403   login login
provisions:refer                       GET   login 200   card  404   200   403   403    403   403   403   login login
provisions:public                      GET   200   200   200   200   200   200   200    200   200   200   200   200
# the catalogue's import and export: the functional administrator
provisions:catalogue                   GET   login 403   403   403   403   403   403    403   200   403   login login
provisions:catalogue_csv               GET   login 403   403   403   403   403   403    403   200   403   login login
provisions:catalogue_xlsx              GET   login 403   403   403   403   403   403    403   200   403   login login
partners:directory                     GET   login 200   200   200   200   200   200    200   200   200   login login
partners:photo                         GET   login 200   200   200   200   200   200    200   200   200   login login

# --- Neighbourhood figures, signals, initiatives, management information
# aggregates, small counts suppressed: casework roles and the policy officer, never a dossier
insights:districts                     GET   login 200   200   200   200   403   200    403   403   403   login login
insights:area_scans                    GET   login 200   200   200   200   403   200    403   403   403   login login
insights:map                           GET   login 200   200   200   200   403   200    403   403   403   login login
insights:map_data                      GET   login 200   200   200   200   403   200    403   403   403   login login
insights:district                      GET   login 200   200   200   200   403   200    403   403   403   login login
insights:district_export               GET   login 200   200   200   200   403   200    403   403   403   login login
insights:signals                       GET   login 200   200   200   200   403   200    403   403   403   login login
# practice signals: the team that raised them; the policy officer they are forwarded to
insights:signal_new                    GET   login 200   200   200   200   403   403    403   403   403   login login
insights:signal                        GET   login 200   200   404   200   403   200    403   403   403   login login
insights:signal                        POST  login 403   403   404   403   403   400    403   403   403   login login
insights:initiatives                   GET   login 200   200   200   200   403   200    403   403   403   login login
# neighbourhood initiatives: started by a team leader; everyone sees the suppressed reach
insights:initiative_new                GET   login 403   403   403   200   403   403    403   403   403   login login
insights:initiative                    GET   login 200   200   200   200   403   200    403   403   403   login login
# the team leader's overview (start page) of the teams they lead; another team's is 404
insights:team_overview                 GET   login 403   403   403   200   403   403    403   403   403   login login
insights:team_overview_of              GET   login 403   403   403   200   403   403    403   403   403   login login
# the households that may join: open cases the user may see, for the initiative's team (team A)
insights:initiative_households         GET   login 200   200   403   200   403   403    403   403   403   login login
# management information: team leaders and policy officers
insights:management                    GET   login 403   403   403   200   403   200    403   403   403   login login
insights:management_export             GET   login 403   403   403   200   403   200    403   403   403   login login

# --- Intake: desk, referrals, bekendheidsvraag, self-referral
# the desk and the team's inbox of referrals
intake:questions                       GET   login 200   200   200   200   403   403    403   403   403   login login
intake:desk                            GET   login 200   200   200   200   403   403    403   403   403   login login
intake:resident_search                 GET   login 200   200   200   200   403   403    403   403   403   login login
# the municipal intake queue: the desk and the team leaders see it; only a leader assigns a team
intake:queue                           GET   login 200   200   200   200   403   403    403   403   403   login login
intake:queue_assign                    POST  login 403   403   403   302   403   403    403   403   403   login login
# the partner's pages: refer someone, ask whether a household is known (yes/no, logged)
intake:refer                           GET   login 403   403   403   403   403   403    403   403   200   login login
intake:known_query                     GET   login 403   403   403   403   403   403    403   403   200   login login
intake:referrals                       GET   login 200   200   200   200   403   403    403   403   403   login login
intake:referral                        GET   login 200   200   404   200   403   403    403   403   403   login login
intake:known_queries                   GET   login 200   200   200   200   403   403    403   403   403   login login
# partner API keys: issued, listed and revoked by the functional administrator (another
# municipality's key is 404: src/intake/tests/test_partner_keys.py)
intake:partner_keys                    GET   login 403   403   403   403   403   403    403   200   403   login login
intake:partner_key_revoke              POST  login 403   403   403   403   403   403    403   302   403   login login
# functional administration of the own municipality (another municipality's records are 404:
# src/administration/tests/test_administration.py)
administration:index                   GET   login 403   403   403   403   403   403    403   200   403   login login
administration:users                   GET   login 403   403   403   403   403   403    403   200   403   login login
administration:user_new                GET   login 403   403   403   403   403   403    403   200   403   login login
administration:user                    GET   login 403   403   403   403   403   403    403   200   403   login login
administration:user_action             POST  login 403   403   403   403   403   403    403   302   403   login login
administration:section                 GET   login 403   403   403   403   403   403    403   200   403   login login
administration:section_new             GET   login 403   403   403   403   403   403    403   200   403   login login
administration:section_edit            GET   login 403   403   403   403   403   403    403   200   403   login login
# the resident's own form asking for help: public
intake:self_referral                   GET   200   200   200   200   200   200   200    200   200   200   200   200
intake:self_referral_thanks            GET   200   200   200   200   200   200   200    200   200   200   200   200

# --- API (RFC 9457 problems)
# the casework API answers as the pages do; anonymous: 403 (session authentication only)
people_api:resident-search             GET   403   200   200   200   200   403   403    403   403   403   403   403
people_api:resident-search             POST  403   400   400   400   400   403   403    403   403   403   403   403
# changing a resident: PATCH is its point (sent by the API tests); a GET has no use
people_api:resident-update             GET   403   405   405   405   405   403   403    403   403   403   403   403
cases_api:case-list                    GET   403   200   200   200   200   403   403    403   403   403   403   403
cases_api:case-detail                  GET   403   200   card  404   200   403   403    403   403   403   403   403
cases_api:case-involvements            GET   403   200   card  404   200   403   403    403   403   403   403   403
cases_api:case-involvement-end         POST  403   400   card  404   400   403   403    403   403   403   403   403
zrm_api:case-assessments               GET   403   200   card  404   200   403   403    403   403   403   403   403
plans_api:plan-detail                  GET   403   200   card  404   200   403   403    403   403   403   403   403
# writes are refused (403) before their input is checked (400)
insights_api:signal-list               GET   403   200   200   200   200   403   200    403   403   403   403   403
# writes are refused (403) before their input is checked (400)
insights_api:signal-list               POST  403   400   400   400   400   403   403    403   403   403   403   403
insights_api:signal-detail             GET   403   200   200   404   200   403   200    403   403   403   403   403
insights_api:signal-forward            POST  403   403   403   404   400   403   403    403   403   403   403   403
insights_api:signal-answer             POST  403   403   403   404   403   403   400    403   403   403   403   403
insights_api:initiative-list           GET   403   200   200   200   200   403   200    403   403   403   403   403
insights_api:initiative-list           POST  403   403   403   403   400   403   403    403   403   403   403   403
insights_api:initiative-detail         GET   403   200   200   200   200   403   200    403   403   403   403   403
insights_api:initiative-expenses       POST  403   403   403   403   400   403   403    403   403   403   403   403
insights_api:initiative-participants   POST  403   400   400   403   400   403   403    403   403   403   403   403
insights_api:district-profile          GET   403   200   200   200   200   403   200    403   403   403   403   403
# the partner API: its key, or a signed-in referrer; only the status of the organisation's own
# referrals. Revoked keys and other organisations: src/intake/tests/test_referrals.py
intake_api:referral-list               GET   401   403   403   403   403   403   403    403   403   200   200   401
# the partner API: its key, or a signed-in referrer; only the status of the organisation's own
# referrals. Revoked keys and other organisations: src/intake/tests/test_referrals.py
intake_api:referral-list               POST  401   403   403   403   403   403   403    403   403   400   400   401
intake_api:referral-detail             GET   401   403   403   403   403   403   403    403   403   200   200   401
intake_api:known-query                 POST  401   403   403   403   403   403   403    403   403   400   400   401
# the provider API: only a provider's software with its organisation's key (an AGB code); a
# session counts for nothing there. Providers' own keys and messages: src/maatwerk/tests/test_api.py
maatwerk_api:message-list              GET   401   401   401   401   401   401   401    401   401   401   403   401
maatwerk_api:message-list              POST  401   401   401   401   401   401   401    401   401   401   403   401
maatwerk_api:message-detail            GET   401   401   401   401   401   401   401    401   401   401   403   401
# the description of the API is public: it holds no data
api-schema                             GET   200   200   200   200   200   200   200    200   200   200   200   200
api-docs                               GET   200   200   200   200   200   200   200    200   200   200   200   200

# --- Mijn Wijkteam (portal): the resident's own pages. A resident is no user; staff and partners are
# sent to the DigiD sign-in (302) like anyone not signed in as a resident. Residents, each other's
# ids and the sign-in itself: src/portal/tests/
portal:sign_in                         GET   200   200   200   200   200   200   200    200   200   200   200   200
# DigiD through the broker: off unless configured, so 404 here; with a real provider in portal/tests
portal:start                           GET   404   404   404   404   404   404   404    404   404   404   404   404
portal:callback                        GET   404   404   404   404   404   404   404    404   404   404   404   404
portal:unknown                         GET   200   200   200   200   200   200   200    200   200   200   200   200
portal:level_too_low                   GET   200   200   200   200   200   200   200    200   200   200   200   200
portal:signed_out                      GET   200   200   200   200   200   200   200    200   200   200   200   200
portal:sign_out                        POST  302   302   302   302   302   302   302    302   302   302   302   302
portal:home                            GET   302   302   302   302   302   302   302    302   302   302   302   200
portal:plan                            GET   302   302   302   302   302   302   302    302   302   302   302   404
portal:plan_agree                      POST  302   302   302   302   302   302   302    302   302   302   302   404
portal:plan_change                     POST  302   302   302   302   302   302   302    302   302   302   302   404
portal:consents                        GET   302   302   302   302   302   302   302    302   302   302   302   200
portal:consent_withdraw                POST  302   302   302   302   302   302   302    302   302   302   302   404
# messages: the resident's own threads only; another resident's case or visit is 404
portal:messages                        GET   302   302   302   302   302   302   302    302   302   302   302   200
portal:thread                          GET   302   302   302   302   302   302   302    302   302   302   302   404
portal:message_notice                  POST  302   302   302   302   302   302   302    302   302   302   302   404
portal:visit_move                      GET   302   302   302   302   302   302   302    302   302   302   302   404
portal:own_file                        GET   302   302   302   302   302   302   302    302   302   302   302   200
portal:own_file_download               GET   302   302   302   302   302   302   302    302   302   302   302   200
# the kitchen-table report of the resident's own case, with their comment: another household's is 404
portal:report                          GET   302   302   302   302   302   302   302    302   302   302   302   404
# report a mistake (AVG art. 16): the resident's own requests only
portal:rectification                   GET   302   302   302   302   302   302   302    302   302   302   302   200
# giving a consent to a partner of the municipality: the resident's own
portal:consent_give                    GET   302   302   302   302   302   302   302    302   302   302   302   200
# acting for a represented resident: only through one's own representation (the subject's is 404)
portal:act_for                         POST  302   302   302   302   302   302   302    302   302   302   302   404
portal:act_as_self                     POST  302   302   302   302   302   302   302    302   302   302   302   302

# --- Django admin: representative rows
# staff only; others are sent to the admin's sign-in page (302), which sends to the one sign-in
# page (accounts.adminsite): the signed-in staff on to the admin, other signed-in roles 403
admin:index                            GET   302   302   302   302   302   302   302    302   200   302   302   302
admin:login                            GET   login 403   403   403   403   403   403    403   302   403   login login
admin:accounts_user_changelist         GET   302   302   302   302   302   302   302    302   200   302   302   302
"""
# fmt: on

# The Django admin is covered by representative rows; every other admin URL is Django's own.
ADMIN_ROWS = {"admin:index", "admin:login", "admin:accounts_user_changelist"}


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    expected: dict[str, str]


def parse(table: str) -> dict[tuple[str, str], Row]:
    """The rows by (URL name, method): a URL whose GET and POST differ has a row for each."""
    lines = [line.split("#")[0].split() for line in table.strip().splitlines()]
    lines = [cells for cells in lines if cells]
    header, body = lines[0], lines[1:]
    assert tuple(header[3:]) == ROLES, f"the table's columns must be {ROLES}"
    rows: dict[tuple[str, str], Row] = {}
    for cells in body:
        name, method, codes = cells[0], cells[1], cells[2:]
        assert method in {"GET", "POST"}, f"{name}: method {method}"
        assert len(codes) == len(ROLES), f"{name}: {len(codes)} cells for {len(ROLES)} roles"
        assert (name, method) not in rows, f"{name} {method}: two rows"
        rows[name, method] = Row(name, method, dict(zip(ROLES, codes, strict=True)))
    return rows


def walk(resolver=None, prefix: str = "", namespace: str = ""):
    """(name, route) of every URL pattern, with namespaces; unnamed patterns by their route."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else route), route


def project_urls() -> dict[str, str]:
    """Every URL name (or unnamed route) of the project with its route, the admin's rows only."""
    return {name: route for name, route in walk() if not route.startswith("beheer/admin/") or name in ADMIN_ROWS}


def row_text(name: str, method: str, cells: list[str]) -> str:
    """A row as it is written in EXPECTED."""
    columns = " ".join(f"{cell:{max(len(role), 5)}}" for cell, role in zip(cells, ROLES, strict=True))
    return f"{name:38} {method:5} {columns}".rstrip()


def coverage_problems(table: dict[tuple[str, str], Row], urls: dict[str, str]) -> list[str]:
    named = {name for name, _method in table}
    problems = [
        f"no row for {name} ({route}): add one to EXPECTED in {Path(__file__).name}, from docs/privacy.md:\n"
        f"    {row_text(name, 'GET', ['?'] * len(ROLES))}"
        + ("\n    and what its parameters name in url_kwargs()" if "<" in route else "")
        for name, route in urls.items()
        if name not in named
    ]
    problems += [f"the row {name} names no URL any more: remove it" for name in sorted(named) if name not in urls]
    return problems


def test_the_table_covers_every_url():
    problems = coverage_problems(parse(EXPECTED), project_urls())
    assert not problems, "\n".join(problems)


def test_a_url_without_a_row_is_named():
    table = parse(EXPECTED)
    urls = {name: "" for name, _method in table}
    del urls["cases:detail"]
    urls["cases:brand_new"] = "zaken/<int:pk>/nieuw/"
    problems = coverage_problems(table, urls)
    assert len(problems) == 2
    assert problems[0].startswith("no row for cases:brand_new (zaken/<int:pk>/nieuw/)")
    assert problems[1] == "the row cases:detail names no URL any more: remove it"


# --- the world every row is requested in ---------------------------------------------------------


def subjects(world) -> object:
    """One case of team A with everything hanging off it that a URL can name."""

    class Subjects:
        pass

    s = Subjects()
    m = world.municipality
    today = timezone.localdate()
    s.practice = OrganisationFactory(municipality=m, name="Huisarts Huizum")
    s.referrer = UserFactory(role=Role.REFERRER, municipality=m, organisation=s.practice)
    s.beschikker = beschikker_of(m)
    s.privacy = UserFactory(role=Role.PRIVACY_OFFICER, municipality=m)
    s.admin = UserFactory(role=Role.ADMINISTRATOR, municipality=m, is_staff=True)
    s.admin.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "change_user"]))
    s.token, s.key = PartnerToken.issue(organisation=s.practice, name="HIS")

    s.household = household_in(world.area_a, bsn=valid_bsn(1))
    s.case = CaseFactory(team=world.team_a, household=s.household, regisseur=world.worker)
    s.resident = s.case.resident
    s.involvement = CaseInvolvement.objects.create(
        case=s.case, user=UserFactory(role=Role.SOCIAL_WORKER, municipality=m, teams=[world.team_b])
    )
    s.network_member = NetworkMemberFactory(resident=s.resident)
    s.conversation = Conversation.objects.create(
        case=s.case, held_on=today, question_asked="Post", conclusion="Samen doen", by=world.worker
    )
    plan = plan_start(household=s.household, by=world.worker)
    plan.agreed_on, plan.agreement = today, "mondeling"  # agreed: it can be evaluated
    plan.save(update_fields=["agreed_on", "agreement"])
    domain = LifeDomain.objects.get(code="financien")
    s.goal = Goal.objects.create(plan=plan, domain=domain, description="Schulden op orde")
    s.action = Action.objects.create(goal=s.goal, description="Post openen")
    s.arrangement = Arrangement.objects.create(plan=plan, goal=s.goal, source=Source.NETWORK, description="Dochter")
    s.contact = ContactFactory(case=s.case, professional=world.worker)
    s.series = ContactSeries.objects.create(case=s.case, professional=world.worker, starts_on=today, at=time(10))
    s.consultation = Consultation.objects.create(
        case=s.case,
        asked_by=world.worker,
        colleague=UserFactory(role=Role.SOCIAL_WORKER, municipality=m, teams=[world.team_b]),
        question="Tip?",
    )
    provision = customised_provision(m)
    s.advice = IndicationAdviceFactory(case=s.case, provision=provision, written_by=world.worker)
    decision_make(advice=s.advice, by=s.beschikker, outcome="toegekend", grounds="Nodig.")
    s.allocation = Allocation.objects.get(decision__advice=s.advice)
    s.message = s.allocation.messages.get()  # the WMO301 as sent
    s.allocation_request = AllocationRequest.objects.create(
        municipality=m,
        provider_agb="75750001",
        kind=MessageKind.WMO315,
        message_id="315000000001",
        client_name="A. Hoekstra",
        xml="<Bericht/>",
        uploaded_by=s.beschikker,
    )
    s.general = ProvisionFactory(municipality=m)
    s.provision_referral = ProvisionReferral.objects.create(
        provision=s.general, case=s.case, resident=s.resident, by=world.worker, follow_up_on=today
    )
    s.referral = Referral.objects.create(
        municipality=m,
        source=ReferralSource.PARTNER,
        organisation=s.practice,
        referred_by=s.referrer,
        name="Familie de Jong",
        postcode="8921AB",
        concern="Schulden.",
        team=world.team_a,
    )
    s.signal = signal_raise(by=world.worker, team=world.team_a, title="Veel schulden", description="Steeds vaker.")
    signal_forward(signal=s.signal, by=world.leader, to=world.policy, due_on=today + timedelta(days=14))
    s.initiative = initiative_start(
        by=world.leader,
        team=world.team_a,
        name="Taalcafé",
        description="Samen Nederlands oefenen.",
        area=world.area_a,
        budget=Decimal("1000"),
        started_on=today,
    )
    Figure.objects.create(
        region_kind=RegionKind.WIJK,
        region_code=world.area_a.cbs_code,
        region_name=world.area_a.name,
        area=world.area_a,
        indicator="inwoners",
        label="Inwoners",
        unit="aantal",
        value=Decimal(5000),
        source="CBS",
        table="85984NED",
        year=2024,
        file="kwb.csv",
    )
    s.partner_contact = PartnerContact.objects.create(
        organisation=s.practice,
        name="Dokter Visser",
        role="huisarts",
        photo=SimpleUploadedFile("visser.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
    )
    # A team member who stood in for the regisseur: the team leader's review has something to review.
    stand_in = UserFactory(role=Role.SOCIAL_WORKER, municipality=m, teams=[world.team_a])
    s.grant = BreakGlass.objects.create(
        case=s.case,
        user=stand_in,
        expires_at=timezone.now() + timedelta(hours=8),
        reason="stand_in",
        explanation="Collega ziek.",
    )
    s.consent = ConsentFactory(resident=s.resident, recorded_by=world.worker)
    s.rectification = RectificationRequest.objects.create(resident=s.resident, text="Fout", due_on=today)
    curator = household_in(world.area_a, bsn=valid_bsn(2)).members.get().resident
    s.representation = Representation.objects.create(
        resident=s.resident, representative=curator, kind=RepresentationKind.CURATOR, registered_by=world.worker
    )
    s.contact_held = ContactFactory(
        case=s.case, professional=world.worker, status=ContactStatus.DONE, happened_at=timezone.now()
    )
    return s


def url_kwargs(world, s) -> dict[str, dict]:
    """What each URL with parameters names: the subject case and what hangs off it."""
    case, household, resident = {"pk": s.case.pk}, {"pk": s.household.pk}, {"pk": s.resident.pk}
    of_case, of_household = {"case_pk": s.case.pk}, {"household_pk": s.household.pk}
    district = {"code": world.area_a.cbs_code}
    return {
        "people:network_add": resident,
        "insights:team_overview_of": {"pk": world.team_a.pk},
        "people:network_edit": {"pk": s.network_member.pk},
        "people:household": household,
        "people:member_add": household,
        "people:housemates": household,
        "cases:open": of_household,
        **{
            f"cases:{name}": case
            for name in (
                [
                    "detail",
                    "triage",
                    "aanvraag",
                    "status",
                    "assign",
                    "note",
                    "close",
                    "evaluate",
                    "reopen",
                    "escalate",
                    "deescalate",
                    "consult",
                    "involve",
                    "involvement_end",
                ]
            )
        },
        "cases:consultation": {"pk": s.consultation.pk},
        "contacts:new": of_case,
        "contacts:done": {**of_case, "pk": s.contact.pk},
        "contacts:not_held": {**of_case, "pk": s.contact.pk},
        "contacts:series_new": of_case,
        "contacts:series_stop": {**of_case, "pk": s.series.pk},
        "contacts:conference_new": of_case,
        "zrm:new": of_case,
        "plans:conversation_new": of_case,
        "plans:conversation": {**of_case, "pk": s.conversation.pk},
        "plans:conversation_pdf": {**of_case, "pk": s.conversation.pk},
        "plans:plan": of_household,
        "plans:start": of_household,
        "plans:versions": of_household,
        "plans:pdf": of_household,
        "plans:edit": {**of_household, "part": "doel"},
        "plans:edit_item": {**of_household, "part": "doel", "item_pk": s.goal.pk},
        "privacy:break_glass": of_case,
        "privacy:break_glass_review": {"pk": s.grant.pk},
        "privacy:resident": resident,
        "portal:plan": {"pk": s.household.plan.pk},
        "portal:plan_agree": {"pk": s.household.plan.pk},
        "portal:plan_change": {"pk": s.household.plan.pk},
        "portal:own_file_download": {"form": "pdf"},
        "portal:report": {"pk": s.conversation.pk},
        "privacy:rectification_answer": {"pk": s.resident.pk, "request_pk": s.rectification.pk},
        "portal:consent_withdraw": {"pk": s.consent.pk},
        "portal:thread": {"pk": s.case.pk},
        "portal:message_notice": {"pk": s.case.pk},
        "portal:visit_move": {"pk": s.contact.pk},
        "contacts:messages": of_case,
        "contacts:move": {**of_case, "pk": s.contact.pk},
        "privacy:rectify": resident,
        "people:resident_edit": resident,
        "people:consents": household,
        "people:representations": household,
        "people:consent_withdraw": {**household, "consent_pk": s.consent.pk},
        "people:representation_end": {**household, "representation_pk": s.representation.pk},
        "portal:act_for": {"pk": s.representation.pk},
        "cases:history": case,
        "cases:edit": case,
        "contacts:correct": {**of_case, "pk": s.contact_held.pk},
        "plans:conversation_correct": {**of_case, "pk": s.conversation.pk},
        "privacy:resident_pdf": resident,
        "privacy:resident_json": resident,
        "maatwerk:case": of_case,
        "maatwerk:advice": {"pk": s.advice.pk},
        "maatwerk:allocation_xml": {"pk": s.allocation.pk},
        "maatwerk:request": {"pk": s.allocation_request.pk},
        "maatwerk:message": {"pk": s.message.pk},
        "maatwerk:message_xml": {"pk": s.message.pk},
        "provisions:outcome": {"pk": s.provision_referral.pk},
        "provisions:refer": {**of_case, "provision_pk": s.general.pk},
        "partners:photo": {"pk": s.partner_contact.pk},
        "insights:district": district,
        "insights:district_export": {**district, "fmt": "csv"},
        "insights:signal": {"pk": s.signal.pk},
        "insights:initiative": {"pk": s.initiative.pk},
        "insights:initiative_households": {"pk": s.initiative.pk},
        "insights:management_export": {"fmt": "csv"},
        "intake:referral": {"pk": s.referral.pk},
        "intake:queue_assign": household,
        "people_api:resident-update": resident,
        "intake:partner_key_revoke": {"pk": s.token.pk},
        "administration:user": {"pk": world.worker.pk},
        "administration:user_action": {"pk": world.worker.pk, "action": "deactiveren"},
        "administration:section": {"slug": "teams"},
        "administration:section_new": {"slug": "teams"},
        "administration:section_edit": {"slug": "teams", "pk": world.team_a.pk},
        "cases_api:case-detail": case,
        "cases_api:case-involvements": case,
        "cases_api:case-involvement-end": {**case, "involvement_pk": s.involvement.pk},
        "zrm_api:case-assessments": case,
        "plans_api:plan-detail": of_household,
        **{f"insights_api:signal-{name}": {"pk": s.signal.pk} for name in ("detail", "forward", "answer")},
        **{
            f"insights_api:initiative-{name}": {"pk": s.initiative.pk}
            for name in ("detail", "expenses", "participants")
        },
        "insights_api:district-profile": district,
        "intake_api:referral-detail": {"pk": s.referral.pk},
        "maatwerk_api:message-detail": {"pk": s.message.pk},
    }


def clients(world, s) -> dict[str, Client]:
    users = {
        "regie": world.worker,
        "mate": world.colleague,
        "other": world.outsider,
        "lead": world.leader,
        "besch": s.beschikker,
        "policy": world.policy,
        "fg": s.privacy,
        "admin": s.admin,
        "ref": s.referrer,
    }
    return {
        "anon": Client(),
        **{role: login(user) for role, user in users.items()},
        "key": Client(HTTP_AUTHORIZATION=f"Token {s.key}"),
        "res": resident_client(household_in(world.area_b).members.get().resident),
    }


# --- requesting and comparing -----------------------------------------------------------------------


def request(client: Client, method: str, url: str) -> tuple[object, bool]:
    """One request in a transaction that is rolled back (a savepoint inside the test's transaction;
    the views' own ``transaction.atomic`` blocks nest inside it), with the client's cookies put
    back: a sign-out, a language switch or a message for the next page stay with this request.
    Also returns whether the gate showed the case's minimal card (its access-log row)."""
    cookies = client.cookies
    client.cookies = cookies.__class__(cookies)
    last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            elif url.startswith("/api/"):
                response = client.post(url, "{}", content_type="application/json")
            else:
                response = client.post(url, {})
            carded = AccessLog.objects.filter(pk__gt=last, detail="minimal card").exists()
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response, carded


def observe(response, carded: bool) -> str:
    """The cell a response reads as in the table."""
    status = response.status_code
    if status == 302 and response["Location"].startswith(reverse("accounts:login")):
        return "login"
    if status == 403 and carded:
        if response["Content-Type"].startswith("text/html") and b'name="explanation"' not in response.content:
            return "403(card without its form)"
        return "card"
    is_api = response.wsgi_request.path.startswith("/api/")
    if is_api and status >= 400 and not response["Content-Type"].startswith("application/problem+json"):
        return f"{status}(not a problem)"
    return str(status)


def test_every_role_gets_what_the_table_says(world, settings, tmp_path, caplog):
    settings.MEDIA_ROOT = tmp_path  # the smoelenboek photo
    caplog.set_level(logging.CRITICAL, logger="django.request")  # a logged warning per 403/404 costs time
    s = subjects(world)
    kwargs = url_kwargs(world, s)
    callers = clients(world, s)
    logged = AccessLog.objects.count()
    differences: list[str] = []
    for (name, method), row in parse(EXPECTED).items():
        try:
            url = reverse(name, kwargs=kwargs.get(name))
        except NoReverseMatch as error:
            differences.append(f"{name}: cannot build its URL ({error}): say what it names in url_kwargs()")
            continue
        got = {}
        for role in ROLES:
            try:
                got[role] = observe(*request(callers[role], method, url))
            except Exception as error:  # a server error: reported with the rest
                got[role] = f"500({type(error).__name__}: {error})"
        wrong = [
            f"{role}: expected {row.expected[role]}, got {got[role]}"
            for role in ROLES
            if got[role] != row.expected[role]
        ]
        if wrong:
            differences.append(
                "\n    ".join(
                    [
                        f"{name} {method} {url}",
                        *wrong,
                        "observed: " + row_text(name, method, [got[role] for role in ROLES]),
                    ]
                )
            )
    assert AccessLog.objects.count() == logged, "a request was not rolled back"
    assert not differences, f"{len(differences)} rows differ from the table:\n" + "\n".join(differences)
