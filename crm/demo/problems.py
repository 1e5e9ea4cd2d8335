"""Service calls as technicians write them up: the complaint, what they found, what they did."""

from __future__ import annotations

from dataclasses import dataclass

from crm.core.choices import ApplianceType as T


@dataclass(frozen=True)
class Problem:
    """One kind of service call; `part` is what was bought for it (None: no part)."""

    description: str
    issues_found: str
    outcome: str
    part: str | None
    part_cost: tuple[float, float]
    hours: tuple[float, float]


P = Problem
NO_PART = (0.0, 0.0)

REPAIRS: dict[str, tuple[Problem, ...]] = {
    T.REFRIGERATOR: (
        P("Refrigerator not cooling", "Condenser fan motor seized; coils clogged with dust",
          "Replaced the condenser fan motor and cleaned the coils; 37°F after two hours",
          "Condenser fan motor", (45, 95), (1.0, 2.0)),
        P("Fridge leaking water onto the floor", "Defrost drain line frozen and blocked",
          "Cleared and flushed the defrost drain; fitted a drain heater clip",
          "Drain heater clip", (8, 20), (0.75, 1.5)),
        P("Ice maker stopped making ice", "Ice maker module failed; inlet valve weak",
          "Replaced the ice maker assembly and tested a full harvest cycle",
          "Ice maker assembly", (80, 160), (1.0, 1.75)),
        P("Freezer section frosting over", "Defrost heater open circuit",
          "Replaced the defrost heater and ran a forced defrost", "Defrost heater",
          (35, 70), (1.5, 2.5)),
        P("Loud buzzing from the back of the fridge", "Evaporator fan blade hitting ice",
          "Defrosted the evaporator, replaced the fan blade, checked the door gaskets",
          "Evaporator fan blade", (12, 30), (0.75, 1.25)),
    ),
    T.WASHING_MACHINE: (
        P("Washer not draining", "Sock and coins lodged in the drain pump filter",
          "Cleared the pump filter; drain and spin cycles tested OK", None, NO_PART, (0.5, 1.0)),
        P("Washer shaking violently during spin", "Worn suspension rods; unit not level",
          "Replaced all four suspension rods and leveled the washer", "Suspension rod kit",
          (40, 85), (1.0, 2.0)),
        P("Washer leaking from the front door", "Door boot seal torn, with mildew",
          "Replaced the door boot seal and cleaned the tub", "Door boot seal", (60, 120),
          (1.5, 2.5)),
        P("Washer won't start, lights flashing", "Door lock switch faulty (code dL)",
          "Replaced the door lock assembly; ran a full test cycle", "Door lock assembly",
          (35, 75), (0.75, 1.25)),
        P("Grinding noise during spin", "Drum bearings failing",
          "Replaced the rear drum bearings and seal", "Bearing and seal kit", (50, 110),
          (3.0, 4.5)),
    ),
    T.DRYER: (
        P("Dryer not heating", "Thermal fuse blown; exhaust duct about 60% blocked with lint",
          "Replaced the thermal fuse and cleaned the whole exhaust duct; heats to spec",
          "Thermal fuse", (10, 25), (1.0, 1.75)),
        P("Dryer drum not turning", "Drum belt broken; idler pulley worn",
          "Replaced the drum belt and idler pulley", "Drum belt and idler pulley", (30, 60),
          (1.0, 1.5)),
        P("Dryer squeaking loudly", "Drum support rollers worn flat",
          "Replaced both drum rollers and the belt", "Drum roller kit", (25, 55), (1.0, 1.75)),
        P("Clothes take two cycles to dry", "Vent crushed behind the unit; lint housing clogged",
          "Replaced the crushed foil duct with rigid duct and cleaned the vent run",
          "Rigid vent duct", (20, 45), (1.0, 2.0)),
        P("Dryer shuts off after a few minutes", "Cycling thermostat out of range",
          "Replaced the cycling thermostat; verified temperatures", "Cycling thermostat",
          (15, 35), (0.75, 1.25)),
    ),
    T.DISHWASHER: (
        P("Dishwasher not draining", "Food debris jammed in the drain pump impeller",
          "Cleared the pump and filter; showed the customer how to clean the filter", None,
          NO_PART, (0.5, 1.0)),
        P("Dishes coming out dirty", "Spray arms and filter clogged; hard-water scale",
          "Cleaned the spray arms and filter and descaled the tub", None, NO_PART, (0.75, 1.25)),
        P("Dishwasher leaking under the door", "Door gasket cracked",
          "Replaced the door gasket and checked the tub is level", "Door gasket", (25, 55),
          (0.75, 1.25)),
        P("Dishwasher not drying", "Heating element open circuit",
          "Replaced the heating element; full cycle tested", "Heating element", (30, 70),
          (1.0, 1.5)),
        P("Dishwasher won't start", "Door latch switch failed",
          "Replaced the door latch assembly", "Door latch assembly", (25, 60), (0.75, 1.25)),
    ),
    T.OVEN_RANGE: (
        P("Oven not heating", "Bake element burnt through",
          "Replaced the bake element and calibrated the thermostat", "Bake element", (35, 80),
          (0.75, 1.25)),
        P("Gas oven takes forever to light", "Hot-surface igniter weak",
          "Replaced the igniter; lights within 60 seconds", "Oven igniter", (40, 90),
          (1.0, 1.5)),
        P("Oven temperature off by 50 degrees", "Temperature sensor out of range",
          "Replaced the temperature sensor and recalibrated", "Oven temperature sensor",
          (25, 60), (0.75, 1.25)),
        P("Cooktop burner won't light", "Spark electrode cracked",
          "Replaced the electrode and cleaned the burner ports", "Spark electrode", (15, 35),
          (0.75, 1.0)),
        P("Oven door won't close properly", "Both door hinges broken",
          "Replaced both door hinges", "Door hinge pair", (30, 70), (1.0, 1.5)),
    ),
    T.MICROWAVE: (
        P("Microwave runs but doesn't heat", "Magnetron failed",
          "Replaced the magnetron; heating tested with a water load", "Magnetron", (70, 140),
          (1.0, 1.5)),
        P("Microwave turntable not spinning", "Turntable motor failed",
          "Replaced the turntable motor", "Turntable motor", (15, 35), (0.5, 1.0)),
        P("Microwave sparking inside", "Waveguide cover burnt",
          "Replaced the waveguide cover and cleaned the cavity", "Waveguide cover", (8, 20),
          (0.5, 0.75)),
    ),
    T.FREEZER: (
        P("Chest freezer not keeping food frozen", "Compressor start relay failing",
          "Replaced the start relay and overload", "Start relay and overload", (25, 60),
          (1.0, 1.5)),
        P("Freezer door not sealing", "Door gasket torn at the hinge corner",
          "Replaced the door gasket", "Door gasket", (50, 110), (0.75, 1.25)),
        P("Frost building up in the freezer", "Defrost timer stuck",
          "Replaced the defrost timer and ran a defrost cycle", "Defrost timer", (25, 55),
          (1.0, 1.5)),
    ),
    T.AIR_CONDITIONER: (
        P("AC blowing warm air", "Run capacitor on the outdoor unit failed",
          "Replaced the run capacitor; supply air 18°F below return", "Run capacitor",
          (15, 40), (0.75, 1.25)),
        P("AC not turning on", "Fuse in the disconnect blown; contactor pitted",
          "Replaced the fuses and the contactor", "Contactor and fuses", (30, 65), (1.0, 1.5)),
        P("Water dripping from the indoor unit", "Condensate drain line clogged",
          "Flushed the condensate line and treated the pan", None, NO_PART, (0.75, 1.25)),
        P("AC short cycling", "Low charge from a leaking Schrader valve",
          "Repaired the valve core and recharged R-410A", "Refrigerant and valve core",
          (90, 220), (1.5, 2.5)),
    ),
    T.WATER_HEATER: (
        P("No hot water", "Upper heating element failed",
          "Replaced the upper element and thermostat", "Heating element and thermostat",
          (40, 90), (1.0, 1.75)),
        P("Water heater leaking from the relief valve", "T&P relief valve failing",
          "Replaced the T&P valve; advised an expansion tank", "T&P relief valve", (20, 45),
          (0.75, 1.25)),
        P("Rumbling noise from the water heater", "Heavy sediment build-up in the tank",
          "Drained and flushed the tank; replaced the drain valve", "Drain valve", (10, 25),
          (1.0, 1.5)),
        P("Pilot light keeps going out", "Thermocouple worn",
          "Replaced the thermocouple; pilot holds", "Thermocouple", (12, 30), (0.5, 1.0)),
    ),
    T.OTHER: (
        P("Garbage disposal jammed", "Fruit pit wedged under the impeller",
          "Freed the impeller and reset the motor", None, NO_PART, (0.5, 0.75)),
        P("Range hood fan not working", "Fan motor seized",
          "Replaced the range hood fan motor", "Range hood fan motor", (45, 90), (1.0, 1.5)),
        P("Wine cooler not cooling", "Thermoelectric module failed",
          "Replaced the cooling module", "Thermoelectric module", (60, 120), (1.0, 1.5)),
    ),
}  # fmt: skip


def _visit(description: str, issues_found: str, outcome: str) -> Problem:
    return Problem(description, issues_found, outcome, None, NO_PART, (0.75, 1.25))


# The yearly visits of the published service table (crm/appliances/lifespans.py).
MAINTENANCE: dict[str, Problem] = {
    T.REFRIGERATOR: _visit("Annual fridge maintenance", "Condenser coils dusty; water filter due",
                           "Cleaned the condenser coils and replaced the water filter"),
    T.WASHING_MACHINE: _visit("Annual washer maintenance", "Fill hoses original, 6 years old",
                              "Cleaned the tub and drain filter; fitted braided fill hoses"),
    T.DRYER: _visit("Dryer vent cleaning", "Lint build-up in the exhaust duct",
                    "Cleaned the exhaust duct end to end; airflow back to spec"),
    T.DISHWASHER: _visit("Annual dishwasher maintenance", "Filter greasy; spray arm holes scaled",
                         "Cleaned the filter and spray arms; checked the door seal and drain"),
    T.OVEN_RANGE: _visit("Annual oven safety check", "Door seal slightly worn; igniter OK",
                         "Checked elements, igniter and thermostat; calibrated to 350°F"),
    T.MICROWAVE: _visit("Microwave filter service", "Charcoal filter saturated",
                        "Replaced the charcoal filter and cleaned the grease filters"),
    T.FREEZER: _visit("Annual freezer maintenance", "Coils dusty; gasket OK",
                      "Cleaned the coils, checked the door seal and the defrost cycle"),
    T.AIR_CONDITIONER: _visit("Spring AC tune-up", "Filter clogged; charge within range",
                              "Replaced the filter, cleaned the condenser coil, tested capacitor"),
    T.WATER_HEATER: _visit("Water heater flush", "Sediment in the tank; T&P valve OK",
                           "Drained and flushed the tank and tested the T&P relief valve"),
    T.OTHER: _visit("General appliance inspection", "No faults found",
                    "Inspected and cleaned; running normally"),
}  # fmt: skip
