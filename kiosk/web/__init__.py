"""The booth's sealed browser (QtWebEngine): one off-the-record profile per session."""
