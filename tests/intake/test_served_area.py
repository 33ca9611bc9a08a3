"""The area served is checked first: outside it, the resident is told so at once.

Only the acute-danger question comes before it: danger goes first, wherever the home is.
"""

from __future__ import annotations

import pytest

from portal.app import create_app
from portal.config import ConfigurationError, load_settings
from portal.register.areas import in_province, municipality_of_postcode, province_municipalities
from tests.intake.conftest import NEVER_INSPECTED, post
from tests.intake.walk import no_danger

GRONINGEN_PROVINCE = {"0014", "0037", "0047", "0765", "1895", "1950", "1952", "1966", "1969",
                      "1979"}


def test_by_default_the_whole_province_is_served(app):
    assert (province_municipalities(), app.config["SERVED_MUNICIPALITIES"]) == (
        GRONINGEN_PROVINCE, GRONINGEN_PROVINCE)


def test_postcodes_are_placed_in_the_province_by_their_four_digits():
    assert [(in_province(p), municipality_of_postcode(p)) for p in ("9937AB", "9561", "1012AB")] \
        == [(True, "1979"), (True, "1950"), (False, None)]


def test_an_address_outside_the_province_is_told_before_any_other_question(client, register):
    no_danger(client)
    response = post(client, "/aanvraag/adres", {"postcode": "1012 AB", "huisnummer": "1"})

    assert response.headers["Location"].endswith("/aanvraag/buiten-gebied")
    page = client.get("/aanvraag/buiten-gebied").text
    assert "Dit adres ligt buiten ons gebied" in page
    assert "provincie Groningen" in page
    assert "Commissie Mijnbouwschade" in page


def test_an_address_in_the_province_goes_on_to_choose_the_address(client, register):
    no_danger(client)
    response = post(client, "/aanvraag/adres",
                    {"postcode": NEVER_INSPECTED[0], "huisnummer": str(NEVER_INSPECTED[1])})

    assert response.headers["Location"].endswith("/aanvraag/adres-kiezen")


def test_a_narrower_served_area_names_its_municipalities(test_environ, register):
    narrow = create_app({"environ": {**test_environ, "SERVED_MUNICIPALITIES": "GM0014, 1966"}})
    client = narrow.test_client()
    no_danger(client)

    response = post(client, "/aanvraag/adres",
                    {"postcode": NEVER_INSPECTED[0], "huisnummer": str(NEVER_INSPECTED[1])})

    assert response.headers["Location"].endswith("/aanvraag/buiten-gebied")
    assert narrow.config["SERVED_MUNICIPALITIES"] == {"0014", "1966"}


def test_the_served_area_setting_refuses_what_is_no_municipality_code(tmp_path):
    with pytest.raises(ConfigurationError, match="SERVED_MUNICIPALITIES"):
        load_settings(tmp_path, {"SERVED_MUNICIPALITIES": "1979,Groningen"})
