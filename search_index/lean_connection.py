"""The search client's HTTP connection: one kept-open connection per thread, lean on CPU.

opensearch-py's urllib3 connection spends about 0.2 ms of CPU per request in urllib3's
pool, retry and response machinery, and decodes every answer to text before it is
parsed; ``http.client`` still spends about 0.25 ms per request writing the request in
two parts and parsing the answer's headers with the ``email`` package. A search makes
two requests (issue 11). Here a plain-HTTP request goes out in one write on a socket
the thread keeps (``search_index.http_wire``), and the answer's bytes go straight to
orjson. TLS, compression and signed requests keep urllib3's path
(``Urllib3HttpConnection``), unchanged.

Failures map to what urllib3's path raises, so the budgeted transport and the circuit
breaker (``search_index.client``) see the same exceptions: a timeout is
``ConnectionTimeout``, anything else on the wire ``ConnectionError``.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import urlencode

from opensearchpy import Urllib3HttpConnection
from opensearchpy.exceptions import ConnectionError, ConnectionTimeout

from search_index.http_wire import Answer, StaleConnection, Wire, encode_headers

# A kept-open connection the server has closed fails on its next use before any answer:
# the request is sent once more on a new connection (searches are reads).
_STALE = (StaleConnection, ConnectionResetError, BrokenPipeError)


class LeanHttpConnection(Urllib3HttpConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._local = threading.local()
        self._lean = not self.use_ssl and not self.http_compress and not callable(self.http_auth)
        self._encoded_headers = encode_headers(self.headers)

    def _wire(self) -> Wire:
        wire: Wire | None = getattr(self._local, "wire", None)
        if wire is None:
            wire = self._local.wire = Wire(self.hostname, self.port)
        return wire

    def _discard(self) -> None:
        wire: Wire | None = getattr(self._local, "wire", None)
        if wire is not None:
            wire.close()

    def _exchange(
        self, method: str, url: str, body: bytes | None, headers: bytes, timeout: float
    ) -> Answer:
        wire = self._wire()
        reused = wire.sock is not None
        try:
            return wire.exchange(method, url, headers, body, timeout)
        except _STALE:
            if not reused:
                raise
            # Sent again once, on a new connection: the server had closed the old one.
            return wire.exchange(method, url, headers, body, timeout)

    def perform_request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None = None,
        body: bytes | None = None,
        timeout: float | None = None,
        ignore: Collection[int] = (),
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        if not self._lean:
            return super().perform_request(method, url, params, body, timeout, ignore, headers)
        url = self.url_prefix + url
        if params:
            url = f"{url}?{urlencode(params)}"
        request_headers = (
            encode_headers({**self.headers, **headers}) if headers else self._encoded_headers
        )
        if isinstance(body, str):
            body = body.encode()
        started = time.time()
        self.metrics.request_start()
        try:
            answer = self._exchange(method, url, body, request_headers, timeout or self.timeout)
        except TimeoutError as exc:
            self.log_request_fail(method, self.host + url, url, body, time.time() - started)
            raise ConnectionTimeout("TIMEOUT", str(exc), exc) from exc
        except (OSError, http.client.HTTPException) as exc:
            self.log_request_fail(method, self.host + url, url, body, time.time() - started)
            raise ConnectionError("N/A", str(exc), exc) from exc
        finally:
            self.metrics.request_end()
        if answer.warnings:
            self._raise_warnings(answer.warnings)
        status = answer.status
        if not (200 <= status < 300) and status not in ignore:
            text = answer.body.decode("utf-8", "surrogatepass")
            self.log_request_fail(
                method, self.host + url, url, body, time.time() - started, status, text
            )
            self._raise_error(status, text, answer.headers.get("content-type"))
        # Bytes: the orjson deserializer reads them as they are.
        return status, answer.headers, answer.body

    def close(self) -> None:
        self._discard()
        super().close()
