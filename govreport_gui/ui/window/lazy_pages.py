"""Pages built on first use: the window opens on 报告信息与正文, so the three grids (and their
modules) are made when their tab is first shown or something first asks for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

V = TypeVar("V")


class OnDemand(dict[str, V]):
    """``tid → widget``; a missing entry is built by ``build(tid)``, which fills this dict.

    Iterating gives only what is built: what is not built yet will be made from the current state.
    """

    def __init__(self, build: Callable[[str], None]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, tid: str) -> V:
        self._build(tid)
        return dict.__getitem__(self, tid)
