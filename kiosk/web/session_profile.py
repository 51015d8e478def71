"""One off-the-record QtWebEngine profile per resident session: cookies, cache and storage
live only in memory and go with the profile at the wipe. Every request passes the
allow-list; downloads land in the RAM folder and move straight into the vault."""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWebEngineCore import (
    QWebEngineDownloadRequest, QWebEngineProfile, QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor,
)

from session.web_policy import WebPolicy

log = logging.getLogger(__name__)


class PolicyInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request (page, image, script, XHR) the allow-list does not cover."""

    def __init__(self, policy: WebPolicy, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.policy = policy
        self.blocked = 0

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 (Qt's name)
        url = info.requestUrl().toString()
        if not self.policy.loadable(url):
            self.blocked += 1
            info.block(True)


class SessionProfile(QObject):
    download_saved = Signal(str)     # the vault name
    download_failed = Signal(str)    # the file name offered by the site

    def __init__(self, policy: WebPolicy, download_dir: Path, store: Callable[[str, bytes], str], parent: QObject | None = None) -> None:
        """`store(name, data)` puts a finished download into the vault and returns its name."""
        super().__init__(parent)
        self.profile = QWebEngineProfile(self)  # no storage name: off the record
        self.profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
        self.profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies)
        self.profile.setSpellCheckEnabled(False)
        self.interceptor = PolicyInterceptor(policy, self)
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.download_dir = download_dir
        self.store = store
        self.profile.downloadRequested.connect(self._download)

    def _download(self, request: QWebEngineDownloadRequest) -> None:
        if request.isSavePageDownload():
            request.cancel()  # "save page" is not offered
            return
        self.download_dir.mkdir(parents=True, exist_ok=True)
        request.setDownloadDirectory(str(self.download_dir))
        request.isFinishedChanged.connect(lambda: self._finished(request))
        request.accept()

    def _finished(self, request: QWebEngineDownloadRequest) -> None:
        path = Path(request.downloadDirectory()) / request.downloadFileName()
        name = request.downloadFileName()
        try:
            if request.state() != QWebEngineDownloadRequest.DownloadState.DownloadCompleted:
                log.info("web download did not complete: %s", request.interruptReasonString())
                self.download_failed.emit(name)
                return
            saved = self.store(name, path.read_bytes())
            self.download_saved.emit(saved)
        except OSError as exc:
            log.warning("web download could not be stored: %s", type(exc).__name__)
            self.download_failed.emit(name)
        finally:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        """The wipe: cookies and storage of this session are gone with the profile."""
        self.profile.cookieStore().deleteAllCookies()
        self.profile.clearHttpCache()
        self.deleteLater()
