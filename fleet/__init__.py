"""What a booth and the fleet server share: signed health reports and signed configuration."""
