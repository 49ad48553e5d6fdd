"""Delivery of alerts to subscribers: filters, signed webhooks with retries, dead letters.

The pure parts (``filters``, ``webhooks``, ``schedule``) decide; ``subscriptions`` and
``deliver`` are the thin adapters over Redis and HTTP.
"""
