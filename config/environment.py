"""What every settings module reads first: the project's folders and the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def env_path(name: str, default: Path) -> Path:
    """A path from the environment; a relative one is taken from the project's folder."""
    return BASE_DIR / env.str(name, default=str(default))


DEBUG = env.bool("DEBUG", default=False)
