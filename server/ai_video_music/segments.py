"""A track's clips, kept as plain tuples so the garbage collector doesn't walk them.

A draft's facts are kept while it is current (``drafts.Drafts``: the last few drafts), and a
48,000-clip timeline made of one object per clip put 48,000 more objects in every full
garbage collection's walk; a full collection holds every thread, so every session waited on
it (and a new huge draft triggers one at once). CPython stops tracking a tuple that holds
only strings and numbers, so a track's clips are stored as such tuples: a few tracked objects
per track whatever its length. :class:`Segment` objects are made when a clip is read, and
freed as soon as the reader drops them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload


@dataclass(frozen=True)
class Segment:
    """One clip: seconds on the timeline; ``volume`` in percent (audio), when the draft says."""

    name: str
    start_s: float
    end_s: float | None
    volume: float | None


Row = tuple[str, float, float | None, float | None]  # a Segment's fields, in order


class Segments(Sequence[Segment]):
    """An immutable sequence of :class:`Segment`, equal to the tuple of the same segments."""

    __slots__ = ("_rows",)

    def __init__(self, segments: Iterable[Segment] = ()) -> None:
        self._rows: tuple[Row, ...] = tuple((s.name, s.start_s, s.end_s, s.volume) for s in segments)

    @classmethod
    def of_rows(cls, rows: Iterable[Row]) -> Segments:
        made = cls()
        made._rows = tuple(rows)
        return made

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Segment: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Segment, ...]: ...

    def __getitem__(self, index: int | slice) -> Segment | tuple[Segment, ...]:
        if isinstance(index, slice):
            return tuple(Segment(*row) for row in self._rows[index])
        return Segment(*self._rows[index])

    def __iter__(self) -> Iterator[Segment]:
        return (Segment(*row) for row in self._rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Segments):
            return self._rows == other._rows
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._rows)

    def __repr__(self) -> str:
        return f"Segments({tuple(self)!r})"
