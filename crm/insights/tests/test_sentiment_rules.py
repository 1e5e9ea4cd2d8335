"""The offline sentiment analyst, rule family by rule family, on messages that are NOT in the
corpus (crm/insights/data): English and Spanish, each with the phrase that moved it."""

from __future__ import annotations

import pytest

from crm.insights.sentiment.analyst import Verdict, score_of, sentiment_of
from crm.insights.sentiment.evaluation import class_of, corpus_read
from crm.insights.sentiment.language import fold, language_of

# (message, preferred language, expected score, a phrase within the reasons). The score is
# compared as its class (<=-1 negative, 0 neutral, >=1 positive), as the evaluation counts it.
CASES = [
    # repeat failures: still / again / the n-th visit
    ("The freezer is still not freezing after Tom's visit.", "en", -2, "still"),
    ("Range hood fan died again on Sunday.", "en", -1, "died again"),
    ("Fourth visit for the same dishwasher.", "en", -2, "fourth visit"),
    ("La estufa sigue sin prender, ya vinieron dos veces.", "es", -2, "sigue sin"),
    ("El refri volvio a fallar a la semana.", "es", -2, "volvio a fallar"),
    # money
    ("We were billed two times for one visit.", "en", -2, "billed two times"),
    ("The invoice came out higher than the estimate.", "en", -1, "higher than the estimate"),
    ("Nos cobraron doble la mano de obra.", "es", -2, "cobraron doble"),
    ("Quiero un reembolso del diagnostico.", "es", -1, "reembolso"),
    # no-show and lateness
    ("No one came on Saturday and nobody answered.", "en", -2, "no one"),
    ("Your tech arrived three hours late.", "en", -1, "hours late"),
    ("El tecnico nunca llego y perdi la mañana.", "es", -2, "nunca llego"),
    # damage and loss
    ("Half the groceries went bad while the fridge was off.", "en", -1, "went bad"),
    ("Se descongelaron los helados y la carne, todo a la basura.", "es", -2, "se descongelaron"),
    ("Quedó un charco debajo de la lavadora.", "es", -1, "charco"),
    # negation
    (
        "Honestly not satisfied with the repair at all.",
        "en",
        -2,
        "not satisfied with the repair at all",
    ),
    ("Not bad, the stove lights on the first click now.", "en", 1, ""),
    ("No estoy nada satisfecho con el servicio.", "es", -1, "satisfecho"),
    ("Sin problemas desde que cambiaron la bomba.", "es", 1, "sin problemas"),
    # praise told as a fact
    ("Dryer runs like a charm now.", "en", 2, "runs like a charm"),
    ("The ice maker works fine again.", "en", 2, "works fine"),
    ("La secadora ya seca bien en un solo ciclo.", "es", 2, "ya seca bien"),
    ("El horno quedo como nuevo.", "es", 2, "como nuevo"),
    # sarcasm: praise words beside a complaint do not count as praise
    ("Fantastic, the washer flooded the basement again.", "en", -2, "flooded"),
    ("Genial, otra vez sin agua caliente.", "es", -1, "sin agua caliente"),
    # questions, rescheduling and logistics are neutral
    ("Could you please come on Wednesday instead? Thanks!", "en", 0, ""),
    ("Is the dryer repair covered by the warranty?", "en", 0, ""),
    ("Are you still open on Saturday?", "en", 0, ""),
    ("¿Se puede cambiar la visita al lunes? Gracias.", "es", 0, ""),
    ("Hola, ¿cuánto sale cambiar el termostato del horno?", "es", 0, ""),
]


def _verdict(text: str, language: str) -> Verdict:
    verdict = sentiment_of(text, default_language=language)
    assert verdict is not None
    return verdict


@pytest.mark.parametrize(("text", "language", "score", "phrase"), CASES)
def test_each_rule_family_on_messages_outside_the_corpus(
    text: str, language: str, score: int, phrase: str
) -> None:
    # when
    verdict = _verdict(text, language)
    # then
    assert class_of(str(verdict.score)) == class_of(str(score)), verdict.reasons
    assert not phrase or any(phrase in fold(words) for words, _ in verdict.reasons)


def test_the_unit_cases_are_not_in_the_corpus() -> None:
    # given
    corpus = {fold(example.text) for example in corpus_read()}
    # then
    assert not [text for text, *_ in CASES if fold(text) in corpus]


def test_a_phrase_silences_the_lexicon_words_inside_it() -> None:
    # when: "perfectly" is a strong VADER word; "works perfectly now" counts once
    verdict = _verdict("Works perfectly now.", "en")
    # then
    assert verdict.reasons == (("works perfectly", 2.5),)


def test_but_weighs_what_follows_it_more() -> None:
    # when
    fixed_at_last = _verdict("It took three visits, but it works perfectly now.", "en")
    unhappy_at_last = _verdict("It works perfectly now, but it took three visits.", "en")
    # then
    assert fixed_at_last.score >= 1
    assert unhappy_at_last.score <= -1


def test_spanish_without_accents_scores_like_with_accents() -> None:
    # when
    accented = _verdict("El técnico llegó tarde y todavía no funciona.", "es")
    plain = _verdict("El tecnico llego tarde y todavia no funciona.", "es")
    # then
    assert (accented.score, accented.compound) == (plain.score, plain.compound)
    assert accented.score == -2


@pytest.mark.parametrize(
    ("text", "preferred", "language"),
    [
        ("¿Cuándo llega el técnico?", "en", "es"),  # Spanish though the preference says English
        ("When will the technician arrive?", "es", "en"),
        ("Ok", "es", "es"),  # nothing to tell them apart: the preference decides
        ("Merci beaucoup, c'est très bien", "en", None),  # French: not scored
        ("Большое спасибо за ремонт", "en", None),  # mostly non-Latin letters
    ],
)
def test_the_language_comes_from_the_words_then_the_preference(
    text: str, preferred: str, language: str | None
) -> None:
    assert language_of(text, default=preferred) == language


@pytest.mark.parametrize(
    ("compound", "score"),
    [(-0.9, -2), (-0.5, -2), (-0.49, -1), (-0.25, -1), (-0.24, 0), (0.24, 0), (0.25, 1),
     (0.49, 1), (0.5, 2), (1.0, 2)],
)  # fmt: skip
def test_compound_maps_to_the_plans_scale(compound: float, score: int) -> None:
    assert score_of(compound) == score
