from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins that come with a request (every form does).

    Oscar signs a reader in right after registration with ``authenticate()`` and no request;
    axes would refuse that. Nothing can be guessed there (the password was just chosen), so
    such a call goes on to the next backend.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


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
