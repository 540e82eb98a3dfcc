"""The search client's HTTP connection: one kept-open ``http.client`` connection per thread.

opensearch-py's urllib3 connection spends about 0.2 ms of CPU per request in urllib3's
pool, retry and response machinery, and decodes every answer to text before it is
parsed; a search makes two requests and has about 1 ms in all outside OpenSearch
(issue 11). Here a plain-HTTP request is written and read on a connection the thread
keeps, and the answer's bytes go straight to orjson. TLS, compression and signed
requests keep urllib3's path (``Urllib3HttpConnection``), unchanged.

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

# A kept-open connection the server has closed fails on its next use before any answer:
# the request is sent once more on a new connection (searches are reads).
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class LeanHttpConnection(Urllib3HttpConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._local = threading.local()
        self._lean = not self.use_ssl and not self.http_compress and not callable(self.http_auth)

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        connection: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(self.hostname, self.port, timeout=timeout)
            self._local.connection = connection
        connection.timeout = timeout
        if connection.sock is not None:
            connection.sock.settimeout(timeout)
        return connection

    def _discard(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def _exchange(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        for attempt in (1, 2):
            connection = self._connection(timeout)
            reused = connection.sock is not None
            try:
                connection.request(method, url, body, headers)
                response = connection.getresponse()
                data = response.read()
            except _STALE:
                self._discard()
                if reused and attempt == 1:
                    continue
                raise
            except BaseException:
                self._discard()
                raise
            if response.will_close:
                self._discard()
            return response.status, response.headers, data
        raise AssertionError("unreachable: the second attempt returns or raises")

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
        request_headers = {**self.headers, **(headers or {})}
        if isinstance(body, str):
            body = body.encode()
        started = time.time()
        self.metrics.request_start()
        try:
            status, response_headers, data = self._exchange(
                method, url, body, request_headers, timeout or self.timeout
            )
        except TimeoutError as exc:
            self.log_request_fail(method, self.host + url, url, body, time.time() - started)
            raise ConnectionTimeout("TIMEOUT", str(exc), exc) from exc
        except (OSError, http.client.HTTPException) as exc:
            self.log_request_fail(method, self.host + url, url, body, time.time() - started)
            raise ConnectionError("N/A", str(exc), exc) from exc
        finally:
            self.metrics.request_end()
        self._raise_warnings(response_headers.get_all("warning", ()))
        if not (200 <= status < 300) and status not in ignore:
            text = data.decode("utf-8", "surrogatepass")
            self.log_request_fail(
                method, self.host + url, url, body, time.time() - started, status, text
            )
            self._raise_error(status, text, response_headers.get("content-type"))
        # Bytes: the orjson deserializer reads them as they are.
        return status, response_headers, data

    def close(self) -> None:
        self._discard()
        super().close()
