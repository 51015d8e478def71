"""The room service: signed join tokens, WebSocket signalling, the staff's page."""
