"""The service side booths and staff talk to (rooms, stand-in Oma kansio, fleet)."""
