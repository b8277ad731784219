from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .models import CASEWORK_ROLES


def role_required(*roles: str) -> Callable:
    """Signed in, and one of ``roles``; others get 403 (the page exists, the role has no use for it)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


casework_required = role_required(*CASEWORK_ROLES)
