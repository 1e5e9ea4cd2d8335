"""Dispatcher scenarios for technician matching: each case is a fresh customer with their own
technicians and history, the technician an experienced dispatcher sends, and why.

TODAY is Tue, Dec 1, 2026. Technicians repair refrigerators unless a case says otherwise; "rated"
are ratings from other customers; "booked" visits fill the visit day (capacity 4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from crm.appliances.tests.factories import ApplianceFactory
from crm.core.choices import ApplianceType as T
from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.tests.factories import JobFactory
from crm.technicians.tests.factories import CustomerTechnicianRatingFactory, TechnicianFactory

TODAY = dt.date(2026, 12, 1)
FRIDGE = (T.REFRIGERATOR,)


@dataclass(frozen=True)
class Tech:
    name: str
    kinds: tuple[str, ...] = FRIDGE
    years: int = 5
    rated: tuple[int, ...] = ()  # by other customers
    rated_by_customer: tuple[int, ...] = ()
    quals: tuple[str, ...] = ()
    booked: dict[int, int] = field(default_factory=dict)  # days from TODAY -> visits booked


@dataclass(frozen=True)
class Past:
    """A completed job for this customer `days_ago`, on the case's appliance unless `other`."""

    tech: str
    days_ago: int
    other: str = ""


@dataclass(frozen=True)
class Case:
    name: str
    techs: tuple[Tech, ...]
    expected: str
    why: str  # the dispatcher's reason
    says: str  # words the answer must give for it
    kind: str | None = T.REFRIGERATOR  # None: no appliance picked, the issue text only
    brand: str = "Whirlpool"
    age: int | None = 4
    issue: str = ""
    preferred: str = ""
    past: tuple[Past, ...] = ()
    date: int | None = None  # days from TODAY
    urgent: bool = False


def _t(name: str, **changes: Any) -> Tech:
    return Tech(name, **changes)


FIVES = (5,) * 20
CASES: tuple[Case, ...] = (
    # ---- basics
    Case("specialist over a better rated generalist",
         (_t("Ada Dryer", kinds=(T.DRYER,), rated=(5, 5, 5, 5)), _t("Ben Cold")),
         "Ben Cold", "only Ben repairs refrigerators", "Repairs refrigerators"),
    Case("the better rated of two specialists",
         (_t("Ann Low", rated=(3, 3)), _t("Zed High", rated=(5, 5, 5, 5))),
         "Zed High", "rated 5/5 four times against 3/5 twice", "Rated 5.0/5 over 4 ratings"),
    Case("preferred technician among equals",
         (_t("Amy Plain"), _t("Zoe Liked")), "Zoe Liked", "the customer asked for Zoe",
         "The customer's preferred technician", preferred="Zoe Liked"),
    Case("the customer rated them 5 before",
         (_t("Al Other"), _t("Yan Rated", rated_by_customer=(5,))), "Yan Rated",
         "the customer gave Yan 5/5", "This customer rated them 5/5"),
    Case("a specialist with one poor outside rating still beats a generalist",
         (_t("Art Washer", kinds=(T.WASHING_MACHINE,)), _t("Zia Cold", rated=(2,))),
         "Zia Cold", "only Zia repairs refrigerators", "Repairs refrigerators"),
    # ---- ties broken by evidence
    Case("tie: more years", (_t("Adam New", years=2), _t("Zack Old", years=15)), "Zack Old",
         "same record; Zack has 13 more years", "more years of experience (15 vs 2)"),
    Case("tie: more ratings", (_t("Amy Few", rated=(3, 3)), _t("Walt Many", rated=(3,) * 6)),
         "Walt Many", "both average 3/5; Walt's average rests on more ratings",
         "more ratings (6 vs 2)"),
    Case("tie: same evidence, by name", (_t("Ana Same"), _t("Bea Same")), "Ana Same",
         "nothing tells them apart", "same evidence): by name"),
    Case("past service for this customer (not rated)",
         (_t("Abe Never"), _t("Wendy Known")), "Wendy Known",
         "Wendy served this customer twice; the customer knows her",
         "Served this customer 2 times",
         past=(Past("Wendy Known", 200, other=T.DRYER), Past("Wendy Known", 120, other=T.DRYER))),
    # ---- years of experience for complex repairs on old appliances
    Case("complex repair on an old fridge: the veteran",
         (_t("Nia Novice", years=3, rated=(5,) * 5), _t("Vic Veteran", years=20, rated=(4,) * 5)),
         "Vic Veteran", "a 14-year-old compressor job needs experience",
         "20 years of experience, for a complex repair on a 14-year-old appliance",
         age=14, issue="Compressor clicks on and off, fridge not cooling"),
    Case("complex repair on a new fridge: ratings decide",
         (_t("Nia Novice", years=3, rated=(5,) * 5), _t("Vic Veteran", years=20, rated=(4,) * 5)),
         "Nia Novice", "a 2-year-old fridge is under the maker's design; ratings decide",
         "Rated 5.0/5 over 5 ratings", age=2, issue="Compressor clicks on and off"),
    Case("simple job on an old fridge: ratings decide",
         (_t("Nia Novice", years=3, rated=(5,) * 5), _t("Vic Veteran", years=20, rated=(4,) * 5)),
         "Nia Novice", "a torn door seal is simple", "Rated 5.0/5 over 5 ratings",
         age=15, issue="The door seal is torn"),
    Case("age from the text: 15-year-old washer motor",
         (_t("Nia Novice", kinds=(T.WASHING_MACHINE,), years=1, rated=(5,) * 5),
          _t("Vic Veteran", kinds=(T.WASHING_MACHINE,), years=18, rated=(4,) * 5)),
         "Vic Veteran", "an old washer's motor needs experience", "18 years of experience",
         kind=None, issue="Our 15-year-old washer: the motor hums but the drum won't spin"),
    Case("Spanish: old fridge compressor",
         (_t("Nia Novice", years=2, rated=(5,) * 5), _t("Vic Veteran", years=25, rated=(4,) * 5)),
         "Vic Veteran", "compresor de una nevera de 12 años", "25 years of experience",
         kind=None, issue="El compresor de la nevera hace ruido, tiene 12 años"),
    # ---- continuity and repeat failures
    Case("repaired this fridge before, no review, no callback",
         (_t("Alan Other"), _t("Carl Before")), "Carl Before",
         "Carl fixed this fridge 3 months ago and it held", "no callback since",
         past=(Past("Carl Before", 90),)),
    Case("repeat failure soon after a repair",
         (_t("Adam Failed"), _t("Zoe Fresh")), "Zoe Fresh",
         "Adam's repair 12 days ago did not hold: send someone else", "did not hold",
         past=(Past("Adam Failed", 12),)),
    Case("failed again after one, held after the other",
         (_t("Abe First"), _t("Yuri Second")), "Yuri Second",
         "Abe's repair failed in 10 days; Yuri's fix has held 90 days", "no callback since",
         past=(Past("Abe First", 100), Past("Yuri Second", 90))),
    Case("continuity over a slightly better rating",
         (_t("Dana Rated", rated=(5, 5, 4, 4)), _t("Carl Before", rated=(4, 4, 4, 4))),
         "Carl Before", "Carl knows this fridge; ratings are close", "no callback since",
         past=(Past("Carl Before", 60),)),
    Case("a recent job on another appliance is not a callback",
         (_t("Zed Other"), _t("Alan Dryer")), "Alan Dryer",
         "Alan served this customer 10 days ago on the dryer", "Served this customer 1 time",
         past=(Past("Alan Dryer", 10, other=T.DRYER),)),
    # ---- reading the issue text
    Case("washer fine, dryer broken",
         (_t("Wes Washer", kinds=(T.WASHING_MACHINE,)), _t("Dee Dryer", kinds=(T.DRYER,))),
         "Dee Dryer", "the dryer is the one with the problem", "Repairs dryers",
         kind=None, issue="The washer works fine but the dryer won't heat"),
    Case("Spanish: la lavadora funciona bien",
         (_t("Wes Washer", kinds=(T.WASHING_MACHINE,)), _t("Dee Dryer", kinds=(T.DRYER,))),
         "Dee Dryer", "la secadora no calienta", "Repairs dryers",
         kind=None, issue="La lavadora funciona bien pero la secadora no calienta"),
    Case("fridge fine, dishwasher leaking",
         (_t("Fay Fridge"), _t("Dot Dish", kinds=(T.DISHWASHER,))), "Dot Dish",
         "the dishwasher leaks", "Repairs dishwashers",
         kind=None, issue="Fridge is fine; the dishwasher is leaking on the floor"),
    Case("AC not cooling, fridge fine",
         (_t("Fred Fridge"), _t("Zara Air", kinds=(T.AIR_CONDITIONER,))), "Zara Air",
         "the air conditioner is the one not cooling", "Repairs air conditioners",
         kind=None, issue="The AC is not cooling, the fridge works fine"),
    Case("gas smell at the stove needs gas certification",
         (_t("Olga Oven", kinds=(T.OVEN_RANGE,), rated=FIVES),
          _t("Gus Gas", kinds=(T.OVEN_RANGE,), quals=("gas",))),
         "Gus Gas", "a gas smell is for a gas-certified technician only", "Left out: not gas",
         kind=None, issue="Gas smell near the stove when the burner is on"),
    Case("gas dryer",
         (_t("Dee Dryer", kinds=(T.DRYER,), rated=FIVES),
          _t("Gil Gas", kinds=(T.DRYER,), quals=("gas",))),
         "Gil Gas", "a gas dryer needs gas certification", "Repairs dryers",
         kind=T.DRYER, issue="Gas dryer runs but does not heat"),
    Case("water heater pilot",
         (_t("Al Heater", kinds=(T.WATER_HEATER,), rated=FIVES),
          _t("Hank Gas", kinds=(T.WATER_HEATER,), quals=("gas",))),
         "Hank Gas", "a pilot light means a gas heater", "Repairs water heaters",
         kind=None, issue="No hot water, the pilot keeps going out"),
    Case("Spanish: huele a gas",
         (_t("Olga Horno", kinds=(T.OVEN_RANGE,), rated=FIVES),
          _t("Gus Gas", kinds=(T.OVEN_RANGE,), quals=("gas",))),
         "Gus Gas", "huele a gas en la estufa", "Repairs ovens / ranges",
         kind=None, issue="Huele a gas en la estufa"),
    Case("refrigerant recharge needs certification",
         (_t("Cal Air", kinds=(T.AIR_CONDITIONER,), rated=FIVES),
          _t("Rita Cert", kinds=(T.AIR_CONDITIONER,), quals=("refrigerant",))),
         "Rita Cert", "refrigerant work needs EPA 608", "Repairs air conditioners",
         kind=T.AIR_CONDITIONER, issue="Needs a refrigerant recharge"),
    Case("brand authorisation",
         (_t("Abel Dish", kinds=(T.DISHWASHER,)),
          _t("Dina Bosch", kinds=(T.DISHWASHER,), quals=("brand:Bosch",))),
         "Dina Bosch", "Dina is authorised for Bosch (warranty parts)", "Authorised for Bosch",
         kind=T.DISHWASHER, brand="Bosch"),
    # ---- exclusions
    Case("fully booked today",
         (_t("Ana Busy", rated=FIVES, booked={0: 4}), _t("Bo Free")), "Bo Free",
         "Ana has no room today", "Left out: fully booked"),
    Case("the customer rated them 2",
         (_t("Abe Fine"), _t("Zed Disliked", rated=FIVES, rated_by_customer=(2,))), "Abe Fine",
         "the customer rated Zed 2/5: not sent again", "Left out: this customer rated them 2/5"),
    Case("nobody else can go", (_t("Ana Only", booked={0: 4}),), "Ana Only",
         "the only technician; booked up, but nobody else", "nobody else can go"),
    Case("the only gas technician, though once rated low",
         (_t("Olga Oven", kinds=(T.OVEN_RANGE,)),
          _t("Gil Gas", kinds=(T.OVEN_RANGE,), quals=("gas",), rated_by_customer=(2,))),
         "Gil Gas", "a gas leak needs certification; nobody else is certified",
         "nobody else can go", kind=T.OVEN_RANGE, issue="Smell of gas from the range"),
    # ---- the visit day
    Case("booked on the day asked for",
         (_t("Ana Busy", rated=FIVES, booked={2: 4}), _t("Bo Free")), "Bo Free",
         "Thursday is full for Ana", "Left out: fully booked Thu, Dec 3", date=2),
    Case("free on the day asked for though full today",
         (_t("Ana Later", rated=(5,) * 5, booked={0: 4}), _t("Bo Free")), "Ana Later",
         "Ana is free on Thursday, the day asked for", "Rated 5.0/5", date=2),
    Case("urgent: preferred is full today, free tomorrow",
         (_t("Ana Pref", rated=(5,) * 5, booked={0: 4}), _t("Bo Free")), "Bo Free",
         "urgent: Bo goes today; Ana is offered for tomorrow", "Ana is preferred; free Wed, Dec 2",
         preferred="Ana Pref", urgent=True),
    Case("not urgent: preferred free later in the week",
         (_t("Ana Pref", rated=(5,) * 5, booked={1: 4, 2: 4}), _t("Bo Free")), "Bo Free",
         "Bo goes on Wednesday; Ana is offered for Thursday... Friday",
         "Ana is preferred; free Fri, Dec 4", preferred="Ana Pref", date=1),
)  # fmt: skip


def _aware(days: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(TODAY + dt.timedelta(days=days), dt.time(hour)))


def case_build(case: Case) -> tuple[Customer, dict[str, Any]]:
    """The case's customer, technicians and history; the matching options for it."""
    customer, others = CustomerFactory(), CustomerFactory()
    appliance = ApplianceFactory(
        customer=customer, type=case.kind or T.REFRIGERATOR, brand=case.brand,
        install_date=TODAY.replace(year=TODAY.year - case.age) if case.age else None,
    )  # fmt: skip
    technicians = {tech.name: _technician(tech, customer, others) for tech in case.techs}
    for past in case.past:
        on = ApplianceFactory(customer=customer, type=past.other) if past.other else appliance
        JobFactory(
            customer=customer, appliance=on, technician=technicians[past.tech],
            status="Completed", scheduled_for=_aware(-past.days_ago, 9),
            completed_at=_aware(-past.days_ago, 11),
        )  # fmt: skip
    if case.preferred:
        customer.preferred_technician = technicians[case.preferred]
        customer.save()
    options: dict[str, Any] = {"appliance_id": appliance.pk if case.kind else None}
    options["issue"] = case.issue or None
    if case.date is not None:
        options["date"] = TODAY + dt.timedelta(days=case.date)
    if case.urgent:
        options["urgent"] = True
    return customer, options


def _technician(tech: Tech, customer: Customer, others: Customer) -> Any:
    technician = TechnicianFactory(
        name=tech.name, specialties=list(tech.kinds), years_experience=tech.years,
        daily_capacity=4, qualifications=list(tech.quals),
    )  # fmt: skip
    for rating in tech.rated:
        CustomerTechnicianRatingFactory(customer=others, technician=technician, rating=rating)
    for rating in tech.rated_by_customer:
        CustomerTechnicianRatingFactory(customer=customer, technician=technician, rating=rating)
    for days, visits in tech.booked.items():
        for hour in range(visits):
            JobFactory(customer=others, technician=technician, scheduled_for=_aware(days, 8 + hour))
    return technician
