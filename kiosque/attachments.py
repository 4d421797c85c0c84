"""Attachments made when an email is delivered, not when it is queued.

A receipt's PDF costs a WeasyPrint render (about a tenth of a second): the webhook or the page
that confirms a gift should not wait for it. The email is queued naming what to attach; the
worker that delivers it makes the file. Each kind of file has its maker, registered here by
the app that owns it.
"""

from collections.abc import Callable

_makers: dict[str, Callable[[int], bytes]] = {}


def maker(kind: str):
    """Register ``function(key) -> bytes`` as the maker of ``kind`` attachments."""

    def register(function):
        _makers[kind] = function
        return function

    return register


def make(kind: str, key: int) -> bytes:
    return _makers[kind](key)
