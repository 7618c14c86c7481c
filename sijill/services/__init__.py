"""Use cases shared by the CLI and the web app: the only door to the store, vault and analyses."""
