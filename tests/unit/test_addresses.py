"""Party addresses read from the lines after the party's name."""

import pytest

from extractor.text.addresses import address_after, interleaved_column
from extractor.text.locate import split_lines
from extractor.values.countries import country_code


def _after(text: str, name: str, stop_at: frozenset[str] = frozenset()) -> str | None:
    found = address_after(split_lines(text), text.index(name) + len(name), stop_at)
    if found is None:
        return None
    assert text[found.start : found.end].startswith(found.text.split(",")[0])
    return found.text


@pytest.mark.parametrize(
    ("text", "name", "address"),
    [
        (  # a sender line; the street's number looks like a postcode
            "Au bon moulin SARL - 1242 chemin de l'olive - 84340 Malaucène - France\n"
            " +33  4 50 44 68 99 -  http://www.aubonmoulin.fr\n",
            "Au bon moulin SARL",
            "1242 chemin de l'olive, 84340 Malaucène, France",
        ),
        (  # a contact person between name and street; the next label ends it
            "Ma jolie boutique\nAlexandre Payet\n35 rue de la République\n69001 Lyon\nFrance\n"
            "Date de facture 13/11/2017\n",
            "Ma jolie boutique",
            "35 rue de la République, 69001 Lyon, France",
        ),
        (
            "Lieferant GmbH\nHandelsname: 99999999800010\nLieferantenstraße 20\nDE 80333 München\n"
            "USt.-Id.-Nr. : DE123456789\n",
            "Lieferant GmbH",
            "Lieferantenstraße 20, DE 80333 München",
        ),
        (
            "Chloé Anderson\n2150 Mission Street, Suite 400\nBoston, MA 02110\nTAX INVOICE\n",
            "Chloé Anderson",
            "2150 Mission Street, Suite 400, Boston, MA 02110",
        ),
        (
            "Customer\nACME\nUnit 12 Ballycoolin Business Park\nDublin 15 D15 X2KA\nIreland\n",
            "ACME",
            "Unit 12 Ballycoolin Business Park, Dublin 15 D15 X2KA, Ireland",
        ),
        (  # a DIN letterhead: the sender line repeats the name and ends the address
            "Garçon & Fils SAS\n 42 avenue Jean-Jaurès · 69002 Lyon\n"
            "Garçon & Fils SAS · 42 avenue Jean-Jaurès · 69002 Lyon\n",
            "Garçon & Fils SAS",
            "42 avenue Jean-Jaurès, 69002 Lyon",
        ),
    ],
)
def test_addresses_run_from_the_street_to_the_postcode_and_city(
    text: str, name: str, address: str
) -> None:
    assert _after(text, name, frozenset({name})) == address


def test_no_address_without_a_postcode_and_city_or_past_another_name() -> None:
    assert _after("ACME Ltd\nPhone +44 20 7946 0000\nVAT GB123456789\n", "ACME Ltd") is None
    interleaved = "Brontë Interiors Ltd\nZoë Blackwood\n9 Market Street\nBristol BS1 4QA\n"
    assert _after(interleaved, "Brontë Interiors Ltd", frozenset({"Zoë Blackwood"})) is None


def test_blocks_side_by_side_take_every_other_line() -> None:
    lines = split_lines(
        "Brontë Interiors Ltd\nZoë Blackwood\n9 Market Street\n14 Cavendish Row\n"
        "Bristol BS1 4QA\nManchester M3 2BW\nUnited Kingdom\nUnited Kingdom\n"
    )
    first, second = interleaved_column(lines, 0, 1), interleaved_column(lines, 1, 0)
    assert [line.text for line in first] == ["9 Market Street", "Bristol BS1 4QA", "United Kingdom"]
    found = address_after(second, second[0].start, frozenset())
    assert found is not None and found.text == "14 Cavendish Row, Manchester M3 2BW, United Kingdom"


def test_country_names_in_four_languages() -> None:
    assert [country_code(name) for name in ("Deutschland", "Royaume-Uni", "Nederland", "USA")] == [
        "DE",
        "GB",
        "NL",
        "US",
    ]
    assert country_code("Lyon") is None
