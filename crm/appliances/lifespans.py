"""Published appliance lifespans and service intervals (shared/reference B3-B5), as seed data.

The table is loaded into ApplianceLifespan by a data migration; operators override it in admin.
Lifespan: NAHB/Bank of America "Study of Life Expectancy of Home Components" (2007); range:
InterNACHI life-expectancy chart. Intervals: manufacturer guidance relayed by This Old House (GE),
ENERGY STAR's HVAC checklist, USFA dryer-fire statistics. "(our default)" marks our own choice.
"""

from __future__ import annotations

NAHB = "NAHB/Bank of America, Study of Life Expectancy of Home Components (2007)"
INTERNACHI = "InterNACHI life-expectancy chart"
GE_TOH = "GE service guidance quoted in This Old House"

LIFESPANS: list[dict[str, object]] = [
    {
        "appliance_type": "Refrigerator",
        "expected_lifespan_years": "13",
        "lifespan_range": "9-13 (upper 14-17)",
        "service_interval_months": 12,
        "service_task": "Clean condenser coils; replace the water filter every 6 months",
        "common_failure_points": "condenser coils, evaporator fan, defrost system, door gaskets, ice maker",
        "peak_season": "",
        "seasonal_impact": "",
        "source": f"{NAHB}; {INTERNACHI}; coils yearly: {GE_TOH}; filter 6 months: manufacturers",
    },
    {
        "appliance_type": "WashingMachine",
        "expected_lifespan_years": "10",
        "lifespan_range": "5-15",
        "service_interval_months": 12,
        "service_task": "Clean the tub and drain filter; replace fill hoses every 5 years",
        "common_failure_points": "fill hoses, drain pump, door seal, bearings, suspension",
        "peak_season": "",
        "seasonal_impact": "",
        "source": f"{NAHB}; {INTERNACHI}; hoses every 5 years: {GE_TOH}; yearly visit (our default)",
    },
    {
        "appliance_type": "Dryer",
        "expected_lifespan_years": "13",
        "lifespan_range": "13-14",
        "service_interval_months": 12,
        "service_task": "Inspect and clean the exhaust duct",
        "common_failure_points": "exhaust duct lint, heating element, drum belt, thermal fuse",
        "peak_season": "Winter",
        "seasonal_impact": "Dryer fires peak in winter (January); a clogged duct is the leading factor",
        "source": f"{NAHB}; {INTERNACHI}; duct yearly: {GE_TOH}, NFPA; fire peak: USFA",
    },
    {
        "appliance_type": "Dishwasher",
        "expected_lifespan_years": "9",
        "lifespan_range": "9-10",
        "service_interval_months": 12,
        "service_task": "Clean filter and spray arms; check door seal and drain",
        "common_failure_points": "filter, drain pump, spray arms, door seal, heating element",
        "peak_season": "",
        "seasonal_impact": "",
        "source": f"{NAHB}; {INTERNACHI}; filter 3-12 times a year: Bosch; yearly visit (our default)",
    },
    {
        "appliance_type": "OvenRange",
        "expected_lifespan_years": "13",
        "lifespan_range": "13-15 (gas 15-17)",
        "service_interval_months": 12,
        "service_task": "Check elements or igniter, thermostat and door seal",
        "common_failure_points": "bake and broil elements, igniter, thermostat, door hinges",
        "peak_season": "",
        "seasonal_impact": "",
        "source": f"{NAHB} (electric 13, gas 15); {INTERNACHI}; yearly check (our default)",
    },
    {
        "appliance_type": "Microwave",
        "expected_lifespan_years": "9",
        "lifespan_range": "9-11",
        "service_interval_months": 6,
        "service_task": "Replace the charcoal filter; clean the grease filter",
        "common_failure_points": "magnetron, door switches, turntable motor, charcoal filter",
        "peak_season": "",
        "seasonal_impact": "",
        "source": f"{NAHB}; charcoal filter about every 6 months: SlashGear, The Takeout",
    },
    {
        "appliance_type": "Freezer",
        "expected_lifespan_years": "11",
        "lifespan_range": "10-20",
        "service_interval_months": 12,
        "service_task": "Clean coils; check door seal and defrost",
        "common_failure_points": "compressor, defrost heater, door seal, condenser fan",
        "peak_season": "",
        "seasonal_impact": "",
        "source": f"{NAHB}; {INTERNACHI}; yearly coils (our default, as refrigerators)",
    },
    {
        "appliance_type": "AirConditioner",
        "expected_lifespan_years": "15",
        "lifespan_range": "7-15",
        "service_interval_months": 12,
        "service_task": "Professional tune-up in spring; filter every 1-3 months",
        "common_failure_points": "filters, refrigerant charge, capacitor, condenser coil, fan motor",
        "peak_season": "Summer",
        "seasonal_impact": "Cooling season load: tune up in spring, before summer",
        "source": f"{NAHB}; {INTERNACHI}; ENERGY STAR maintenance checklist",
    },
    {
        "appliance_type": "WaterHeater",
        "expected_lifespan_years": "11",
        "lifespan_range": "6-12 tank (tankless 20+)",
        "service_interval_months": 12,
        "service_task": "Drain and flush the tank; test the T&P relief valve",
        "common_failure_points": "sediment build-up, anode rod, T&P relief valve, heating element or burner",
        "peak_season": "",
        "seasonal_impact": "",
        "source": f"{NAHB} (electric 11, gas 10); {INTERNACHI}; yearly flush: Customaire, OnlineHSA",
    },
    {
        "appliance_type": "Other",
        "expected_lifespan_years": "10",
        "lifespan_range": "",
        "service_interval_months": 12,
        "service_task": "General inspection",
        "common_failure_points": "varies by appliance",
        "peak_season": "",
        "seasonal_impact": "",
        "source": "(our default) no published figure for unspecified appliances",
    },
]
