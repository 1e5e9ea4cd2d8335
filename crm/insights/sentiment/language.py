"""Which language a customer wrote in: English, Spanish, or another one we do not score."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Language = Literal["en", "es"]
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Common words that exist in one language only ("no", "a", "me" are in both: left out).
EN_WORDS = frozenset((
    "the", "and", "is", "are", "was", "were", "you", "your", "it", "its", "this", "that", "to",
    "of", "for", "with", "not", "have", "has", "my", "we", "our", "thanks", "thank", "please",
    "when", "can", "will", "would", "could", "i", "he", "she", "they", "what", "how", "did",
    "didn", "don", "isn", "be", "been", "just", "still", "again", "at", "on", "in", "after",
))  # fmt: skip
ES_WORDS = frozenset((
    "el", "la", "los", "las", "es", "son", "que", "de", "del", "por", "para", "con", "una",
    "uno", "un", "gracias", "hola", "muy", "pero", "le", "les", "y", "en", "lo", "se", "su",
    "mi", "mis", "esta", "este", "ya", "sin", "otra", "vez", "nadie", "cuando", "como", "hay",
    "al", "tengo", "estoy", "fue", "sigue", "todavia", "cuanto", "puede", "pueden", "usted",
    "ustedes", "nos", "porque", "tambien", "favor", "nada", "mas", "hace", "esto", "eso",
    "dos", "tres", "veces", "cita", "refri", "lavadora", "secadora", "horno", "tecnico", "hoy",
    "manana", "ayer", "quiero", "necesito", "podemos", "tienen", "cobraron", "llego", "vino",
    "funciona", "enfria", "visita", "estufa", "calentador", "congelador", "refrigerador",
))  # fmt: skip
OTHER_WORDS = frozenset((
    "du", "des", "est", "une", "avec", "pour", "merci", "bonjour", "tres", "mais", "os", "uma",
    "nao", "obrigado", "obrigada", "voce", "der", "die", "das", "ist", "und", "nicht", "danke",
    "mit", "je", "ne", "pas", "ich", "vous", "il", "ele", "muito",
))  # fmt: skip
SPANISH_MARKS = ("¿", "¡", "ñ")


# Accented Latin letters to their base letter ("ó" -> "o", "ñ" -> "n"): one character each.
BASE_LETTERS = {code: unicodedata.normalize("NFD", chr(code))[0] for code in range(0xC0, 0x250)}


def fold(text: str) -> str:
    """Lower case without accents, one character for one character (offsets stay valid)."""
    text = text.replace("\u2019", "'")  # a phone's curly apostrophe
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ")
        lowered = "".join(ch.lower()[:1] for ch in text)
    return lowered if lowered.isascii() else lowered.translate(BASE_LETTERS)


def language_of(text: str, *, default: str) -> Language | None:
    """The language of a message from its common words: the customer's preference settles a
    tie; mostly non-Latin letters, or a third language's words, mean one we do not score."""
    words = WORD.findall(fold(text))
    letters = "".join(WORD.findall(text))
    if (
        letters
        and sum(ch.isascii() or ch in "áéíóúüñÁÉÍÓÚÜÑ" for ch in letters) / len(letters) < 0.7
    ):
        return None
    english = sum(w in EN_WORDS for w in words)
    spanish = sum(w in ES_WORDS for w in words) + sum(
        mark in text.lower() for mark in SPANISH_MARKS
    )
    other = sum(w in OTHER_WORDS for w in words)
    if other > max(english, spanish):
        return None
    if english != spanish:
        return "en" if english > spanish else "es"
    preferred = default.lower()[:2]
    return "es" if preferred == "es" else "en" if english or preferred == "en" else None
