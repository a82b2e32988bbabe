"""thidua: Vietnamese emulation-and-commendation news → structured records in DuckDB.

Data flows one way: fetch (scrapers) → archive → parse (pipeline.reader, pipeline.clean)
→ extract (extractors, run as spaCy components by pipeline.nlp) → load (pipeline.warehouse).
"""

__version__ = "0.1.0"
# Bumped whenever extraction output can change; the warehouse re-extracts older rows.
EXTRACTOR_VERSION = "2026.11.24-1"
