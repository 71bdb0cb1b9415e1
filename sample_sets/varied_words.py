"""Amounts in words for the varied invoice set (English, German, French), below one million.

Hand-written because num2words is not a dependency; only what invoices need: whole units
plus cents, e.g. `words(Decimal("1234.56"), "fr", "EUR")` ->
"mille deux cent trente-quatre euros et cinquante-six centimes".
"""

from decimal import Decimal


def _split(text: str) -> list[str]:
    return text.split()


EN_SMALL = _split(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
EN_TENS = _split("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
DE_SMALL = _split(
    "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn "
    "fünfzehn sechzehn siebzehn achtzehn neunzehn"
)
DE_TENS = _split("_ _ zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig")
FR_SMALL = _split(
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize dix-sept dix-huit dix-neuf"
)
FR_TENS = _split("_ _ vingt trente quarante cinquante soixante")

# currency code -> (unit singular, unit plural, cent singular, cent plural) per language
UNITS = {
    "en": {
        "EUR": ("euro", "euros", "cent", "cents"),
        "GBP": ("pound", "pounds", "penny", "pence"),
        "USD": ("dollar", "dollars", "cent", "cents"),
        "CHF": ("Swiss franc", "Swiss francs", "centime", "centimes"),
    },
    "de": {
        "EUR": ("Euro", "Euro", "Cent", "Cent"),
        "CHF": ("Franken", "Franken", "Rappen", "Rappen"),
        "USD": ("US-Dollar", "US-Dollar", "Cent", "Cent"),
        "GBP": ("Pfund", "Pfund", "Pence", "Pence"),
    },
    "fr": {
        "EUR": ("euro", "euros", "centime", "centimes"),
        "CHF": ("franc suisse", "francs suisses", "centime", "centimes"),
    },
}


def en_number(n: int, *, british: bool = True) -> str:
    def below_100(k: int) -> str:
        if k < 20:
            return EN_SMALL[k]
        tens, unit = divmod(k, 10)
        return EN_TENS[tens] + (f"-{EN_SMALL[unit]}" if unit else "")

    def below_1000(k: int) -> str:
        hundreds, rest = divmod(k, 100)
        parts = [f"{EN_SMALL[hundreds]} hundred"] if hundreds else []
        if rest:
            parts.append(("and " if british and hundreds else "") + below_100(rest))
        return " ".join(parts)

    if n == 0:
        return EN_SMALL[0]
    thousands, rest = divmod(n, 1000)
    parts = [f"{below_1000(thousands)} thousand"] if thousands else []
    if rest:
        glue = "and " if british and thousands and rest < 100 else ""
        parts.append(glue + below_1000(rest))
    return " ".join(parts)


def de_number(n: int) -> str:
    def below_1000(k: int) -> str:
        hundreds, rest = divmod(k, 100)
        text = (("ein" if hundreds == 1 else DE_SMALL[hundreds]) + "hundert") if hundreds else ""
        if rest < 20:
            return text + (DE_SMALL[rest] if rest else "")
        tens, unit = divmod(rest, 10)
        if unit:
            return text + ("ein" if unit == 1 else DE_SMALL[unit]) + "und" + DE_TENS[tens]
        return text + DE_TENS[tens]

    if n == 0:
        return DE_SMALL[0]
    thousands, rest = divmod(n, 1000)
    text = ""
    if thousands:
        head = below_1000(thousands)
        text = (head[:-1] if head.endswith("eins") else head) + "tausend"
    return text + (below_1000(rest) if rest else "")


def fr_number(n: int) -> str:
    def below_100(k: int, *, final: bool) -> str:
        if k < 20:
            return FR_SMALL[k]
        tens, unit = divmod(k, 10)
        if tens in (7, 9):
            tens, unit = tens - 1, unit + 10
        if tens == 8:
            return "quatre-vingt" + (f"-{FR_SMALL[unit]}" if unit else "s" if final else "")
        if unit in (1, 11):
            return f"{FR_TENS[tens]} et {FR_SMALL[unit]}"
        return FR_TENS[tens] + (f"-{FR_SMALL[unit]}" if unit else "")

    def below_1000(k: int, *, final: bool) -> str:
        hundreds, rest = divmod(k, 100)
        parts = []
        if hundreds == 1:
            parts.append("cent")
        elif hundreds:
            parts.append(f"{FR_SMALL[hundreds]} cent" + ("s" if final and not rest else ""))
        if rest:
            parts.append(below_100(rest, final=final))
        return " ".join(parts)

    if n == 0:
        return FR_SMALL[0]
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands:
        parts.append("mille" if thousands == 1 else below_1000(thousands, final=False) + " mille")
    if rest:
        parts.append(below_1000(rest, final=True))
    return " ".join(parts)


def words(amount: Decimal, lang: str, currency: str, *, british: bool = True) -> str:
    """The amount in words with its currency units, cents omitted when zero."""
    whole, cents = divmod(int(amount * 100), 100)
    assert 0 <= whole < 1_000_000
    one, many, cent_one, cent_many = UNITS[lang][currency]

    def say(n: int) -> str:
        if lang == "en":
            return en_number(n, british=british)
        return de_number(n) if lang == "de" else fr_number(n)

    def unit_word(n: int, singular: str, plural: str) -> str:
        if lang == "de" and n == 1:
            return f"ein {singular}"
        return f"{say(n)} {singular if n == 1 else plural}"

    text = unit_word(whole, one, many)
    if cents:
        glue = {"en": "and", "de": "und", "fr": "et"}[lang]
        text += f" {glue} {unit_word(cents, cent_one, cent_many)}"
    return text
