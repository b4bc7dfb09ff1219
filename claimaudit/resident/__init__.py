"""Resident mode: `claimaudit daemon` keeps warm auditors so `check` starts in milliseconds.

`client.py` (standard library only) finds the daemon and forwards `check` to it; `server.py`
is the daemon; `warm.py` holds the warm auditors that `check` takes when it runs inside one.
"""
