"""Helpers shared by the tests: journeys, the Stripe stand-in, a Celery worker."""
