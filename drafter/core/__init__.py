"""Records and files every stage shares: Draft, contacts, platforms, config, errors."""
