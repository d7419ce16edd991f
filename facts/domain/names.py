"""Actors are matched by name and alias: one name stands for one actor. Pure Python."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def name_key(name: str) -> str:
    """The form two names are compared in: case and runs of spaces do not tell actors apart."""
    return " ".join(name.split()).casefold()


def name_clashes(
    *, name: str, aliases: Sequence[str], others: Iterable[tuple[str, Sequence[str]]]
) -> dict[str, str]:
    """Why a name or an alias cannot be this actor's, by field: it already names another actor
    (`others` gives each other actor's name and aliases). Empty when every name is free."""
    taken: dict[str, str] = {}
    for other_name, other_aliases in others:
        for known in (other_name, *other_aliases):
            taken.setdefault(name_key(known), other_name)
    problems: dict[str, str] = {}
    owner = taken.get(name_key(name))
    if owner is not None:
        problems["name"] = (
            f"“{name}” already names {owner}: credit that actor, or rename it there first."
        )
    for alias in aliases:
        owner = taken.get(name_key(alias))
        if owner is not None:
            problems["aliases"] = f"“{alias}” already names {owner}: an alias names one actor."
            break
    return problems
