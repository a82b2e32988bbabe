"""Showing why each record exists: the article with every record's evidence highlighted.

`render_text` is for a terminal (each record, then its evidence in context); `render_html` uses
spaCy's displacy span visualiser over the cleaned body, one label per record type.
"""

from __future__ import annotations

from dataclasses import asdict

from extractors.records import RECORD_TYPES, Extraction

LABELS = {"events": "EVENT", "blocs": "BLOC", "agencies": "AGENCY", "bloc_roles": "ROLE", "awards": "AWARD",
          "people": "PERSON", "legal_refs": "LEGAL"}


def _fields(rec) -> str:
    d = asdict(rec)
    d.pop("evidence")
    return ", ".join(f"{k}={v}" for k, v in d.items() if v not in (None, [], ""))


def render_text(ex: Extraction, width: int = 50) -> str:
    a = ex.article
    out = [f"# {ex.source}", f"title: {a.title}", f"published: {a.published}   province: {a.province}"
           f" (from 1 July 2025: {a.province_current})   author: {a.author}", ""]
    body = ex.body
    for t in RECORD_TYPES:
        recs = getattr(ex, t)
        out.append(f"## {t} ({len(recs)})")
        for r in recs:
            ev = r.evidence
            left = body[max(0, ev.start - width):ev.start].replace("\n", " ")
            right = body[ev.end:ev.end + width].replace("\n", " ")
            out.append(f"- {_fields(r)}")
            out.append(f"    …{left}[[{ev.text}]]{right}…  @{ev.start}-{ev.end}")
        out.append("")
    return "\n".join(out)


def render_html(ex: Extraction) -> str:
    from spacy import displacy

    from pipeline.nlp import nlp

    doc = nlp().make_doc(ex.body)
    spans = []
    for t, label in LABELS.items():
        for r in getattr(ex, t):
            span = doc.char_span(r.evidence.start, r.evidence.end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    doc.spans["sc"] = spans
    html = displacy.render(doc, style="span", page=True, minify=True,
                           options={"colors": {"EVENT": "#fde68a", "BLOC": "#bbf7d0", "AGENCY": "#bfdbfe",
                                               "ROLE": "#fbcfe8", "AWARD": "#fecaca", "PERSON": "#ddd6fe",
                                               "LEGAL": "#e5e7eb"}})
    title = f"<h2>{ex.article.title or ex.source}</h2>"
    return html.replace("<body", "<body", 1).replace(">", ">" + title, 1) if "<body" not in html else \
        html.replace("<body>", "<body>" + title, 1)
