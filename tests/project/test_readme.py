"""The README documents every environment variable the settings read."""

import re

from django.conf import settings


def test_every_environment_variable_is_documented():
    source = "".join(path.read_text() for path in (settings.BASE_DIR / "config").glob("*.py"))
    read = set(re.findall(r'env(?:\.\w+|_path)\(\s*"([A-Z][A-Z0-9_]+)"', source))
    readme = (settings.BASE_DIR / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", readme, re.MULTILINE))
    assert len(read) > 30
    assert read - documented == set()
