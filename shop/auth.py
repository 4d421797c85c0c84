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
