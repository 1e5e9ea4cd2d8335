"""Rows of the scale benchmark as COPY text: customer k's whole history follows from k alone.

No Django here (the chunks are built in worker processes). Ids are computed, not drawn from
sequences: customer k has id k and its rows of a table have ids k * SLOTS[table] + i, so the
same customer has the same history, with the same ids, in the 300-customer database and in the
1,000,000-customer one: the Customer View of customer 150 compares like with like.

Proportions per customer follow crm/demo (seed_demo at 1,000 customers: 3 consents, 2.5
appliances, 3.3 jobs, 3.1 payments, 3.9 expenses, 1.6 reviews, 17 activities), with fewer
timeline entries (about 10) and, which the demo leaves to the sweeps, about 2 messages and
0.5 reminders. Every value satisfies the tables' CHECK constraints, and a payment's or
expense's customer is its job's (ADR 0001). Phones are E.164 (+1555 and seven digits, one
per customer), emails lower case.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

TECH_PER_CUSTOMERS = 5000
FUTURE_DAYS = 3000  # the day table reaches this far ahead (warranties end in the future)
PAST_DAYS = 6000
SLOTS = {"consent": 4, "appliance": 8, "job": 16, "money": 32, "activity": 32,
         "message": 8, "reminder": 4}  # fmt: skip
REFERRAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


COLUMNS: dict[str, tuple[str, ...]] = {
    "technicians_technician": ("id", "created_at", "updated_at", "name", "phone", "email",
        "specialties", "years_experience", "active", "daily_capacity", "hourly_cost"),
    "customers_customer": ("id", "created_at", "updated_at", "name", "email", "phone",
        "address", "referral_code", "preferred_contact_method", "preferred_contact_times",
        "communication_frequency_preference", "language_preference", "timezone",
        "preferred_technician_id", "referred_by_id"),
    "customers_contactconsent": ("id", "channel", "marketing_opt_in", "opted_out_at",
        "updated_at", "customer_id"),
    "appliances_appliance": ("id", "created_at", "updated_at", "type", "brand", "model_number",
        "serial_number", "install_date", "warranty_expires_on", "last_service_date",
        "customer_id", "job_id"),
    "jobs_job": ("id", "created_at", "updated_at", "description", "status", "scheduled_for",
        "completed_at", "outcome", "issues_found", "labor_hours", "appliance_id",
        "customer_id", "technician_id"),
    "jobs_payment": ("id", "created_at", "updated_at", "amount", "date", "payment_method",
        "reference", "customer_id", "job_id"),
    "jobs_expense": ("id", "created_at", "updated_at", "amount", "date", "category",
        "description", "customer_id", "job_id"),
    "reviews_review": ("id", "created_at", "updated_at", "rating", "comment", "customer_id",
        "job_id", "technician_id"),
    "reviews_servicefollowup": ("id", "created_at", "updated_at", "status",
        "satisfaction_rating", "feedback", "follow_up_date", "customer_id", "job_id"),
    "activities_activity": ("id", "kind", "direction", "content", "occurred_at", "author_id",
        "customer_id", "job_id"),
    "messaging_scheduledmessage": ("id", "created_at", "updated_at", "channel", "purpose",
        "subject", "body", "template_name", "template_params", "send_at", "status", "source",
        "idempotency_key", "attempts", "last_error", "needs_review", "provider_message_id",
        "carrier", "claim_token", "sending_started_at", "sent_at", "status_changed_at",
        "approved_at", "approved_by_id", "created_by_id", "customer_id", "job_id"),
    "engagement_reminder": ("id", "kind", "title", "details", "due_date", "priority", "status",
        "snoozed_until", "source_key", "resolved_at", "created_at", "updated_at",
        "appliance_id", "created_by_id", "customer_id", "job_id"),
    "referrals_referral": ("id", "created_at", "updated_at", "status", "reward_given",
        "reward_amount", "referred_customer_id", "referrer_id"),
}  # fmt: skip

FIRST = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William "
    "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa "
    "Daniel Nancy Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven "
    "Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian "
    "Melissa George Deborah Timothy Stephanie Ronald Rebecca Jason Laura Edward Helen "
    "Jeffrey Sharon Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley "
    "Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon Samantha "
    "Benjamin Katherine Samuel Christine Gregory Debra Alexander Rachel Frank Carolyn "
    "Patrick Janet Raymond Maria Jack Catherine Dennis Heather Jerry Diane Tyler Olivia"
)
FIRST_ES = _words(
    "José Juan Luis Carlos Jorge Miguel Alejandro Fernando Ricardo Eduardo Guadalupe "
    "Rosa Carmen Lucía Sofía Valentina Camila Isabella Daniela Gabriela Ximena Andrea "
    "Mariana Paola Verónica Leticia Adriana Alma Beatriz Elena"
)
LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell "
    "Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes "
    "Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson "
    "Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood "
    "James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers "
    "Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler "
    "Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander "
    "Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson "
    "Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez "
    "McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman "
    "Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason "
    "Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar "
    "Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto "
    "Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez "
    "Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson "
    "Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews "
    "Pena Richards Contreras Willis Carpenter Lawrence Sandoval"
)
STREETS = _words(
    "Oak Maple Cedar Pine Elm Washington Lake Hill Park Main Sunset River Church "
    "Highland Forest Jefferson Lincoln Walnut Willow Meadow Spring Ridge"
)
SUFFIXES = ("St", "Ave", "Rd", "Dr", "Ln", "Ct", "Blvd", "Way")
CITIES = (
    ("Springfield", "IL"), ("Riverside", "CA"), ("Franklin", "TN"), ("Greenville", "SC"),
    ("Bristol", "CT"), ("Clinton", "NY"), ("Fairview", "TX"), ("Salem", "OR"),
    ("Madison", "WI"), ("Georgetown", "KY"), ("Arlington", "VA"), ("Dover", "DE"),
)  # fmt: skip
TYPES = ("Refrigerator", "WashingMachine", "Dryer", "Dishwasher", "OvenRange", "Microwave",
         "Freezer", "AirConditioner", "WaterHeater", "Other")  # fmt: skip
BRANDS = ("Whirlpool", "GE", "Samsung", "LG", "Maytag", "Frigidaire", "Bosch", "KitchenAid",
          "Kenmore", "Electrolux", "Carrier", "Rheem")  # fmt: skip
JOB_WORDS = ("Not cooling", "Leaking water", "Loud noise when running", "Will not start",
             "Error code on display", "Door seal worn", "Annual maintenance",
             "Installation check", "Not draining", "Uneven heating")  # fmt: skip
NOTES = (
    "Called to confirm the visit window.", "Customer asked about a maintenance plan.",
    "Left a voicemail about the estimate.", "Sent the invoice by email.",
    "Customer happy with the repair.", "Asked for a quote for a new unit.",
    "Parts ordered, will call when they arrive.", "Rescheduled at the customer's request.",
)  # fmt: skip
KINDS = (
    ("Note", "Internal"), ("Call", "Outbound"), ("Call", "Inbound"), ("WhatsApp", "Outbound"),
    ("WhatsApp", "Inbound"), ("SMS", "Outbound"), ("Email", "Outbound"), ("Email", "Inbound"),
    ("System", "Internal"),
)  # fmt: skip
KIND_WEIGHTS = (3, 3, 2, 3, 2, 1, 2, 1, 3)
METHODS = ("Cash", "Card", "Card", "Card", "BankTransfer", "Check", "MobileWallet", "Other")
CATEGORIES = ("Parts", "Parts", "Labor", "Travel", "Subcontractor", "Other")
CHANNELS = ("WhatsApp", "Email", "SMS")
CONTACT = ("WhatsApp", "WhatsApp", "Phone", "Phone", "SMS", "Email")
FREQUENCY = ("Minimal", "Moderate", "Moderate", "Moderate", "Frequent")
REMINDER_KINDS = ("Manual", "MaintenanceDue", "NoRecentContact", "FollowUpOverdue",
                  "WarrantyEnding")  # fmt: skip
SPECIALTIES = (
    '["Refrigerator", "Freezer", "AirConditioner"]', '["WashingMachine", "Dryer", "Dishwasher"]',
    '["Dishwasher", "OvenRange", "Microwave"]', '["AirConditioner", "WaterHeater"]',
)  # fmt: skip
N = "\\N"
ASCII = str.maketrans("áéíóúñ", "aeioun")


@dataclass(frozen=True)
class Plan:
    """What every chunk needs to know: the day the data ends, the crew size, the zone."""

    today: dt.date
    technicians: int
    time_zone: str
    seed: int = 1


def technician_count(customers: int) -> int:
    """The crew of a company with a million customers (one per 5,000), at every size: the
    Customer View lists the crew, and customer k's random draws (its technicians among them)
    must not depend on the size for its history to be the same at 300 and at 1,000,000."""
    return max(8, max(customers, 1_000_000) // TECH_PER_CUSTOMERS)


def _days(today: dt.date) -> list[str]:
    """ISO dates indexed by FUTURE_DAYS + days ago (a negative days ago is in the future)."""
    first = today + dt.timedelta(days=FUTURE_DAYS)
    return [(first - dt.timedelta(days=i)).isoformat() for i in range(FUTURE_DAYS + PAST_DAYS)]


def _phone(k: int) -> str:
    """+1555 and seven digits, a different number for every k below 10,000,000."""
    return f"+1555{(k * 7_919 + 1_234_567) % 10_000_000:07d}"


def _referral_code(k: int) -> str:
    """Eight characters of the referral alphabet, a bijection of k (so unique)."""
    value = (k * 999_999_937 + 123_456_789) % 32**8
    digits = []
    for _ in range(8):
        value, digit = divmod(value, 32)
        digits.append(REFERRAL_ALPHABET[digit])
    return "".join(digits)


def technicians_text(plan: Plan) -> dict[str, str]:
    """The crew: names from the pools, one in ten inactive."""
    day = _days(plan.today)
    lines = []
    for t in range(1, plan.technicians + 1):
        first, last = FIRST[t % len(FIRST)], LAST[(t * 7) % len(LAST)]
        stamp = f"{day[FUTURE_DAYS + 400 + t % 4000]} 08:00:00+00"
        lines.append(
            f"{t}\t{stamp}\t{stamp}\t{first} {last}\t+1212{t:07d}\t"
            f"{first.lower()}.{last.lower()}.{t}@crew.example.com\t"
            f"{SPECIALTIES[t % len(SPECIALTIES)]}\t{3 + t % 20}\t"
            f"{'f' if t % 10 == 9 else 't'}\t{4 + t % 5}\t{27 + t % 30}.00\n"
        )
    return {"technicians_technician": "".join(lines)}


class _Chunk:
    """The COPY text of customers [start, stop), table by table."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.day = _days(plan.today)
        self.rng = random.Random()
        self.out: dict[str, list[str]] = {table: [] for table in COLUMNS}
        del self.out["technicians_technician"]

    def ts(self, days_ago: int, hour: int = 9, minute: int = 0) -> str:
        return f"{self.day[FUTURE_DAYS + days_ago]} {hour:02d}:{minute:02d}:00+00"

    def date(self, days_ago: int) -> str:
        return self.day[FUTURE_DAYS + days_ago]

    def customer(self, k: int) -> None:
        rng, out = self.rng, self.out
        rng.seed(k * 1_000_003 + self.plan.seed)
        spanish = rng.random() < 0.12
        first = rng.choice(FIRST_ES if spanish else FIRST)
        last = rng.choice(LAST)
        since = rng.randrange(30, 5000)
        created = self.ts(since, 8 + rng.randrange(10), rng.randrange(60))
        email = "" if rng.random() < 0.05 else f"{first}.{last}.{k}@example.com".lower()
        email = email.translate(ASCII)
        city, state = rng.choice(CITIES)
        address = (f"{rng.randrange(1, 9999)} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}, "
                   f"{city}, {state} {rng.randrange(10000, 99999)}")  # fmt: skip
        technicians = self.plan.technicians
        preferred = str(rng.randrange(1, technicians + 1)) if rng.random() < 0.6 else N
        referrer = k - rng.randrange(1, min(k, 1000)) if k > 2 and rng.random() < 0.14 else 0
        out["customers_customer"].append(
            f"{k}\t{created}\t{self.ts(rng.randrange(0, since))}\t{first} {last}\t{email}\t"
            f"{_phone(k)}\t{address}\t{_referral_code(k)}\t{rng.choice(CONTACT)}\t[]\t"
            f"{rng.choice(FREQUENCY)}\t{'es' if spanish else 'en'}\t{self.plan.time_zone}\t"
            f"{preferred}\t{referrer or N}\n"
        )
        for i, channel in enumerate(CHANNELS):
            opted_out = self.ts(rng.randrange(0, since)) if rng.random() < 0.05 else N
            out["customers_contactconsent"].append(
                f"{k * 4 + i}\t{channel}\t{'t' if rng.random() < 0.6 else 'f'}\t{opted_out}\t"
                f"{created}\t{k}\n"
            )
        if referrer:
            status = rng.choice(("Pending", "Qualified", "Rewarded", "Rewarded", "Declined"))
            rewarded = status == "Rewarded"
            out["referrals_referral"].append(
                f"{k}\t{created}\t{created}\t{status}\t{'t' if rewarded else 'f'}\t"
                f"{'25.00' if rewarded else N}\t{k}\t{referrer}\n"
            )
        appliances = self.appliances(k, since)
        self.jobs(k, since, appliances)
        self.activities(k, since)
        self.messages(k, since)
        self.reminders(k, appliances)

    def appliances(self, k: int, since: int) -> list[int]:
        rng, rows = self.rng, self.out["appliances_appliance"]
        ids = []
        for i in range(rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5, 5))):
            pk = k * 8 + i
            installed = rng.randrange(60, 4000)
            warranty = self.date(installed - 365 * rng.randrange(1, 6))
            serviced = self.date(rng.randrange(0, installed)) if rng.random() < 0.6 else N
            stamp = self.ts(min(since, installed))
            rows.append(
                f"{pk}\t{stamp}\t{stamp}\t{rng.choice(TYPES)}\t{rng.choice(BRANDS)}\t"
                f"M{rng.randrange(100000, 999999)}\tSN{k:07d}{i}\t{self.date(installed)}\t"
                f"{warranty}\t{serviced}\t{k}\t{N}\n"
            )
            ids.append(pk)
        return ids

    def jobs(self, k: int, since: int, appliances: list[int]) -> None:
        rng, out = self.rng, self.out
        count = rng.choice((0, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7))
        money = 0
        for i in range(count + (1 if rng.random() < 0.04 else 0)):
            pk, tech = k * 16 + i, rng.randrange(1, self.plan.technicians + 1)
            appliance = rng.choice(appliances) if appliances and rng.random() < 0.8 else N
            if i == count:  # an upcoming visit: today or within two weeks
                days, status = -rng.randrange(0, 15), "Scheduled"
            else:
                days = rng.randrange(1, since)
                status = "Cancelled" if rng.random() < 0.07 else "Completed"
            hour = 8 + rng.randrange(9)
            created = self.ts(max(days, 0) + rng.randrange(1, 20))
            done = self.ts(days, hour + 1, 30) if status == "Completed" else N
            hours = f"{rng.randrange(1, 17) * 0.25:.2f}" if status == "Completed" else "0.00"
            out["jobs_job"].append(
                f"{pk}\t{created}\t{done if status == 'Completed' else created}\t"
                f"{rng.choice(JOB_WORDS)}\t{status}\t{self.ts(days, hour)}\t{done}\t"
                f"{'Repaired and tested.' if status == 'Completed' else ''}\t\t{hours}\t"
                f"{appliance}\t{k}\t{tech}\n"
            )
            if status != "Completed":
                continue
            for _ in range(1 if rng.random() < 0.9 else 2):
                out["jobs_payment"].append(
                    f"{k * 32 + money}\t{done}\t{done}\t{rng.randrange(80, 900)}."
                    f"{rng.randrange(100):02d}\t{self.date(days)}\t{rng.choice(METHODS)}\t"
                    f"R{pk}-{money}\t{k}\t{pk}\n"
                )
                money += 1
            for _ in range(rng.choice((0, 1, 1, 1, 2, 2))):
                out["jobs_expense"].append(
                    f"{k * 32 + money}\t{done}\t{done}\t{rng.randrange(10, 300)}."
                    f"{rng.randrange(100):02d}\t{self.date(days)}\t{rng.choice(CATEGORIES)}\t"
                    f"Parts and travel for job {pk}\t{k}\t{pk}\n"
                )
                money += 1
            if rng.random() < 0.5:
                rating = rng.choice((5, 5, 5, 4, 4, 3, 2, 1))
                out["reviews_review"].append(
                    f"{pk}\t{done}\t{done}\t{rating}\tThank you!\t{k}\t{pk}\t{tech}\n"
                )
            if days < 60:
                score = rng.choice((5, 4, 3, 2, 1, 0))
                state = "Completed" if score else "Pending" if days < 7 else "NoResponse"
                out["reviews_servicefollowup"].append(
                    f"{pk}\t{done}\t{done}\t{state}\t{score or N}\t\t{self.ts(days - 3)}\t"
                    f"{k}\t{pk}\n"
                )

    def activities(self, k: int, since: int) -> None:
        rng, rows = self.rng, self.out["activities_activity"]
        count = rng.randrange(2, 19)
        kinds = rng.choices(KINDS, weights=KIND_WEIGHTS, k=count)
        for i, (kind, direction) in enumerate(kinds):
            days = rng.randrange(0, since) if i else rng.randrange(0, min(since, 400))
            rows.append(
                f"{k * 32 + i}\t{kind}\t{direction}\t{rng.choice(NOTES)}\t"
                f"{self.ts(days, 8 + rng.randrange(11), rng.randrange(60))}\t{N}\t{k}\t{N}\n"
            )

    def messages(self, k: int, since: int) -> None:
        rng, rows = self.rng, self.out["messaging_scheduledmessage"]
        for i in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
            pick = rng.random()
            channel = rng.choice(CHANNELS)
            days = rng.randrange(0, since)
            status, source, review, attempts, error = "Delivered", "Manual", "f", 1, ""
            if pick < 0.004:
                status, error = "Failed", "The provider refused the number."
            elif pick < 0.006:
                status = "Unknown"
            elif pick < 0.016:
                status, source, review, attempts, days = "Draft", "Greeting", "t", 0, -5
            elif pick < 0.036:
                status, attempts, days = "Scheduled", 0, -rng.randrange(1, 30)
            elif pick < 0.3:
                status, source = "Read", "Survey"
            sent = status in ("Delivered", "Read")
            purpose = "Marketing" if source == "Greeting" else "Service"
            send_at = self.ts(days, 10 + rng.randrange(8))
            stamp = self.ts(max(days, 0) + 1)
            rows.append(
                f"{k * 8 + i}\t{stamp}\t{stamp}\t{channel}\t{purpose}\t\t"
                f"Hello, this is about your appliance service (#{k}-{i}).\t\t{{}}\t{send_at}\t"
                f"{status}\t{source}\tscale:{k}:{i}\t{attempts}\t{error}\t{review}\t"
                f"{f'prov-{k}-{i}' if sent else ''}\t\t\t{N}\t{send_at if sent else N}\t"
                f"{send_at if days >= 0 else stamp}\t{N}\t{N}\t{N}\t{k}\t{N}\n"
            )

    def reminders(self, k: int, appliances: list[int]) -> None:
        rng, rows = self.rng, self.out["engagement_reminder"]
        for i in range(rng.choice((0, 0, 0, 1, 1, 2))):
            kind = rng.choice(REMINDER_KINDS)
            appliance = rng.choice(appliances) if appliances and kind != "Manual" else N
            pick = rng.random()
            status = "Open" if pick < 0.6 else "Done" if pick < 0.85 else "Dismissed"
            due = rng.randrange(-30, 30)
            snoozed = N
            if pick > 0.95:
                status, snoozed = "Snoozed", self.date(-rng.randrange(1, 10))
            resolved = self.ts(max(due, 0)) if status in ("Done", "Dismissed") else N
            stamp = self.ts(max(due, 0) + 7)
            rows.append(
                f"{k * 4 + i}\t{kind}\tCheck in with customer {k}\t\t{self.date(due)}\t"
                f"{rng.choice(('Low', 'Medium', 'Medium', 'High'))}\t{status}\t{snoozed}\t"
                f"scale:{k}:{i}\t{resolved}\t{stamp}\t{stamp}\t{appliance}\t{N}\t{k}\t{N}\n"
            )


def chunk_text(plan: Plan, start: int, stop: int) -> dict[str, str]:
    """COPY text (tab-separated lines) of customers start..stop-1, per table."""
    chunk = _Chunk(plan)
    for k in range(start, stop):
        chunk.customer(k)
    return {table: "".join(lines) for table, lines in chunk.out.items()}
