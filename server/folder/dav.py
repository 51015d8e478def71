"""The WebDAV side: wsgidav over one folder per signed-in user, bearer tokens only.

Two changes to wsgidav's defaults, both from measurements (RECIPES.md): the ETag uses the
file's mtime in nanoseconds (the default, in whole seconds, lets two same-size writes in
one second share an ETag, so a writer with a stale ETag would overwrite silently), and
transfers move in 1 MiB blocks (the default 8 KiB halves GET speed)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from wsgidav import util
from wsgidav.dav_error import HTTP_FORBIDDEN, DAVError
from wsgidav.dc.simple_dc import SimpleDomainController
from wsgidav.fs_dav_provider import FileResource, FilesystemProvider, FolderResource
from wsgidav.wsgidav_app import WsgiDAVApp

from server.folder.tokens import TokenStore

BLOCK = 1 << 20


class _File(FileResource):
    def get_etag(self) -> str:
        st = os.stat(self._file_path)
        return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"


class UserFolders(FilesystemProvider):
    """/dav/x is <root>/<the signed-in user>/x: nobody sees another resident's folder."""

    def _loc_to_file_path(self, path: str, environ: dict[str, Any] | None = None) -> str:
        user = (environ or {}).get("wsgidav.auth.user_name") or ""
        if not user or "/" in user or user.startswith("."):
            raise DAVError(HTTP_FORBIDDEN)
        home = Path(self.root_folder_path) / user
        home.mkdir(parents=True, exist_ok=True)
        rel = util.to_unicode_safe(path).lstrip("/")
        full = (home / rel).resolve()
        if full != home.resolve() and home.resolve() not in full.parents:
            raise DAVError(HTTP_FORBIDDEN)
        return str(full)

    def get_resource_inst(self, path: str, environ: dict[str, Any]) -> FileResource | FolderResource | None:
        fp = self._loc_to_file_path(path, environ)
        if not os.path.exists(fp) or os.path.islink(fp):
            return None
        if os.path.isdir(fp):
            return FolderResource(path, environ, fp)
        return _File(path, environ, fp)


class BearerTokens(SimpleDomainController):
    def __init__(self, wsgidav_app: Any, config: dict[str, Any]) -> None:
        super().__init__(wsgidav_app, config)
        self.tokens: TokenStore = config["virtu_tokens"]

    def require_authentication(self, realm: str, environ: dict[str, Any] | None) -> bool:
        if environ is None:
            return True  # wsgidav asks once at start-up with no request
        header = environ.get("HTTP_AUTHORIZATION", "")
        user = self.tokens.user(header[7:].strip()) if header.startswith("Bearer ") else None
        if user is None:
            return True  # no valid token: 401
        environ["wsgidav.auth.user_name"] = user
        return False

    def basic_auth_user(self, realm: str, user_name: str, password: str, environ: dict[str, Any]) -> bool:
        return False

    def supports_http_digest_auth(self) -> bool:
        return False


def make_dav_app(root: Path, tokens: TokenStore) -> WsgiDAVApp:
    root.mkdir(parents=True, exist_ok=True)
    config = {
        "provider_mapping": {"/": UserFolders(str(root), fs_opts={})},
        "http_authenticator": {"domain_controller": BearerTokens, "accept_basic": True, "accept_digest": False, "default_to_digest": False},
        "simple_dc": {"user_mapping": {"*": {"nobody": {"password": None}}}},  # unused: bearer only
        "virtu_tokens": tokens,
        "block_size": BLOCK,
        "mount_path": "/dav",
        "verbose": 1,
        "logging": {"enable": False, "enable_loggers": []},
        "property_manager": True,
        "lock_storage": True,
        "dir_browser": {"enable": False},
    }
    return WsgiDAVApp(config)
