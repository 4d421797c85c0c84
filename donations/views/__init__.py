"""The donations' views, one module per audience: public, payment, donor, dashboard."""
