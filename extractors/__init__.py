"""Rule extractors, one module per record type, each a spaCy component over one `Doc`.

Order matters and is fixed in pipeline.nlp: dates and agencies first (others anchor on them),
then blocs, people, roles, awards, legal references, events.
"""
