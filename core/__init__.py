"""The program's core: ingest -> extract -> store -> ledger. Never imports Qt."""
