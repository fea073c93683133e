"""The live store: the Naver Commerce API (sync, on-demand lookups) and carrier scans.

Everything here is an I/O edge. Nothing is used unless COMMERCE_CLIENT_ID /
COMMERCE_CLIENT_SECRET (and, for carrier scans, DELIVERY_TRACKER_URL) are set.
"""
