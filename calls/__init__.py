"""Call engine and the signalling message schema shared with server/. No Qt here."""
