from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied

from kiosque import ratelimit


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins that come with a request (every form does).

    Oscar signs a reader in right after registration with ``authenticate()`` and no request;
    axes would refuse that. Nothing can be guessed there (the password was just chosen), so
    such a call goes on to the next backend.

    It also refuses every sign-in from an address that failed too often across accounts
    (password spraying), answered by axes' lockout page like a locked account.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        if ratelimit.login_failures_exhausted(request):
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("Too many failed sign-ins from this address")
        return super().authenticate(request, username=username, password=password, **kwargs)


def count_failed_sign_in(sender, credentials, request=None, **kwargs):
    """Receiver of Django's user_login_failed: the address's failures across accounts."""
    if request is not None:
        ratelimit.count_login_failure(request)


def login_name(request, credentials=None) -> str:
    """The account name django-axes counts failures against (AXES_USERNAME_CALLABLE): as
    typed in the sign-in form (Oscar's, else the admin's), stripped and case-folded, so that
    ``Claire@Example.org`` and ``claire@example.org`` share one allowance, and so that a
    success resets the very count the failures kept (axes passes the account's username
    then, not what was typed)."""
    data = getattr(request, "POST", None) or {}
    name = (
        data.get("login-username")
        or data.get("username")
        or (credentials or {}).get("username")
        or ""
    )
    return name.strip().casefold()
