"""Each feature's offline twin on hand-built customers, with every value worked out by hand
(see conftest.py for Ana's history)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm.activities.tests.factories import ActivityFactory
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.errors import ValidationFailed
from crm.customers.tests.factories import CustomerFactory
from crm.insights.models import InsightResult
from crm.insights.registry import FEATURES
from crm.insights.services import insight_get
from crm.insights.tests.conftest import TODAY, World, aware
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.llm.models import LLMCall

pytestmark = pytest.mark.django_db


def test_profitability_of_ana_is_highly_profitable_and_declining(world: World) -> None:
    # when
    answer = insight_get(feature="profitability-analysis", subject_id=world.ana.pk, today=TODAY)
    # then: 650 paid, 200 spent, 69.23% margin; net 150 this year against 300 the year before
    assert answer.source == "offline"
    assert answer.warnings == []
    assert answer.text == (
        "PROFITABILITY ANALYSIS:\n"
        "Since March 2023, Ana Diaz has paid $650.00 over 3 payments against $200.00 of "
        "expenses, a net profit of $450.00 (69.23% margin). Net profit in the last 12 months "
        "was $150.00 against $300.00 in the 12 months before (declining).\n\n"
        "KEY OBSERVATION:\n"
        "Most payments are by Card (2 of 3). A completed job brings $216.67 on average over "
        "3 jobs. The largest cost is Parts ($170.00).\n\n"
        "RECOMMENDATION:\n"
        "Keep this valued customer close: offer priority booking and ask for a review or a "
        "referral. Net profit is falling: check in about their recent experience.\n\n"
        "CLASSIFICATION: Highly Profitable"
    )
    assert answer.data["classification"] == "Highly Profitable"
    assert answer.data["facts"] == {
        "totalRevenue": "650.00",
        "totalExpenses": "200.00",
        "netProfit": "450.00",
        "marginPercent": "69.23",
        "classification": "Highly Profitable",
        "netLast12Months": "150.00",
        "netPrior12Months": "300.00",
        "trend": "declining",
    }


def test_profitability_of_a_customer_who_costs_more_than_he_pays_is_loss_making() -> None:
    # given: paid 100.00, parts 80.00 + travel 60.00 = 140.00, all in the last 12 months
    customer = CustomerFactory(name="Carl Moss", created_at=aware(2026, 1, 5))
    PaymentFactory(customer=customer, amount=Decimal("100.00"), date=dt.date(2026, 2, 1))
    ExpenseFactory(customer=customer, amount=Decimal("80.00"), date=dt.date(2026, 2, 1))
    ExpenseFactory(
        customer=customer, amount=Decimal("60.00"), date=dt.date(2026, 2, 2), category="Travel"
    )
    # when
    answer = insight_get(feature="profitability-analysis", subject_id=customer.pk, today=TODAY)
    # then: net -40.00, margin -40.00%; prior year 0.00 so the trend is declining
    assert answer.data["classification"] == "Loss-Making"
    assert answer.data["profitabilityAnalysis"] == (
        "Since January 2026, Carl Moss has paid $100.00 over 1 payment against $140.00 of "
        "expenses, a net profit of $-40.00 (-40.00% margin). Net profit in the last 12 months "
        "was $-40.00 against $0.00 in the 12 months before (declining)."
    )
    assert answer.data["recommendation"].startswith("Review what this customer's jobs cost")


def test_profitability_with_no_money_yet_is_break_even() -> None:
    # given
    customer = CustomerFactory(name="Dina Ray", created_at=aware(2026, 11, 1))
    # when
    answer = insight_get(feature="profitability-analysis", subject_id=customer.pk, today=TODAY)
    # then
    assert answer.data["classification"] == "Break-Even"
    assert answer.data["profitabilityAnalysis"] == (
        "Dina Ray has no payments recorded since becoming a customer in November 2026."
    )
    assert answer.data["keyObservation"] == "There is no spending history yet."


def test_timeline_summary_of_ana(world: World) -> None:
    # when
    answer = insight_get(feature="timeline-summary", subject_id=world.ana.pk, today=TODAY)
    # then: 4 timeline events (3 from Ana, 1 email out), last on 2026-11-20 (3 days ago);
    # the fridge came back within 21 days; "again" appears in two of her messages;
    # the 12.5-year-old fridge has used 96% of its 13 expected years
    assert answer.text == (
        "CUSTOMER RELATIONSHIP SUMMARY:\n"
        "Ana Diaz has been a customer since March 2023, with 3 completed jobs and 4 recorded "
        "interactions. The last contact was 3 days ago. The latest job was on Fri, Nov 13, 2026 "
        "with Sara Lopez. They have paid $650.00 in total.\n\n"
        "COMMUNICATION PREFERENCES:\n"
        "Prefers WhatsApp. Most used: WhatsApp. By channel: 2 WhatsApp messages "
        "(last Sat, Jun 28, 2025), 1 email (last Tue, Nov 10, 2026), "
        "1 text message (last Fri, Nov 20, 2026).\n\n"
        "RECURRING THEMES:\n"
        "- Repeat visit: Whirlpool Refrigerator: back within 30 days on Tue, Jul 1, 2025\n"
        "- Words that keep coming back: again (2 messages)\n\n"
        "OPPORTUNITIES:\n"
        "- Discuss replacing the Whirlpool Refrigerator (96% of expected life)"
    )
    assert answer.data["facts"]["daysSinceLastContact"] == 3


def test_followup_suggestions_for_ana(world: World) -> None:
    # when
    answer = insight_get(feature="followup-suggestions", subject_id=world.ana.pk, today=TODAY)
    # then: the dryer job 10 days ago has no review (post-job check, 14-day window); winter
    # is next and is the dryer's peak season; nothing is due within 30 days; she was in touch
    # 3 days ago (Moderate allows 90)
    assert answer.text == (
        "FOLLOW-UP SUGGESTIONS:\n\n"
        "1. Post-service check\n"
        "   REASON: Job completed on Fri, Nov 13, 2026 has no review yet; "
        "make sure the repair holds.\n"
        "   TIMING: Within 3 days\n"
        "   DRAFT MESSAGE:\n"
        '   "Hi Ana, thank you for having us over on November 13. Is everything working as it '
        'should? Just reply to this message if anything needs another look."\n\n'
        "2. Pre-winter LG Dryer check\n"
        "   REASON: Winter is the peak season for the LG Dryer.\n"
        "   TIMING: Before winter starts\n"
        "   DRAFT MESSAGE:\n"
        '   "Hi Ana, winter is coming, the busiest time for your LG Dryer. A quick check now '
        'can prevent a breakdown when you need it most. Would you like us to schedule one?"'
    )


def test_followup_suggestions_in_spanish_for_a_silent_customer_with_an_overdue_appliance() -> None:
    # given: a dishwasher installed 2021-11-23, never serviced (due 2022-11-23), and no contact
    customer = CustomerFactory(name="Lucía Gómez", language_preference="es-MX")
    ApplianceFactory(
        customer=customer, type="Dishwasher", brand="Bosch",
        install_date=dt.date(2021, 11, 23), last_service_date=None,
    )  # fmt: skip
    # when
    answer = insight_get(feature="followup-suggestions", subject_id=customer.pk, today=TODAY)
    # then
    suggestions = answer.data["suggestions"]
    assert [s["title"] for s in suggestions] == ["Bosch Dishwasher maintenance overdue", "Check in"]
    assert suggestions[0]["timing"] == "Within 1 week"
    assert suggestions[0]["reason"] == (
        "Service every 12 months; no service on record; due Wed, Nov 23, 2022."
    )
    assert suggestions[0]["draftMessage"] == (
        "Hola Lucía, nuestros registros indican que su lavavajillas necesita su mantenimiento "
        "regular. El servicio periódico alarga su vida útil y evita averías inesperadas. "
        "¿Le agendamos una visita cuando le convenga?"
    )
    assert (
        suggestions[1]["reason"]
        == "No contact on record; their preference (Moderate) allows 90 days."
    )
    assert answer.data["facts"]["draftLanguage"] == "es"


def test_greeting_for_ana_is_for_thanksgiving(world: World) -> None:
    # when: no occasion asked; Thanksgiving is 3 days away, her anniversary 199 days away
    answer = insight_get(feature="generate-greeting", subject_id=world.ana.pk, today=TODAY)
    # then
    assert answer.text == (
        "OCCASION: Thanksgiving Day\n\n"
        "MESSAGE:\n"
        '"Hi Ana,\n\n'
        "Wishing you a wonderful Thanksgiving Day! Thank you for trusting us with your LG Dryer "
        "and Whirlpool Refrigerator since March 2023. We hope everything has run smoothly since "
        "our visit on November 13. We are grateful for your business and here whenever you need "
        "us.\n\n"
        "Warm regards,\n"
        'The ServiceCRM Appliance Care Team"'
    )
    facts = answer.data["facts"]
    assert facts["serviceAnniversary"] == "2027-06-10"
    assert facts["daysUntilServiceAnniversary"] == 199
    assert facts["yearsOfService"] == 2
    assert [h["name"] for h in facts["upcomingHolidays"]] == [
        "Thanksgiving Day",
        "Christmas Day",
        "New Year's Day",
        "Martin Luther King Jr. Day",
    ]


def test_greeting_for_the_occasion_asked(world: World) -> None:
    # when
    christmas = insight_get(
        feature="generate-greeting", subject_id=world.ana.pk, today=TODAY,
        options={"occasion": "christmas"},
    )  # fmt: skip
    anniversary = insight_get(
        feature="generate-greeting", subject_id=world.ana.pk, today=TODAY,
        options={"occasion": "Service anniversary"},
    )  # fmt: skip
    # then
    assert christmas.data["occasion"] == "Christmas Day"
    assert christmas.data["facts"]["occasionDate"] == "2026-12-25"
    assert anniversary.data["message"] == (
        "June 10 marks 2 years since our first service visit to your home. Thank you for "
        "trusting us with your LG Dryer and Whirlpool Refrigerator over the years. We are "
        "grateful for your business and look forward to keeping everything running smoothly."
    )


def test_greeting_in_spanish_on_the_anniversary_day() -> None:
    # given: first completed job on 2024-11-23, so today is the 2nd anniversary
    customer = CustomerFactory(name="Lucía Gómez", language_preference="es")
    JobFactory(customer=customer, status="Completed", completed_at=aware(2024, 11, 23))
    # when
    answer = insight_get(feature="generate-greeting", subject_id=customer.pk, today=TODAY)
    # then
    assert answer.data["occasion"] == "Service anniversary"
    assert answer.text.startswith('OCCASION: Service anniversary\n\nMESSAGE:\n"Hola Lucía,\n\nHoy')
    assert answer.text.endswith('Saludos cordiales,\nEl equipo de ServiceCRM Appliance Care"')


def test_sentiment_of_ana(world: World) -> None:
    # when
    answer = insight_get(feature="analyze-sentiment", subject_id=world.ana.pk, today=TODAY)
    # then: -2, -2, 2, 2 (newest first): "still noisy" and "leaking again" are repeat
    # failures (VADER alone gave -1 to both); weights 0.5 ** (days / 90) for ages 3, 513, 529
    # and 530 days make the average -1.87 (the newest complaint dominates)
    assert [c["sentimentScore"] for c in answer.data["communications"]] == [-2, -2, 2, 2]
    assert answer.data["averageSentiment"] == -1.87
    assert answer.text == (
        "COMMUNICATION ANALYSIS:\n"
        "- 2026-11-20 | SENTIMENT: -2 | THEMES: Repair quality\n"
        "  ISSUES: Repeat problem, Problem not solved, Noise\n"
        "  OPPORTUNITIES: Mentions the dryer: offer a visit\n"
        "- 2025-06-28 | SENTIMENT: -2 | THEMES: Repair quality\n"
        "  ISSUES: Repeat problem, Leak\n"
        "  OPPORTUNITIES: Mentions the fridge: offer a visit\n"
        "- 2025-06-12 | SENTIMENT: 2 | THEMES: Gratitude\n"
        "  ISSUES: None\n"
        "  OPPORTUNITIES: Ask for a review or a referral\n"
        "- 2025-06-11 | SENTIMENT: 2 | THEMES: Gratitude\n"
        "  ISSUES: None\n"
        "  OPPORTUNITIES: Ask for a review or a referral\n\n"
        "OVERALL SENTIMENT: -1.87 (Very negative)\n\n"
        "DOMINANT THEMES:\n- Repair quality\n- Gratitude\n\n"
        "KEY ISSUES TO ADDRESS:\n- Repeat problem\n- Problem not solved\n\n"
        "OPPORTUNITIES:\n- Ask for a review or a referral\n- Mentions the dryer: offer a visit"
    )


def test_sentiment_of_messages_in_spanish_and_english_both_scored() -> None:
    # given: a Spanish speaker, one message in Spanish and one in English
    customer = CustomerFactory(name="Lucía Gómez", language_preference="es")
    ActivityFactory(
        customer=customer, kind="WhatsApp", direction="Inbound",
        content="Muchas gracias, el técnico fue muy amable", occurred_at=aware(2026, 11, 1),
    )  # fmt: skip
    ActivityFactory(
        customer=customer, kind="WhatsApp", direction="Inbound",
        content="Thank you, the washer works perfectly now!", occurred_at=aware(2026, 11, 2),
    )  # fmt: skip
    # when
    answer = insight_get(feature="analyze-sentiment", subject_id=customer.pk, today=TODAY)
    # then: both are scored ("muchas gracias", "works perfectly"), whatever the preference
    assert [c["sentimentScore"] for c in answer.data["communications"]] == [2, 2]
    assert answer.data["averageSentiment"] == 2.0
    assert "- 2026-11-01 | SENTIMENT: 2 | THEMES: Staff, Gratitude" in answer.text


def test_sentiment_of_a_message_in_a_third_language_is_not_analysed() -> None:
    # given: a message in Portuguese
    customer = CustomerFactory(name="João Silva", language_preference="en")
    ActivityFactory(
        customer=customer, kind="WhatsApp", direction="Inbound",
        content="Muito obrigado, o técnico não é muito bom", occurred_at=aware(2026, 11, 1),
    )  # fmt: skip
    # when
    answer = insight_get(feature="analyze-sentiment", subject_id=customer.pk, today=TODAY)
    # then
    assert [c["sentimentScore"] for c in answer.data["communications"]] == [None]
    assert "- 2026-11-01 | SENTIMENT: not analysed | THEMES: None" in answer.text


def test_sentiment_with_no_messages_says_so() -> None:
    # given
    customer = CustomerFactory(name="Quiet Quinn")
    # when
    answer = insight_get(feature="analyze-sentiment", subject_id=customer.pk, today=TODAY)
    # then
    assert answer.data["averageSentiment"] is None
    assert "OVERALL SENTIMENT: not analysed (Not analysed)" in answer.text
    assert "- No communications to analyse." in answer.text


def test_maintenance_of_anas_old_fridge(world: World) -> None:
    # when
    answer = insight_get(feature="predict-maintenance", subject_id=world.fridge.pk, today=TODAY)
    # then: 12.5 of 13 years (High); fridge jobs averaged (300.00 + 150.00) / 2 = 225.00
    assert answer.text == (
        "MAINTENANCE RISK ASSESSMENT: High\n\n"
        "PREDICTED MAINTENANCE NEEDS:\n"
        "- Condenser coils - High\n"
        "- Evaporator fan - Medium\n\n"
        "RECOMMENDED PREVENTATIVE ACTIONS:\n"
        "1. Clean condenser coils; replace the water filter every 6 months\n"
        "2. Discuss replacement options before it fails\n\n"
        "OPTIMAL TIMING: Within 1 month, ahead of the regular date (Mon, Aug 23, 2027).\n\n"
        "POTENTIAL COST SAVINGS: A planned visit avoids emergency call-out costs and extends "
        "the appliance's life; a refrigerator job here costs $225.00 on average, less than a "
        "breakdown with damage.\n\n"
        "ALERT PRIORITY: High"
    )
    assert answer.data["facts"]["ruleRisk"] == "High"


def test_technician_match_for_anas_fridge(world: World) -> None:
    # when
    answer = insight_get(
        feature="match-technician", subject_id=world.ana.pk, today=TODAY,
        options={"appliance_id": world.fridge.pk},
    )  # fmt: skip
    # then (weights .25 specialty, .20 rating, .10 history, .10 continuity, .10 availability,
    # .10 preference; experience counts only for complex repairs on old appliances):
    # Tom: specialist .250; ratings 5,4,3 smoothed (12 + 3*3)/(3 + 3) = 3.5 -> .625 -> .125;
    #   Ana rated him 5, 4: (9 + 3)/(2 + 1) = 4 -> .75 -> .075; his Jul 1, 2025 repair of this
    #   fridge held .100; 3 of 6 free .050; preferred .100; total .700
    # Lee: .250; no ratings 3 -> .5 -> .100; no history .050; none on it .050; free .100: .550
    # Sara: not a specialist 0; one 5: (5 + 9)/4 = 3.5 -> .125; served Ana once (the dryer)
    #   .060; .050; .100: .335. Ivan is inactive and never recommended.
    assert answer.data["primary"]["technicianId"] == world.tom.pk
    assert [a["technicianId"] for a in answer.data["alternatives"]] == [world.lee.pk, world.sara.pk]
    assert [c["score"] for c in answer.data["facts"]["candidates"]] == ["0.700", "0.550", "0.335"]
    assert answer.data["facts"]["candidates"][0]["components"] == {
        "specialty": "0.250",
        "rating": "0.125",
        "history": "0.075",
        "continuity": "0.100",
        "experience": "0.000",
        "brand": "0.000",
        "availability": "0.050",
        "preference": "0.100",
    }
    assert answer.text == (
        "PRIMARY TECHNICIAN RECOMMENDATION:\n"
        "Technician: Tom Baker\n"
        "Reason: Repairs refrigerators; Rated 4.0/5 over 3 ratings; This customer rated them "
        "5/5, 4/5; Repaired this refrigerator on Jul 1, 2025; no callback since; 3 of 6 visits "
        "free Mon, Nov 23; The customer's preferred technician\n\n"
        "ALTERNATIVE RECOMMENDATIONS:\n"
        "1. Lee Chan - Repairs refrigerators; No ratings yet; Has not served this customer yet; "
        "6 of 6 visits free Mon, Nov 23\n"
        "2. Sara Lopez - Not a refrigerator specialist; Rated 5.0/5 over 1 rating; Served this "
        "customer 1 time; 6 of 6 visits free Mon, Nov 23\n\n"
        "SPECIAL NOTES FOR ASSIGNED TECHNICIAN:\n"
        "- Customer prefers WhatsApp."
    )


def test_technician_match_from_the_issue_text_alone(world: World) -> None:
    # when: "dryer" in the issue makes it a dryer job: Sara becomes the specialist
    answer = insight_get(
        feature="match-technician", subject_id=world.ana.pk, today=TODAY,
        options={"issue": "The dryer squeaks when it spins"},
    )  # fmt: skip
    # then: Sara .250 + .125 + .060 + .050 + .100 = .585; Tom 0 + .125 + .075 + .050 + .050
    # + .100 = .400; Lee 0 + .100 + .050 + .050 + .100 = .300
    assert answer.data["facts"]["applianceType"] == "Dryer"
    assert [c["score"] for c in answer.data["facts"]["candidates"]] == ["0.585", "0.400", "0.300"]
    assert answer.data["primary"]["name"] == "Sara Lopez"
    assert answer.data["specialNotes"][-1] == "Reported issue: The dryer squeaks when it spins"


def test_technician_match_needs_an_appliance_or_an_issue(world: World) -> None:
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        insight_get(feature="match-technician", subject_id=world.ana.pk, today=TODAY)
    assert refused.value.field == "applianceId"
    other = ApplianceFactory(customer=world.bob)
    with pytest.raises(ValidationFailed):
        insight_get(
            feature="match-technician", subject_id=world.ana.pk, today=TODAY,
            options={"appliance_id": other.pk},
        )  # fmt: skip
    assert InsightResult.objects.count() == 0


@pytest.mark.parametrize("feature", sorted(FEATURES))
def test_offline_answers_pass_their_own_checks_and_call_nothing(world: World, feature: str) -> None:
    # given
    spec = FEATURES[feature]
    subject = world.fridge.pk if feature == "predict-maintenance" else world.ana.pk
    options = {"appliance_id": world.fridge.pk} if feature == "match-technician" else {}
    context = spec.build_context(subject_id=subject, today=TODAY, **options)
    # when
    answer = spec.offline(context)
    # then
    assert spec.check(answer, context) == []
    assert LLMCall.objects.count() == 0


def test_the_same_offline_answer_is_stored_once(world: World) -> None:
    # when
    first = insight_get(feature="profitability-analysis", subject_id=world.ana.pk, today=TODAY)
    second = insight_get(feature="profitability-analysis", subject_id=world.ana.pk, today=TODAY)
    # then
    assert InsightResult.objects.filter(feature="profitability-analysis").count() == 1
    assert first.generated_at == second.generated_at
    assert second.data_changed is False
