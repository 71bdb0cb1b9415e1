"""Country names as printed on documents (English, German, French, Dutch) and ISO codes."""

import gettext
import re
from functools import cache

import pycountry

_LANGUAGES = ("de", "fr", "nl")
_EXTRA = {"usa": "US", "u.s.a.": "US", "uk": "GB", "england": "GB", "holland": "NL"}


@cache
def _names() -> dict[str, str]:
    names = dict(_EXTRA)
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        for language in _LANGUAGES
    ]
    for country in pycountry.countries:
        english = [country.name, getattr(country, "common_name", country.name)]
        spellings = [*english, *(t.gettext(name) for t in translations for name in english)]
        for spelling in spellings:
            names.setdefault(spelling.casefold(), country.alpha_2)
    return names


def country_code(text: str) -> str | None:
    """The ISO 3166 alpha-2 code of a country name or code ("Deutschland", "FR", "USA")."""
    key = re.sub(r"\s+", " ", text.strip(" .,")).casefold()
    if len(key) == 2 and key.isalpha():
        country = pycountry.countries.get(alpha_2=key.upper())
        return country.alpha_2 if country is not None else None
    return _names().get(key)
