from rest_framework.permissions import BasePermission

from .models import CASEWORK_ROLES


class DoesCasework(BasePermission):
    """Signed-in social workers and team leaders."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role in CASEWORK_ROLES)
