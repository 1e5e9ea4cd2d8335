"""Reading an issue text: the appliance with the problem, the qualifications it needs, whether
the repair is complex and the age the text gives (English and Spanish)."""

from __future__ import annotations

import pytest

from crm.insights.features.issue_reading import issue_read


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The washer works fine but the dryer won't heat", "Dryer"),
        ("The dryer won't heat; the washer works fine", "Dryer"),
        ("Fridge is fine, the dishwasher leaks", "Dishwasher"),
        ("The AC is not cooling and the fridge is ok", "AirConditioner"),
        ("Fridge not cooling", "Refrigerator"),
        ("La lavadora funciona bien pero la secadora no calienta", "Dryer"),
        ("El lavavajillas gotea, la nevera está bien", "Dishwasher"),
        ("No hot water since Monday", "WaterHeater"),
        ("My dishwasher is noisy", "Dishwasher"),  # not the washer inside "dishwasher"
        ("Not the fridge, the freezer is warm", "Freezer"),
        ("Ice maker stopped making ice", "Refrigerator"),
        ("El aire no enfría", "AirConditioner"),
        ("Something smells odd", None),
        ("", None),
    ],
)
def test_the_appliance_with_the_problem(text: str, kind: str | None) -> None:
    assert issue_read(text).appliance_type == kind


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("Gas smell near the stove", ("gas",)),
        ("Gas dryer does not heat", ("gas",)),
        ("Water heater pilot keeps going out", ("gas",)),
        ("Huele a gas en la cocina", ("gas",)),
        ("AC needs a refrigerant recharge", ("refrigerant",)),
        ("Le falta gas refrigerante al aire acondicionado", ("refrigerant",)),
        ("The gas range works fine, the fridge is warm", ()),
        ("Fridge is warm", ()),
        ("Propane range igniter clicks", ("gas",)),
    ],
)
def test_the_qualifications_the_text_implies(text: str, needs: tuple[str, ...]) -> None:
    assert issue_read(text).needs == needs


def test_complexity_and_age() -> None:
    reading = issue_read("Our 15-year-old fridge: the compressor clicks")
    assert (reading.complex_repair, reading.age_years) == (True, 15)
    spanish = issue_read("El compresor de la nevera hace ruido, tiene 12 años")
    assert (spanish.complex_repair, spanish.age_years) == (True, 12)
    simple = issue_read("The door seal is torn")
    assert (simple.complex_repair, simple.age_years) == (False, None)
