"""What the accounts app tells the apps above it (magazine, donations link what is theirs)."""

from django.dispatch import Signal

# Sent in confirm_email's transaction once ``user`` proved they receive ``email`` (lower case).
email_verified = Signal()
