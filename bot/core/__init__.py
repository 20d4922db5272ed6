"""The WOW domain. Imports no platform, storage or scheduling library (a test checks)."""
