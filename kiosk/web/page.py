"""A web page that only goes where the allow-list says, opens pop-ups in place, and gives
the camera and microphone only to the listed video services."""
from __future__ import annotations

import logging

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEnginePermission, QWebEngineProfile, QWebEngineSettings

from session.web_policy import WebPolicy

log = logging.getLogger(__name__)
_MEDIA = {
    QWebEnginePermission.PermissionType.MediaAudioCapture,
    QWebEnginePermission.PermissionType.MediaVideoCapture,
    QWebEnginePermission.PermissionType.MediaAudioVideoCapture,
}


class KioskPage(QWebEnginePage):
    blocked = Signal(str)           # the refused URL's host, for the friendly message
    camera_granted = Signal(str)    # origin: the camera owner lends the camera to the page

    def __init__(self, profile: QWebEngineProfile, policy: WebPolicy) -> None:
        super().__init__(profile)
        self.policy = policy
        self.permissionRequested.connect(self._permission)
        s = self.settings()
        s.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
        s.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
        s.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows, True)  # opened here, see createWindow
        s.setAttribute(QWebEngineSettings.WebAttribute.PdfViewerEnabled, True)

    def acceptNavigationRequest(self, url: QUrl | str, kind: QWebEnginePage.NavigationType, is_main_frame: bool) -> bool:  # noqa: N802
        text = url.toString() if isinstance(url, QUrl) else str(url)
        if kind == QWebEnginePage.NavigationType.NavigationTypeRedirect:
            ok = self.policy.reachable_by_redirect(text)
        elif is_main_frame:
            ok = self.policy.navigable(text)
        else:
            ok = self.policy.loadable(text)  # frames inside an allowed page
        if not ok and is_main_frame:
            log.info("web navigation refused (%s)", kind.name)
            self.blocked.emit(QUrl(text).host() or text.split(":", 1)[0])
        return ok

    def createWindow(self, kind: QWebEnginePage.WebWindowType) -> QWebEnginePage:  # noqa: N802
        """Pop-ups and "open in a new window" open in this same view."""
        return self

    def _permission(self, permission: QWebEnginePermission) -> None:
        origin = permission.origin().toString()
        if permission.permissionType() in _MEDIA and self.policy.media_allowed(origin):
            permission.grant()
            self.camera_granted.emit(origin)
        else:
            permission.deny()

    def javaScriptConsoleMessage(self, level, message, line, source) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        """Pages' console output is theirs (and may hold the resident's data): not logged."""
