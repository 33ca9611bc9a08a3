"""The form macros later pages build on: error summary, inputs, radios and checkboxes."""

from __future__ import annotations

import pytest
from flask import render_template_string
from wtforms import (
    BooleanField,
    Form,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from tests.web.html import elements, visible_text

IMPORTS = (
    '{% from "macros/forms.html" import error_summary, text_input, textarea, radios, '
    "checkboxes, checkbox, button %}"
)


class AddressForm(Form):
    """A small form with one field of each kind the macros handle."""

    postcode = StringField("Postcode", [InputRequired("Enter the postcode of the home")])
    house_number = StringField("House number")
    building = RadioField(
        "What kind of building is it?",
        choices=[SelectChoice("home", "A home"), SelectChoice("farm", "A farm building")],
        validators=[InputRequired("Choose what kind of building it is")],
    )
    reasons = SelectMultipleField(
        "Why do you feel unsafe?",
        choices=[
            SelectChoice("cracks", "Cracks in walls"),
            SelectChoice("doors", "Doors that stick"),
        ],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    confirmed = BooleanField("I confirm")


def render(app, source: str, *, submitted: bool, lang: str = "nl") -> str:
    """Render template source with an AddressForm, validated when submitted."""
    with app.test_request_context(f"/?lang={lang}"):
        form = AddressForm()
        if submitted:
            form.validate()
        return render_template_string(IMPORTS + source, form=form)


def test_error_summary_lists_each_error_linking_to_its_field(app):
    html = render(app, "{{ error_summary(form) }}", submitted=True)

    summary = [d for d in elements(html, "div") if "opnameloket-error-summary" in d["class"]]
    assert summary == [
        {
            "class": "opnameloket-error-summary",
            "role": "alert",
            "tabindex": "-1",
            "autofocus": None,
            "aria-labelledby": "error-summary-title",
        }
    ]
    assert [a["href"] for a in elements(html, "a")] == ["#postcode", "#building-0"]
    assert visible_text(html) == (
        "Er is een probleem Enter the postcode of the home Choose what kind of building it is"
    )


def test_error_summary_is_absent_while_there_are_no_errors(app):
    assert render(app, "{{ error_summary(form) }}", submitted=False).strip() == ""


def test_text_input_points_at_its_hint_and_error(app):
    source = '{{ text_input(form.postcode, hint="Bijvoorbeeld 9712 AB", width=7) }}'

    html = render(app, source, submitted=True)

    assert elements(html, "label") == [{"class": "utrecht-form-label", "for": "postcode"}]
    [field] = elements(html, "input")
    assert field["aria-describedby"] == "postcode-hint postcode-error"
    assert field["aria-invalid"] == "true"
    assert "opnameloket-input--width-7" in field["class"]
    ids = [attrs["id"] for attrs in elements(html) if "id" in attrs]
    assert ids == ["postcode-hint", "postcode-error", "postcode"]
    assert "Fout: Enter the postcode of the home" in visible_text(html)


def test_text_input_without_options_writes_no_empty_attributes(app):
    html = render(app, "{{ text_input(form.house_number) }}", submitted=False)

    [field] = elements(html, "input")
    assert field == {
        "class": "utrecht-textbox utrecht-textbox--html-input",
        "id": "house_number",
        "name": "house_number",
        "type": "text",
        "value": "",
    }
    assert "None" not in html


def test_text_input_passes_autocomplete_and_inputmode(app):
    source = '{{ text_input(form.house_number, autocomplete="off", inputmode="numeric") }}'

    [field] = elements(render(app, source, submitted=False), "input")

    assert (field["autocomplete"], field["inputmode"]) == ("off", "numeric")


def test_radios_are_a_fieldset_whose_legend_asks_the_question(app):
    source = '{{ radios(form.building, hint="Kies er een", option_hints={"farm": "Een schuur"}) }}'

    html = render(app, source, submitted=True)

    assert len(elements(html, "fieldset")) == 1
    assert elements(html, "fieldset")[0]["aria-describedby"] == "building-hint building-error"
    assert "What kind of building is it?" in visible_text(html)
    inputs = elements(html, "input")
    assert [(i["type"], i["id"], i.get("aria-describedby")) for i in inputs] == [
        ("radio", "building-0", None),
        ("radio", "building-1", "building-1-hint"),
    ]
    assert [label["for"] for label in elements(html, "label")] == ["building-0", "building-1"]


def test_checkboxes_are_a_fieldset_of_checkboxes(app):
    html = render(app, "{{ checkboxes(form.reasons) }}", submitted=False)

    inputs = elements(html, "input")
    assert [(i["type"], i["id"], i["name"]) for i in inputs] == [
        ("checkbox", "reasons-0", "reasons"),
        ("checkbox", "reasons-1", "reasons"),
    ]
    assert len(elements(html, "legend")) == 1


def test_single_checkbox_has_its_label_next_to_it(app):
    html = render(app, "{{ checkbox(form.confirmed) }}", submitted=False)

    assert [i["type"] for i in elements(html, "input")] == ["checkbox"]
    assert [label["for"] for label in elements(html, "label")] == ["confirmed"]


@pytest.mark.parametrize(("lang", "word"), [("nl", "Fout:"), ("en", "Error:")])
def test_error_prefix_for_screen_readers_is_translated(app, lang, word):
    html = render(app, "{{ text_input(form.postcode) }}", submitted=True, lang=lang)

    assert f"{word} Enter the postcode of the home" in visible_text(html)


def test_button_is_a_submit_button(app):
    html = render(app, '{{ button("Verder") }}', submitted=False)

    assert elements(html, "button") == [
        {"class": "utrecht-button utrecht-button--primary-action", "type": "submit"}
    ]


class ConsentForm(Form):
    """A required question and a required consent box, like the form's last page."""

    building = RadioField("What kind of building is it?",
                          choices=[SelectChoice("home", "A home"), SelectChoice("farm", "A farm")],
                          validators=[InputRequired("Choose what kind of building it is")])
    consent = BooleanField("I confirm", validators=[DataRequired("Confirm the answers")])
    explanation = TextAreaField("Why?", validators=[InputRequired("Write why")])


def _consent_inputs(app, *, submitted: bool) -> list[dict]:
    with app.test_request_context("/"):
        form = ConsentForm()
        if submitted:
            form.validate()
        html = render_template_string(
            IMPORTS + "{{ radios(form.building) }}{{ checkbox(form.consent) }}"
            "{{ textarea(form.explanation) }}", form=form)
    return elements(html, "input") + elements(html, "textarea")


def test_required_fields_do_not_look_wrong_before_an_answer(app):
    """No HTML `required`: with it :invalid matches on load, and the NL Design System CSS
    gives radios, checkboxes and text areas that match :invalid the error border."""
    fresh = _consent_inputs(app, submitted=False)

    assert len(fresh) == 4
    assert [i for i in fresh if "required" in i or "aria-invalid" in i] == []
    assert [i.get("aria-required") for i in fresh] == [None, None, "true", "true"]


def test_required_fields_look_wrong_after_the_server_found_an_error(app):
    submitted = _consent_inputs(app, submitted=True)

    assert [i.get("aria-invalid") for i in submitted] == ["true"] * 4
    assert [i for i in submitted if "required" in i] == []
