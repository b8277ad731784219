"""News for a professional's start page (Mijn werk) from the signals to policy: the answers to the
signals they raised that they have not read yet. Small and without a template, so any page or
count can show it:

- ``unread_signal_answers(user)``: those signals, the newest answer first (one query);
- ``unread_signal_answer_count(user)``: how many (one query), for a count beside "Mijn werk".

Opening the signal marks its answer read (``insights.services.signal_answer_read``). The
``{% signals_for_dashboard %}`` tag (``insights.templatetags.insights``) lists them already.
"""

from django.db.models import QuerySet

from .models import Signal, SignalStatus


def _unread(user) -> QuerySet[Signal]:
    if not getattr(user, "pk", None):
        return Signal.objects.none()
    return Signal.objects.filter(raised_by_id=user.pk, status=SignalStatus.ANSWERED, answer_read_at__isnull=True)


def unread_signal_answers(user) -> list[Signal]:
    return list(_unread(user).only("pk", "title", "answered_at", "status").order_by("-answered_at", "-pk"))


def unread_signal_answer_count(user) -> int:
    return _unread(user).count()
