"""Tools for development and the tests, never imported by the site (not packaged)."""
