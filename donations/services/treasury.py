"""The treasurer's log."""

from donations.models import TreasuryLog


def log_treasury(user, action: str, details: str = "") -> TreasuryLog:
    """Record an export or a cancellation in the treasurer's log (who, when, what)."""
    return TreasuryLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        details=details[:2000],
    )
