"""Platform adapters: each parses inbound into core commands and renders Replies."""
