"""The item picker's buttons over the messengers: a pressed item reaches Rasa as its product
order number (plain digits), never as the product name the buyer saw."""

from bot.channels.messenger import inbound_text


def test_a_pressed_item_button_is_its_product_order_number():
    assert inbound_text("면 티셔츠", "2026112590000030") == "2026112590000030"


def test_other_codes_we_did_not_offer_are_not_taken():
    assert inbound_text("면 티셔츠", "/restart") == "면 티셔츠"
    assert inbound_text("면 티셔츠", "20261125900000301") == "면 티셔츠"
