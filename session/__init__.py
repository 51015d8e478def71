"""Session core: lifecycle, ephemeral vault and usage statistics. No Qt here."""
