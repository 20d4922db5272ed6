"""The Slack adapter: slack-bolt on aiohttp, Block Kit built with slack_sdk's models."""
