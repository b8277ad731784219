"""The inactivity timer of a session, one for both kinds: a professional's (``accounts.middleware``)
and a resident's in Mijn Wijkteam (``portal.session``). The moment of the last request is kept in
the session under ``key``; to keep a request cheap it is written at most once a minute, which is
enough for a timeout counted in minutes."""

import time

TOUCH_EVERY = 60


def touch(session, key: str) -> None:
    """Note this request as the last one (at most once a minute): the idle timer starts again when
    the session is saved with the response."""
    now = time.time()
    if now - session.get(key, 0) > TOUCH_EVERY:
        session[key] = int(now)


def idle_longer_than(session, key: str, seconds: int) -> bool:
    """Whether the session saw no request for more than ``seconds``."""
    return time.time() - session.get(key, 0) > seconds
