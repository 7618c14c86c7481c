"""The web app (`sijill serve`): server-rendered pages and a JSON API over the same services."""

from sijill.web.app import create_app

__all__ = ["create_app"]
