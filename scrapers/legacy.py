"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI) on old government pages.

Such pages declare a Western code page and rely on a special font; decoded, the text is
mojibake ("Céng hoµ x· héi", "Coäng hoøa xaõ"). We detect them so they are flagged, not loaded as
garbage; converting needs the full font tables, which is left for when such a portal is profiled.
"""

from __future__ import annotations

import re

# characters TCVN3 uses for Vietnamese letters that are rare in real Vietnamese Unicode text
_TCVN3 = set("µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉËÌÐÎÏÑ®ª¬×ÕØÖÙ«ÞÜÝßãáâäåæçèéëíìîïóòñôõøöùúûüýþ¡¢£¤¥¦§")
_VNI = re.compile(r"[aeiouyAEIOUY][øùûõïôöâêëìíîïäåæçèéáàñ]|ñ[aeiou]")


def detect(text: str) -> str | None:
    """'TCVN3' or 'VNI' when the text looks like a legacy font encoding, else None."""
    letters = sum(c.isalpha() for c in text) or 1
    if sum(c in _TCVN3 for c in text) / letters > 0.04 and not re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                                                                             text):
        return "TCVN3"
    if len(_VNI.findall(text)) / letters > 0.03 and not re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệ]", text):
        return "VNI"
    return None
