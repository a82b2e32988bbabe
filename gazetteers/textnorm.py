"""Text normalisation shared by every extractor.

The cleaned body keeps the article's own spelling (NFC). Matching runs on a *fold view*:
the same string lower-cased, with old/new tone placement and dash variants unified. Every
replacement is one character for one character, so an offset in the fold view is an offset
in the body.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# new-style tone placement -> old-style (same length: two code points each in NFC)
_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
# only at the end of a syllable: 'hoà' and 'hòa' are one word, but 'hoạch' has one spelling
_TONE_RE = re.compile("(?:" + "|".join(_TONE_PAIRS) + r")(?!\w)")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "‐": "-", "−": "-", "\u00a0": " ", "\u2009": " "})
# the same replacements as regex substitutions: str.translate with a table costs ~0.3 ms on an article
_DASH_RE = re.compile("[–—‑‐−]")
_ODD_SPACE_RE = re.compile("[\u00a0\u2009]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")


def nfc(text: str) -> str:
    """NFC, no zero-width characters, no carriage returns."""
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def fold(text: str) -> str:
    """Lower-case, old-style tones, ASCII dashes; same length as the input."""
    low = text.lower()
    if len(low) != len(text):  # a few exotic characters change length when lowered
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    low = _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(0)], low)
    return _ODD_SPACE_RE.sub(" ", _DASH_RE.sub("-", low))  # low.translate(_DASHES), ~10x faster


_DASH_SPACED = re.compile(r"\s*-\s*")
_SPACES = re.compile(r"\s+")
_COMMA_SPACED = re.compile(r"\s*,\s*")
_KEY_SEPARATORS = re.compile(r"[&\-,;:./()\"“”']|\bvà\b")


# names are short and recur (every mention of an agency, every gazetteer entry): cached, bounded
@lru_cache(maxsize=1 << 16)
def tidy_name(name: str) -> str:
    """A name as the contract writes it: NFC, ' - ' around dashes, single spaces, no edge punctuation."""
    name = nfc(name).translate(_DASHES)
    name = _DASH_SPACED.sub(" - ", name)
    name = _SPACES.sub(" ", name)
    name = _COMMA_SPACED.sub(", ", name)
    return name.strip(" ,;:.-()/\"“”'")


@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """A comparison key: folded, separators and 'và'/'&' dropped, single spaces."""
    k = _KEY_SEPARATORS.sub(" ", fold(nfc(text)))
    return _SPACES.sub(" ", k).strip()


def ascii_fold(text: str) -> str:
    """Strip diacritics ('Đắk Lắk' -> 'dak lak'), for URL host hints."""
    text = fold(text).replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def flex_pattern(phrase: str) -> str:
    """A regex (for the fold view) that matches `phrase` with any dash/comma/'và'/'&' between words."""
    k = key(phrase)
    words = [re.escape(w) for w in k.split()]
    # atomic: a run of spaces between separators is read one way only (no exponential backtracking)
    sep = r"(?>\s*(?:(?:[-,&/]|\bvà\b)\s*)+|\s+)"
    return sep.join(words)
