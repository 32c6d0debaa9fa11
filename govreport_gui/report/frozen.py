"""Immutable values with their methods written out.

Not dataclasses: a dataclass writes its ``__init__``/``__eq__``/``__hash__`` as source and compiles
it at every start (~0.4 ms a class, before the window could paint; bench/RESULTS.md, issue 19 item
2). A :class:`Frozen` is immutable (assigning raises, as on a frozen dataclass), equal and hashed by
its fields, and pickled and deep-copied through its constructor.
"""

from __future__ import annotations


class Frozen:
    """Subclasses name their fields in ``_fields`` (usually also their ``__slots__``) and set them
    with ``object.__setattr__`` in their ``__init__`` (this one takes the fields in order).
    ``_compared``: the fields equality and hash look at, when not all of them."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _compared: tuple[str, ...] = ()

    def __init__(self, *values: object) -> None:
        if len(values) != len(self._fields):
            raise TypeError(f"{self.__class__.__name__} takes {len(self._fields)} values, not {len(values)}")
        for name, value in zip(self._fields, values):
            object.__setattr__(self, name, value)

    def _key(self) -> tuple:
        return tuple(getattr(self, f) for f in self._compared or self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key() == other._key()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self):  # type: ignore[no-untyped-def]  # (pickle and deepcopy: no setattr)
        return self.__class__, tuple(getattr(self, f) for f in self._fields)

    def __repr__(self) -> str:
        return f"{self.__class__.__qualname__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self._fields)})"
