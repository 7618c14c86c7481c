"""Protection of witness identities: keys, envelope encryption, shares, audit chain, backups."""
