"""Appliance types: the trade's vocabulary, shared by appliances, technician specialties and
the lifespan table."""

from django.db import models


class ApplianceType(models.TextChoices):
    REFRIGERATOR = "Refrigerator", "Refrigerator"
    WASHING_MACHINE = "WashingMachine", "Washing machine"
    DRYER = "Dryer", "Dryer"
    DISHWASHER = "Dishwasher", "Dishwasher"
    OVEN_RANGE = "OvenRange", "Oven / range"
    MICROWAVE = "Microwave", "Microwave"
    FREEZER = "Freezer", "Freezer"
    AIR_CONDITIONER = "AirConditioner", "Air conditioner"
    WATER_HEATER = "WaterHeater", "Water heater"
    OTHER = "Other", "Other"
