"""
Corridors as ordered steps through the catalogue's legs.

Legs are undirected in the catalogue (a line carries trains both ways), so a corridor's legs are
turned to its direction of travel here, once, and everything downstream works on `Step`s.
Validation uses this too (legs that do not connect are a catalogue error), so it sits in the
catalogue layer, below the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.catalogue import Catalogue, Corridor, Leg


@dataclass(frozen=True)
class Step:
    """One leg travelled from `start` to `end` (which may be the leg's `to` and `from`)."""

    leg: Leg
    start: str
    end: str

    @property
    def reversed(self) -> bool:
        return self.start != self.leg.from_


class BrokenPath(ValueError):
    """Consecutive legs do not share a node; `index` is the position of the leg that fails."""

    def __init__(self, index: int, message: str) -> None:
        self.index = index
        super().__init__(message)


def orient(catalogue: Catalogue, leg_ids: list[str]) -> list[Step]:
    """
    Turn a list of leg ids into steps in travel order.

    The first leg's direction is fixed by the node it shares with the second leg.

    Raises
    ------
    BrokenPath
        When two consecutive legs share no node.
    """
    legs = [catalogue.leg(leg_id) for leg_id in leg_ids]
    if len(legs) == 1:
        return [Step(legs[0], legs[0].from_, legs[0].to)]
    first, second = legs[0], legs[1]
    if first.to in (second.from_, second.to):
        position = first.from_
    elif first.from_ in (second.from_, second.to):
        position = first.to
    else:
        raise BrokenPath(1, _gap_message(first, second))
    steps = []
    for index, leg in enumerate(legs):
        if leg.from_ == position:
            steps.append(Step(leg, leg.from_, leg.to))
        elif leg.to == position:
            steps.append(Step(leg, leg.to, leg.from_))
        else:
            raise BrokenPath(index, _gap_message(legs[index - 1], leg, at=position))
        position = steps[-1].end
    return steps


def _gap_message(before: Leg, after: Leg, at: str | None = None) -> str:
    if at is not None:
        return (
            f"leg '{after.id}' ({after.from_}–{after.to}) does not start at '{at}', "
            f"where '{before.id}' ends"
        )
    return f"legs '{before.id}' and '{after.id}' share no node"


def corridor_steps(catalogue: Catalogue, corridor: Corridor) -> list[Step]:
    return orient(catalogue, corridor.legs)


def corridor_nodes(steps: list[Step]) -> list[str]:
    """Node ids visited, origin first."""
    return [steps[0].start, *(step.end for step in steps)]
