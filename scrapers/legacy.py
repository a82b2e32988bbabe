"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI) on old government pages.

Such pages declare a Western code page and rely on a special font; decoded, the text is
mojibake ("Céng hoµ x· héi", "Coäng hoøa xaõ"). TCVN3 is one byte per letter, so it is converted
with the table in `gazetteers/legacy_tcvn3.tsv` (data, editable). VNI spreads a letter over a base letter and
one or two mark bytes whose use varied between font versions; it is detected and flagged, not
converted.
"""

from __future__ import annotations

import re
import unicodedata

import gazetteers

# characters TCVN3 uses for Vietnamese letters that are rare in real Vietnamese Unicode text
_TCVN3 = set("µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉËÌÐÎÏÑ®ª¬×ÕØÖÙ«ÞÜÝßãáâäåæçèéëíìîïóòñôõøöùúûüýþ¡¢£¤¥¦§")
_VNI = re.compile(r"[aeiouyAEIOUYôöÔÖ][øùûõïâêëìíîäåæçèéáàñ]|ñ[aeiou]")  # a vowel (ô = ơ, ö = ư) + its mark


def detect(text: str) -> str | None:
    """'TCVN3' or 'VNI' when the text looks like a legacy font encoding, else None.

    Both use the same Latin-1 letters; VNI puts them after a plain vowel as marks ('Coäng'), TCVN3
    in place of the vowel ('Céng'), which tells the two apart.
    """
    letters = sum(c.isalpha() for c in text) or 1
    legacy_chars = sum(c in _TCVN3 for c in text)
    vni_pairs = len(_VNI.findall(text))
    if legacy_chars / letters > 0.04 and not re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", text):
        return "VNI" if vni_pairs > 0.5 * legacy_chars else "TCVN3"
    if vni_pairs / letters > 0.03 and not re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệ]", text):
        return "VNI"
    return None


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_NUCLEI = ("iêu yêu oai oay oeo uây uôi ươi ươu uya uyê uyu ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ "
           "uê ui uô uơ uy ưa ưi ươ ưu yê a ă â e ê i o ô ơ u ư y").split()
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?(" + "|".join(_NUCLEI)
                       + r")(ch|ng|nh|[cmnpt])?")


def vietnamese_share(text: str) -> float:
    """Of the words with a non-ASCII letter, the share that are well-formed Vietnamese syllables
    (onset, a Vietnamese vowel group, coda, at most one tone): near 1 for Vietnamese, low for mojibake."""
    words = [w for w in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text)) if not w.isascii()]
    if not words:
        return 0.0
    ok = 0
    for w in words:
        decomposed = unicodedata.normalize("NFD", w.lower())
        tones = sum(c in _TONES for c in decomposed)
        bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        ok += tones <= 1 and _SYLLABLE.fullmatch(bare) is not None
    return ok / len(words)


def tcvn3_to_unicode(raw: bytes) -> str:
    """The page's bytes read as TCVN3: ASCII as it is, each mapped byte as its letter.

    Works on bytes, not on text already decoded under the declared code page: windows-1258
    would have turned some of these bytes into combining marks that NFC then merges away.
    """
    return raw.decode("latin-1").translate(gazetteers.tcvn3_letters())
