"""What appliances a household owns: how common each type is, brands, model numbers, names."""

from __future__ import annotations

from crm.core.choices import ApplianceType as T

# Share of households' appliances that come to a repair company, roughly.
TYPE_WEIGHTS: list[tuple[str, float]] = [
    (T.REFRIGERATOR, 18), (T.WASHING_MACHINE, 16), (T.DRYER, 14), (T.DISHWASHER, 14),
    (T.OVEN_RANGE, 12), (T.MICROWAVE, 7), (T.FREEZER, 5), (T.AIR_CONDITIONER, 8),
    (T.WATER_HEATER, 8), (T.OTHER, 2),
]  # fmt: skip

BRANDS: dict[str, tuple[str, ...]] = {
    T.REFRIGERATOR: ("Whirlpool", "GE", "Samsung", "LG", "Frigidaire", "KitchenAid", "Sub-Zero"),
    T.WASHING_MACHINE: ("Whirlpool", "LG", "Samsung", "Maytag", "Speed Queen", "Electrolux"),
    T.DRYER: ("Whirlpool", "Maytag", "LG", "Samsung", "GE", "Speed Queen"),
    T.DISHWASHER: ("Bosch", "KitchenAid", "Whirlpool", "GE", "Miele", "Frigidaire"),
    T.OVEN_RANGE: ("GE", "Frigidaire", "Whirlpool", "Samsung", "Wolf", "KitchenAid"),
    T.MICROWAVE: ("Panasonic", "GE", "Whirlpool", "Sharp", "Samsung"),
    T.FREEZER: ("Frigidaire", "GE", "Whirlpool", "Haier"),
    T.AIR_CONDITIONER: ("Carrier", "Trane", "Lennox", "Rheem", "Goodman", "Mitsubishi"),
    T.WATER_HEATER: ("Rheem", "A.O. Smith", "Bradford White", "State", "Rinnai"),
    T.OTHER: ("InSinkErator", "Broan", "Vinotemp", "Scotsman"),
}

# Letters that start a brand's model numbers, so the demo reads like real labels.
MODEL_PREFIX: dict[str, str] = {
    "Whirlpool": "WRF", "GE": "GFE", "Samsung": "RF", "LG": "LRMV", "Frigidaire": "FFTR",
    "KitchenAid": "KRFF", "Sub-Zero": "BI", "Maytag": "MVW", "Speed Queen": "TR",
    "Electrolux": "ELFW", "Bosch": "SHX", "Miele": "G", "Wolf": "DF", "Panasonic": "NN-SN",
    "Sharp": "SMC", "Haier": "HF", "Carrier": "24ACC", "Trane": "4TTR", "Lennox": "ML",
    "Rheem": "XE", "Goodman": "GSX", "Mitsubishi": "MUZ", "A.O. Smith": "GCR",
    "Bradford White": "RE", "State": "GS6", "Rinnai": "RU", "InSinkErator": "EVO",
    "Broan": "BCSD", "Vinotemp": "VT", "Scotsman": "CU",
}  # fmt: skip

NAMES_EN: dict[str, str] = {
    T.REFRIGERATOR: "fridge", T.WASHING_MACHINE: "washer", T.DRYER: "dryer",
    T.DISHWASHER: "dishwasher", T.OVEN_RANGE: "oven", T.MICROWAVE: "microwave",
    T.FREEZER: "freezer", T.AIR_CONDITIONER: "AC", T.WATER_HEATER: "water heater",
    T.OTHER: "appliance",
}  # fmt: skip

# Used after "su", which avoids Spanish gender agreement.
NAMES_ES: dict[str, str] = {
    T.REFRIGERATOR: "refrigerador", T.WASHING_MACHINE: "lavadora", T.DRYER: "secadora",
    T.DISHWASHER: "lavavajillas", T.OVEN_RANGE: "estufa", T.MICROWAVE: "microondas",
    T.FREEZER: "congelador", T.AIR_CONDITIONER: "aire acondicionado",
    T.WATER_HEATER: "calentador de agua", T.OTHER: "electrodoméstico",
}  # fmt: skip


def appliance_name(appliance_type: str, language: str) -> str:
    """The everyday name of an appliance type in the customer's language."""
    table = NAMES_ES if language.startswith("es") else NAMES_EN
    return table.get(appliance_type, table[T.OTHER])
