"""The raw archive: every response received, with its request, in gzipped WARC files (warcio).

Every response means every one: robots.txt, a 503 or 429 that was retried, each redirect hop, a 304,
and pages refused after their headers came (not HTML, over the size limit, cut off mid-body). A
refused page carries `WARC-Thidua-Refused: <reason>`, and a body not read to its end carries the
standard `WARC-Truncated` (length, disconnect, time, or unspecified when it was not downloaded).

The archive is the source of truth for researchers: `thidua corpus rebuild` re-parses and
re-extracts everything from it with no network. Each article row in DuckDB points to its response
record (file name and byte offset). Files roll over at a size limit; nothing is ever rewritten.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scrapers.fetch import FetchResult


@dataclass
class ArchivedResponse:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    warc_file: str
    offset: int
    portal: str | None
    kind: str | None
    refused: str | None = None  # why the crawler did not use this response (not HTML, too large, ...)
    truncated: str | None = None  # WARC-Truncated: the body is not the whole of what the server sent

    @property
    def usable(self) -> bool:
        """A complete 200 response the crawler accepted: what `corpus rebuild` re-reads."""
        return self.status == 200 and not self.refused and not self.truncated


class WarcArchive:
    def __init__(self, directory: str | Path, prefix: str = "thidua", max_bytes: int = 512 * 1024 * 1024):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._fh = None
        self._name: str | None = None

    def _file(self):
        if self._fh is None or self._fh.tell() > self.max_bytes:
            if self._fh is not None:
                self._fh.close()
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
            self._name = f"{self.prefix}-{stamp}.warc.gz"
            self._fh = open(self.dir / self._name, "ab")  # noqa: SIM115 - kept open across writes
        return self._fh

    def write(self, res: FetchResult, portal: str | None = None, kind: str | None = None,
              refused: str | None = None) -> tuple[str, int]:
        """Append the request and response records; return (file name, offset of the response)."""
        with self._lock:
            fh = self._file()
            writer = WARCWriter(fh, gzip=True)
            target = res.final_url or res.url
            path = urlparse(target).path or "/"
            if urlparse(target).query:
                path += "?" + urlparse(target).query
            req_headers = StatusAndHeaders(f"GET {path} HTTP/1.1", list(res.request_headers.items()),
                                           is_http_request=True)
            req = writer.create_warc_record(target, "request", http_headers=req_headers)
            extra = {"WARC-Thidua-Portal": portal or "", "WARC-Thidua-Kind": kind or ""}
            if refused:
                extra["WARC-Thidua-Refused"] = refused[:500]
            if res.truncated:
                extra["WARC-Truncated"] = res.truncated
            headers = [(k, v) for k, v in (res.header_list or list(res.headers.items()))
                       if k.lower() not in ("transfer-encoding", "content-encoding")]
            http = StatusAndHeaders(f"{res.status} {res.reason_phrase or 'OK'}", headers, protocol="HTTP/1.1")
            resp = writer.create_warc_record(target, "response", payload=io.BytesIO(res.body), http_headers=http,
                                             warc_headers_dict=extra)
            writer.write_record(req)
            offset = fh.tell()
            writer.write_record(resp)
            fh.flush()
            return self._name, offset

    def read(self, warc_file: str, offset: int) -> ArchivedResponse:
        with self._lock:
            if self._fh is not None:
                self._fh.flush()
        return read_response(self.dir, warc_file, offset)

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None


def _response(record, warc_file: str, offset: int) -> ArchivedResponse:
    http = record.http_headers
    return ArchivedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"), status=int(http.get_statuscode() or 0),
        headers={k.lower(): v for k, v in http.headers}, body=record.content_stream().read(),
        warc_file=warc_file, offset=offset,
        portal=record.rec_headers.get_header("WARC-Thidua-Portal") or None,
        kind=record.rec_headers.get_header("WARC-Thidua-Kind") or None,
        refused=record.rec_headers.get_header("WARC-Thidua-Refused") or None,
        truncated=record.rec_headers.get_header("WARC-Truncated") or None)


def iter_responses(directory: str | Path) -> Iterator[ArchivedResponse]:
    """Every response record in the archive, oldest file first."""
    for f in sorted(Path(directory).glob("*.warc.gz")):
        with open(f, "rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                if record.rec_type == "response":
                    resp = _response(record, f.name, 0)
                    resp.offset = it.get_record_offset()  # valid only once the body has been read
                    yield resp


def read_response(directory: str | Path, warc_file: str, offset: int) -> ArchivedResponse:
    """The response record at this pointer (what an article row or the crawl state points to)."""
    with open(Path(directory) / warc_file, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        return _response(record, warc_file, offset)
