"""Video for the shell's screens, drawn into QImages so it works on every Qt platform."""
