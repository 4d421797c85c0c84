"""Which email an account owns: its own, once verified. Everything matched by email
(purchases, gifts, receipts, entitlements) goes through here."""

from django.contrib.auth import get_user_model

from accounts.models import VerifiedEmail

_CACHE = "_kiosque_verified_email"


def verified_email(user) -> str | None:
    """The account's email, lower-cased, if the account has verified it; else None."""
    if not user.is_authenticated or not user.email:
        return None
    cached = getattr(user, _CACHE, None)
    if cached is not None and cached[0] == user.email:
        return cached[1]
    email = user.email.strip().lower()
    verified = VerifiedEmail.objects.filter(user=user, email=email).exists()
    setattr(user, _CACHE, (user.email, email if verified else None))
    return email if verified else None


def forget(user) -> None:
    """Drop what ``verified_email`` remembered on this user object (after a verification)."""
    user.__dict__.pop(_CACHE, None)


def owner_of(email: str):
    """The active account whose verified email is ``email`` (any case), or None."""
    email = email.strip().lower()
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            email__iexact=email,
            verified_email__email=email,
        )
        .first()
    )


def email_taken(email: str, *, exclude=None) -> bool:
    """Whether another account has ``email`` (emails are unique whatever their case)."""
    accounts = get_user_model().objects.filter(email__iexact=email.strip())
    if exclude is not None:
        accounts = accounts.exclude(pk=exclude.pk)
    return accounts.exists()
