"""The folder service as one WSGI app: /signin/* and the WebDAV folders under /dav/."""
from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cheroot import wsgi
from cryptography import x509

from server.folder.dav import make_dav_app
from server.folder.signin import SignIn, StartResponse
from server.folder.tokens import TokenStore


class FolderService:
    def __init__(self, root: Path, trusted_cas: list[x509.Certificate], app_passwords: dict[str, str]) -> None:
        self.tokens = TokenStore()
        self.signin = SignIn(self.tokens, trusted_cas, app_passwords)
        self.dav = make_dav_app(root, self.tokens)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        for prefix, app in (("/signin", self.signin), ("/dav", self.dav)):
            if path == prefix or path.startswith(prefix + "/"):
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
                environ["PATH_INFO"] = path[len(prefix):] or "/"
                return app(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]


@dataclass
class Running:
    url: str
    server: wsgi.Server
    thread: threading.Thread
    service: FolderService

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(timeout=5)


def serve(service: FolderService, host: str = "127.0.0.1", port: int = 0) -> Running:
    """On its own thread (cheroot, 4 worker threads); port 0 picks a free one."""
    server = wsgi.Server((host, port), service, numthreads=4)
    server.prepare()
    thread = threading.Thread(target=server.serve, name="folder-service", daemon=True)
    thread.start()
    bound_port = server.bind_addr[1]
    return Running(f"http://{host}:{bound_port}", server, thread, service)
